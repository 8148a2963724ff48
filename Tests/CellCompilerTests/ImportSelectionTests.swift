import CellCompiler
import Testing

/// `NameTable.imports(referencing:)`: which earlier cells a new cell imports.
struct ImportSelectionTests {
    /// A table of `cells`, each registered as having imported what the selection gave it.
    func table(_ cells: [String]) -> NameTable {
        var table = NameTable()
        for (index, code) in cells.enumerated() {
            let split = SplitCell(parsing: code)
            let imports = table.imports(referencing: split.referencedNames)
            table.register(module: "Cell_\(index + 1)", split: split, importedModules: imports.modules)
        }
        return table
    }

    func selected(_ table: NameTable, for code: String) -> [String] {
        table.imports(referencing: SplitCell(parsing: code).referencedNames).modules
    }

    @Test func aChainOfValuesImportsOnlyThePreviousCell() {
        let cells = ["let v1 = 1"] + (2...30).map { "let v\($0) = v\($0 - 1) + 1" }
        let names = table(cells)
        #expect(names.cells[29].importedModules == ["Cell_29"])
        let imports = names.imports(referencing: SplitCell(parsing: "let v31 = v30 + 1").referencedNames)
        #expect(imports.modules == ["Cell_30"])
        #expect(imports.lines == ["@_implementationOnly @testable import Cell_30"])
        #expect(selected(names, for: "print(42)").isEmpty)
        // The complete set is unchanged: every cell, ordinary imports.
        #expect(names.imports().modules.count == 30)
        #expect(names.imports().lines.first == "@testable import Cell_1")
    }

    @Test func membersAndExtendedTypesSelectTheirCell() {
        let names = table([
            "struct Pendulum {\n  var length = 1.0\n  enum Mode { case damped }\n  func period() -> Double { length }\n}",
            "extension Array where Element == Double {\n  var spread: Double { (self.max() ?? 0) - (self.min() ?? 0) }\n  init(ramp n: Int) { self = (0..<n).map(Double.init) }\n}",
            "let numbers = [1.0, 4.0]",
        ])
        #expect(selected(names, for: "let q = numbers") == ["Cell_3"])
        #expect(selected(names, for: "numbers.spread") == ["Cell_2", "Cell_3"])  // a member of the extension
        #expect(selected(names, for: "[Double](ramp: 3)") == ["Cell_2"])  // an initialiser's label
        #expect(selected(names, for: "let a: Array<Int> = []") == ["Cell_2"])  // the extended type
        #expect(selected(names, for: "let m = Mode.damped") == ["Cell_1"])  // a nested type's name
        #expect(selected(names, for: "let p = Pendulum()\np.period()") == ["Cell_1"])
    }

    @Test func cellsOfTypesComeAlongWithTheValuesThatUseThem() {
        let names = table([
            "struct Point { var x = 1.0 }",
            "let origin = Point()",
            "let copy = origin",
            "let unrelated = 5",
        ])
        #expect(names.cells[2].importedModules == ["Cell_1", "Cell_2"])
        // `copy` has the type of cell 1: importing cell 3 brings cell 1, not the value cell 2.
        #expect(selected(names, for: "print(copy)") == ["Cell_1", "Cell_3"])
        #expect(selected(names, for: "unrelated + 1") == ["Cell_4"])
    }

    @Test func operatorsAndConformancesAreAlwaysImported() {
        let names = table([
            "infix operator ***\nfunc *** (a: Int, b: Int) -> Int { a * b }",
            "protocol Named { var name: String { get } }\nextension Int: Named { var name: String { \"n\\(self)\" } }",
            "let other = 1",
        ])
        #expect(selected(names, for: "print(1)") == ["Cell_1", "Cell_2"])
        #expect(names.imports(referencing: []).lines == [
            "@_implementationOnly @testable import Cell_1", "@_implementationOnly @testable import Cell_2",
        ])
    }

    @Test func theLatestDefinitionWinsAmongTheSelectedCells() {
        let names = table(["let x = 1\nlet y = 2", "let x = \"three\""])
        #expect(selected(names, for: "x + \"!\"") == ["Cell_2"])
        #expect(names.imports(referencing: SplitCell(parsing: "print(x, y)").referencedNames).lines == [
            "@_implementationOnly @testable import enum Cell_1._Cell_1_Marker",
            "@_implementationOnly @testable import let Cell_1.y",
            "@_implementationOnly @testable import Cell_2",
        ])
        // A shadowed name alone does not select its old cell.
        #expect(selected(names, for: "let z = x") == ["Cell_2"])
    }

    @Test func aForgottenGlobalDoesNotSelectItsCell() {
        var names = table(["let broken = 1\nlet fine = 2"])
        names.forget("broken", declaredIn: "Cell_1")
        #expect(selected(names, for: "broken + 1").isEmpty)
        #expect(selected(names, for: "fine + 1") == ["Cell_1"])
    }
}
