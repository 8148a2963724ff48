import CellCompiler
import Foundation
import Testing

struct SplitCellTests {
    /// The text of each item of `code` with its role, trimmed.
    func roles(_ code: String) -> [(SplitCell.Role, String)] {
        let bytes = Array(code.utf8)
        return SplitCell(parsing: code).items.map {
            ($0.role, String(decoding: bytes[$0.range], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func declarationsStayAtFileScopeStatementsKeepTheirOrder() {
        let code = """
            import Foundation
            let x = 1
            print(x)
            func f() -> Int { x }
            var y: Int { x * 2 }
            x + f()
            """
        let items = roles(code)
        #expect(items.map(\.1) == ["import Foundation", "let x = 1", "print(x)", "func f() -> Int { x }", "var y: Int { x * 2 }", "x + f()"])
        #expect(items.map(\.0) == [.import, .storedGlobals(names: ["x"]), .statement, .declaration, .storedGlobals(names: []), .finalExpression])
        let split = SplitCell(parsing: code)
        #expect(split.declarations == [.init(name: "x", kind: .let), .init(name: "f", kind: .func, signature: "()"), .init(name: "y", kind: .var)])
        #expect(split.imports == ["import Foundation"])
        #expect(!split.declaresOperators)
    }

    @Test(arguments: [
        ("x = 3", false), ("x += 1", false), ("_ = f()", false), ("x == 3", true), ("f()", true), ("[1, 2].map { $0 * 2 }", true),
    ])
    func finalExpressionShowsValuesButNotAssignments(code: String, shows: Bool) {
        let last = SplitCell(parsing: "var x = 1\n" + code).items.last!.role
        #expect((last == .finalExpression) == shows)
    }

    @Test func itemsOnOneLineAndSemicolons() {
        let items = roles("let a = 1; print(a); a")
        #expect(items.map(\.1) == ["let a = 1", "print(a)", "a"])
        #expect(items.map(\.0) == [.storedGlobals(names: ["a"]), .statement, .finalExpression])
    }

    @Test func typesPatternsAndOperators() {
        let split = SplitCell(parsing: """
            struct S {}; class C {}; enum E {}; protocol P {}; actor A {}; typealias T = Int
            let (p, q) = (1, 2)
            let _ = 5
            extension Int { var twice: Int { self * 2 } }
            infix operator ***
            func *** (a: Int, b: Int) -> Int { a * b }
            """)
        #expect(split.declarations.map(\.name) == ["S", "C", "E", "P", "A", "T", "p", "q", "***"])
        #expect(split.declarations.map(\.kind) == [.struct, .class, .enum, .protocol, .actor, .typealias, .let, .let, .func])
        #expect(split.declaresOperators)
        #expect(split.hasDeclarations)
        // `let _ = 5` binds nothing: it runs as a statement.
        #expect(split.items[7].role == .statement)
    }

    @Test func throwingInitialiserIsComputedAsAResult() {
        let code = "let v = try parse(\"1\")"
        let split = SplitCell(parsing: code)
        guard case .throwingGlobal(let name, let valueRange, _) = split.items[0].role else {
            Issue.record("\(split.items)")
            return
        }
        #expect(name == "v")
        #expect(String(decoding: Array(code.utf8)[valueRange], as: UTF8.self).hasSuffix("try parse(\"1\")"))
        #expect(SplitCell(parsing: "let w = try? parse(\"1\")").items[0].role == .storedGlobals(names: ["w"]))
    }
}

struct SplitCellNamesTests {
    @Test func referencedNamesAreTheCellsIdentifiersWithoutBackticks() {
        let split = SplitCell(parsing: "let `class` = model.train(epochs: n)\nprint(\"\\(value.mean)\")\n$0 ?? a <*> b")
        for name in ["class", "model", "train", "epochs", "n", "print", "value", "mean", "let", "$0", "??", "<*>"] {
            #expect(split.referencedNames.contains(name), "\(name)")
        }
        #expect(!split.referencedNames.contains("`class`"))
    }

    @Test func membersOfTypesAndExtensionsAtAnyDepth() {
        let split = SplitCell(parsing: """
            struct Outer {
                var a = 1, (b, c) = (2, 3)
                struct Inner { static let deep = 0; func g() {} }
                enum Kind { case one, two(Int) }
                init(label x: Int) {}
                subscript(row r: Int) -> Int { r }
                typealias Alias = Int
            }
            extension Swift.Dictionary: CustomThing where Key == String { func h() {} }
            let value = 3
            """)
        #expect(split.memberNames == ["a", "b", "c", "Inner", "deep", "g", "Kind", "one", "two", "label", "row", "Alias", "h"])
        #expect(split.extendedTypes == ["Swift", "Dictionary"])
        #expect(split.declaresTypes)
        #expect(split.declaresConformances)
        #expect(!SplitCell(parsing: "extension Int { var twice: Int { self * 2 } }").declaresConformances)
        #expect(!SplitCell(parsing: "let x = 1\nfunc f() {}").declaresTypes)
        #expect(SplitCell(parsing: "typealias Vector = [Double]").declaresTypes)
    }

    @Test func syntaxErrorsAreNoticed() {
        #expect(SplitCell(parsing: "let x = )").hasSyntaxErrors)
        #expect(SplitCell(parsing: "func f( {").hasSyntaxErrors)
        #expect(!SplitCell(parsing: "let broken: Int = \"text\"").hasSyntaxErrors)  // a type error
    }
}
