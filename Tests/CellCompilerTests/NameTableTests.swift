import CellCompiler
import Testing

struct NameTableTests {
    func table(_ cells: [String]) -> NameTable {
        var table = NameTable()
        for (index, code) in cells.enumerated() {
            table.register(module: "Cell_\(index + 1)", split: SplitCell(parsing: code))
        }
        return table
    }

    @Test func unshadowedCellsAreImportedWhole() {
        let imports = table(["let x = 1", "func f() {}", "print(1)"]).imports()
        #expect(imports.lines == ["@testable import Cell_1", "@testable import Cell_2"])
        #expect(imports.modules == ["Cell_1", "Cell_2"])  // a cell of statements only is not imported
    }

    @Test func redefinedValueFunctionAndTypeComeFromTheLatestCell() {
        let names = table([
            "var x = 1\nfunc f() -> Int { 1 }\nstruct P {}\nlet keep = 0",
            "let x = \"s\"",
            "func f() -> String { \"\" }\nstruct P { var b = 1 }",
        ])
        #expect(names.module(declaring: "x") == "Cell_2")
        #expect(names.module(declaring: "f") == "Cell_3")
        #expect(names.module(declaring: "P") == "Cell_3")
        #expect(names.module(declaring: "keep") == "Cell_1")
        #expect(names.imports().lines == [
            "@testable import enum Cell_1._Cell_1_Marker",
            "@testable import let Cell_1.keep",
            "@testable import Cell_2",
            "@testable import Cell_3",
        ])
    }

    @Test func functionsWithOtherParametersAreOverloads() {
        let names = table([
            "func g(_ a: Int) -> Int { a }\nlet other = 1",
            "func g(_ a: String) -> String { a }",
            "func g(_ b: Int) -> Double { 0 }\nfunc h(x: Int...) {}",
        ])
        // g(_:Int) was redefined (same parameters, another return type); g(_:String) is an overload.
        #expect(names.imports().lines == [
            "@testable import enum Cell_1._Cell_1_Marker",
            "@testable import let Cell_1.other",
            "@testable import Cell_2",
            "@testable import Cell_3",
        ])
        #expect(names.cells[2].declarations.map(\.key) == ["g(_:Int)", "h(x:Int...)"])
    }

    @Test func operatorCellsStayWholeImports() {
        let names = table(["infix operator ***\nfunc *** (a: Int, b: Int) -> Int { a * b }\nlet y = 1", "let y = 2"])
        #expect(names.imports().lines == ["@testable import Cell_1", "@testable import Cell_2"])
    }

    @Test func extensionOnlyCellsAreImportedWhole() {
        let names = table(["extension Int { var twice: Int { self * 2 } }"])
        #expect(names.imports().lines == ["@testable import Cell_1"])
    }
}
