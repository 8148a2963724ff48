import CellCompiler
import Testing

struct GenerationAndDiagnosticsTests {
    let generator = CellSourceGenerator(persistentImports: ["import Foundation"], cellImports: (["@testable import Cell_1"], ["Cell_1"]))

    func generate(_ code: String) -> GeneratedCell {
        generator.generate(code: code, split: SplitCell(parsing: code), module: "Cell_2")
    }

    @Test func cellTextKeepsItsColumnsAndLines() {
        let code = "let α = 1; print(α)\nfunc f() {}\nα + 1"
        let generated = generate(code)
        let lines = generated.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let cellLines = code.split(separator: "\n").map(String.init)
        // Every mapped line shows the cell line's text at the same byte columns (others blanked).
        var mappedCount = 0
        for (index, mapped) in generated.lineMap.enumerated() {
            guard let cellLine = mapped else { continue }
            let generatedBytes = Array(lines[index].utf8), cellBytes = Array(cellLines[cellLine].utf8)
            for (column, byte) in generatedBytes.enumerated() where byte != 0x20 {
                #expect(cellBytes[column] == byte, "line \(index): \(lines[index])")
                mappedCount += 1
            }
        }
        #expect(mappedCount == code.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != UInt8(ascii: ";") }.count)
        #expect(generated.source.hasPrefix("import GNPE\nimport Foundation\n@testable import Cell_1\n"))
        #expect(generated.source.contains("_ = α"))
        #expect(generated.source.contains("GNPE._emitExecuteResult("))
        #expect(generated.source.contains("@_cdecl(\"cell_entry\")"))
    }

    @Test func diagnosticsPointAtTheCellsLineAndScalarColumn() {
        let code = "let α = 1\nlet b = \"é\" + nope"
        let generated = generate(code)
        let lines = generated.source.split(separator: "\n", omittingEmptySubsequences: false)
        let generatedLine = generated.lineMap.firstIndex { $0 == 1 }! + 1
        let byteColumn = Array(lines[generatedLine - 1].utf8).count - 3  // "nope" starts 4 bytes from the end
        let output = """
            /tmp/c/Cell_2.swift:\(generatedLine):\(byteColumn): error: cannot find 'nope' in scope
            /tmp/c/Cell_2.swift:\(generatedLine):\(byteColumn): warning: something minor
            /tmp/c/Cell_2.swift:1:1: error: generated-line problem
            /other/file.swift:3:4: note: declared here
            """
        let diagnostics = CellDiagnostic.parse(compilerOutput: output, file: "/tmp/c/Cell_2.swift", generated: generated, cell: code)
        #expect(diagnostics.count == 3)
        #expect(diagnostics[0].formattedLines == [
            "2:15: error: cannot find 'nope' in scope", "let b = \"é\" + nope", String(repeating: " ", count: 14) + "^",
        ])
        #expect(diagnostics[1].severity == .warning)
        #expect(diagnostics[2].formattedLines == ["error: generated-line problem"])
    }

    @Test func completionCursorLandsInTheCopiedText() {
        let code = "let s = \"ü\"\ns.up"
        let generated = generator.generate(code: code, split: SplitCell(parsing: code), module: "Cell_2", showingResult: false)
        let cursorUTF8 = Array(code.utf8).count
        let offset = generated.sourceOffset(forCellOffset: cursorUTF8)
        let before = String(decoding: Array(generated.source.utf8)[..<offset], as: UTF8.self)
        #expect(before.hasSuffix("\ns.up"))
        #expect(!generated.source.contains("_emitExecuteResult"))
    }

    @Test(arguments: [
        ("", "complete"), ("let x = 1", "complete"), ("func f() {", "incomplete"), ("print(\"abc", "incomplete"),
        ("let s = \"\"\"\nabc", "incomplete"), ("/* open", "incomplete"), ("let a = [1, (2", "incomplete"),
        ("let x = (1]", "invalid"), ("}", "invalid"), ("let s = \"a\nb\"", "invalid"),
        ("print(\"(\\(x)\")", "complete"), ("let s = #\"a \" b\"#", "complete"), ("// {\nlet y = 2", "complete"),
        ("print(\"\\(f(\"", "incomplete"), ("#if DEBUG\n#endif", "complete"), ("let e = \"\"", "complete"),
    ])
    func lexicalCompleteness(code: String, expected: String) {
        let status: String
        switch LexicalCompleteness.check(code) {
        case .complete: status = "complete"
        case .incomplete: status = "incomplete"
        case .invalid: status = "invalid"
        }
        #expect(status == expected, "\(code)")
    }

    @Test func incompleteIndentFollowsBracketDepth() {
        #expect(LexicalCompleteness.check("func f() {\n    if x {") == .incomplete(indent: "        "))
    }
}
