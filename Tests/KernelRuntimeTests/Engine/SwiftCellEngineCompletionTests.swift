import Foundation
import KernelRuntime
import Testing

/// Completion and inspection through the engine: the cell as the next cell, answered by
/// sourcekit-lsp (helper service in KernelRuntime/Completion), with earlier cells in scope.
struct SwiftCellEngineCompletionTests {
    @Test func completesMembersOfEarlierCellsAndShowsTheirDocumentation() throws {
        let engine = try SwiftCellEngineTests.makeEngine()
        defer { engine.shutdown() }
        let outcome = engine.execute(
            code: "/// A greeting.\nlet greeting = \"abc\"\nstruct Point { var x = 1.0; func norm() -> Double { x } }",
            executionCount: 1, sink: RecordingSink())
        #expect(outcome == .ok)

        let members = engine.complete(code: "let p = Point()\np.no", cursor: 20)
        #expect(members.matches.contains("norm()"))
        #expect(members.cursorStart == 18 && members.cursorEnd == 20)

        // Cursor in Unicode scalars: "é" is one scalar, two UTF-8 bytes.
        let string = engine.complete(code: "let é = 1\ngreeting.upp", cursor: 22)
        #expect(string.matches.contains("uppercased()"))
        #expect(string.cursorStart == 19 && string.cursorEnd == 22)

        let documentation = engine.inspect(code: "greeting", cursor: 3, detailLevel: 0)
        #expect(documentation?.contains("let greeting: String") == true)
        #expect(documentation?.contains("A greeting.") == true)
    }
}
