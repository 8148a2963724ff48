import Foundation
import Testing

@testable import CellCompiler

struct DirectiveTests {
    @Test(arguments: [
        ("%include \"helper.swift\"", CellDirective.include(path: "helper.swift")),
        ("  %include \"dir/a b.swift\"  ", .include(path: "dir/a b.swift")),
        (
            "%install '.package(path: \"../Sim\")' Sim",
            .install(dependency: ".package(path: \"../Sim\")", products: ["Sim"])
        ),
        (
            "%install '.package(url: \"https://x.org/a.git\", from: \"1.2.0\")' A B_c",
            .install(dependency: ".package(url: \"https://x.org/a.git\", from: \"1.2.0\")", products: ["A", "B_c"])
        ),
    ])
    func parsesDirectives(line: String, expected: CellDirective) throws {
        #expect(try CellDirective.parse(line: line) == expected)
    }

    @Test func swiftLinesAreNotDirectives() throws {
        #expect(try CellDirective.parse(line: "let x = 1 % 2") == nil)
        #expect(try CellDirective.parse(line: "") == nil)
    }

    @Test(arguments: [
        ("%include helper.swift", "one quoted file name"),
        ("%install '.package(path: \"x\")'", "at least one product"),
        ("%install .package(path: \"x\") X", "single quotes"),
        ("%install 'x' X", "`.package(…)` expression"),
        ("%install-swiftpm-flags -c release", "not supported"),
        ("%magic", "unknown directive `%magic`"),
    ])
    func badDirectivesNameTheProblem(line: String, message: String) {
        #expect {
            try CellDirective.parse(line: line)
        } throws: { error in
            (error as? CellDirectiveError)?.message.contains(message) == true
        }
    }

    /// A temporary folder with `files` (name → text).
    func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "directive-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/sub", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8) }
        return path
    }

    @Test func includeReplacesTheLineAndKeepsTheOthers() throws {
        let directory = try folder(["a.swift": "let a = 1\n%include \"sub/b.swift\"\n", "sub/b.swift": "let b = 2"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cell = try ExpandedCell(
            expanding: "let before = 0\n%include \"a.swift\"\n%install '.package(path: \"P\")' P\nprint(a + b)",
            workingDirectory: directory)
        #expect(cell.text == "let before = 0\nlet a = 1\nlet b = 2\n\nprint(a + b)")
        #expect(
            cell.origins.map { "\($0.file ?? "cell"):\($0.line)" }
                == ["cell:1", "a.swift:1", "sub/b.swift:1", "cell:3", "cell:4"])
        #expect(cell.installations == [.init(dependency: ".package(path: \"P\")", products: ["P"], line: 3)])
        #expect(cell.hasDirectives)
    }

    @Test func aMissingFileOrACycleIsAnErrorOnItsLine() throws {
        let directory = try folder(["self.swift": "// comment\n%include \"self.swift\""])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect {
            try ExpandedCell(expanding: "let x = 1\n%include \"missing.swift\"", workingDirectory: directory)
        } throws: { error in
            let error = error as? CellDirectiveError
            return error?.line == 2 && error?.file == nil && error?.message.contains("does not exist") == true
        }
        #expect {
            try ExpandedCell(expanding: "%include \"self.swift\"", workingDirectory: directory)
        } throws: { error in
            let error = error as? CellDirectiveError
            return error?.file == "self.swift" && error?.line == 2 && error?.message.contains("includes itself") == true
        }
    }

    @Test func compileErrorsPointAtTheIncludedFile() throws {
        let directory = try folder(["bad.swift": "// fine\nlet wrong: Int = \"text\""])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cell = try ExpandedCell(expanding: "let ok = 1\n%include \"bad.swift\"", workingDirectory: directory)
        var failure = CellCompiler.CompilationFailure(diagnostics: [], compilerOutput: "", wasCancelled: false)
        let diagnostic = CellDiagnostic.parse(
            compilerOutput: "/x.swift:3:18: error: cannot convert value",
            file: "/x.swift",
            generated: GeneratedCell(
                module: "Cell_1", source: "", lineMap: [0, 1, 2], segments: [],
                bodyEndOffset: 0, importedModules: []),
            cell: cell.text)
        failure.diagnostics = diagnostic
        let lines = failure.relocated(to: cell).formattedLines
        #expect(lines.first == "bad.swift:2:18: error: cannot convert value")
        #expect(lines.dropFirst().first == "let wrong: Int = \"text\"")
    }
}
