import CellCompiler
import Foundation
import Testing

@testable import KernelRuntime

/// The engine with a session directory, and the cell compiler's import selection with the real
/// compiler (needs the release or debug products beside the tests, as SwiftCellEngineTests).
@Suite(.serialized)
struct SwiftCellEngineSessionTests {
    @Test func theWorkerGetsTheSessionDirectoryAndACrashListsWhatWasKept() throws {
        let session = NSTemporaryDirectory() + "gnpe-engine-session-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: session + "/kept", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: session) }
        var configuration = try EngineConfiguration.besideExecutable()
        configuration.sessionDirectory = session
        let engine = try SwiftCellEngine(configuration: configuration)
        defer { engine.shutdown() }

        let sink = RecordingSink()
        let outcome = engine.execute(
            code: "import Foundation\nprint(ProcessInfo.processInfo.environment[\"GNPE_SESSION_DIR\"] ?? \"unset\")",
            executionCount: 1, sink: sink)
        #expect(outcome == .ok)
        #expect(sink.stdout == session + "\n")
        #expect(FileManager.default.fileExists(atPath: session + "/cells"))

        // What the library writes before a simulator traps.
        try "simulating 1000 parameter sets (batch 2)".write(
            toFile: session + "/crash-context.txt", atomically: true, encoding: .utf8)
        try """
            {"kind": "simulations", "summary": "2000 simulations of the oscillator", "restore": "let sims = try SimulationSet.load(from: \\"\(session)/kept/s1\\")", "path": "\(session)/kept/s1", "createdAt": "2026-11-27T10:00:00Z"}
            """.write(toFile: session + "/kept/s1.json", atomically: true, encoding: .utf8)
        guard case .error(let name, _, let traceback) = engine.execute(
            code: "let values = [1]\nprint(values[3])", executionCount: 2, sink: RecordingSink())
        else {
            Issue.record("the crashing cell did not fail")
            return
        }
        #expect(name == "Crash")
        let context = try #require(traceback.firstIndex(of: "While it crashed:"))
        #expect(traceback[context + 1] == "    simulating 1000 parameter sets (batch 2)")
        let kept = try #require(traceback.firstIndex(of: "Kept from this session (restore with one line each):"))
        #expect(traceback[kept + 1] == "  2000 simulations of the oscillator")
        #expect(traceback[kept + 2].hasPrefix("    let sims = try SimulationSet.load("))
        #expect(traceback.last == SessionRecords.restartNoteWithKeptItems)
        #expect(!FileManager.default.fileExists(atPath: session + "/crash-context.txt"))
        #expect(FileManager.default.fileExists(atPath: session + "/kept/s1.json"))

        // The new worker got the directory too.
        let after = RecordingSink()
        #expect(engine.execute(
            code: "print(ProcessInfo.processInfo.environment[\"GNPE_SESSION_DIR\"] ?? \"unset\")",
            executionCount: 3, sink: after) == .ok)
        #expect(after.stdout == session + "\n")
    }

    @Test func aCellTheSelectionMissesCompilesWithEveryEarlierCell() throws {
        let engineConfiguration = try EngineConfiguration.besideExecutable()
        let cells = NSTemporaryDirectory() + "gnpe-selection-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cells) }
        let compiler = CellCompiler(configuration: CellCompilerConfiguration(
            compiler: engineConfiguration.compiler, modulesDirectory: engineConfiguration.modulesDirectory,
            libraryDirectory: URL(fileURLWithPath: engineConfiguration.libraryPath).deletingLastPathComponent().path,
            cellsDirectory: cells, extraFlags: engineConfiguration.extraCompilerFlags))
        func compile(_ code: String) throws -> CellCompiler.CompiledCell {
            switch compiler.compile(code) {
            case .success(let cell): return cell
            case .failure(let failure):
                Issue.record("\(code): \(failure.formattedLines)")
                throw failure
            }
        }
        // An unlabelled subscript in an extension is used without naming anything it declares.
        _ = try compile("extension Array where Element == Int {\n  subscript(name: String) -> Int { count }\n}")
        let values = try compile("let values = [1, 2, 3]")
        #expect(values.usedSelectedImports)
        #expect(values.generated.importedModules.isEmpty)
        let lookup = try compile("let n = values[\"three\"]")
        #expect(!lookup.usedSelectedImports)
        #expect(lookup.generated.importedModules == ["Cell_1", "Cell_2"])
        // A chain links only what it imports (and the cells of types and extensions the cells it
        // imports imported: cell 3 compiled with every earlier cell, so cell 1 comes along);
        // a cell that declares nothing leaves no module.
        let next = try compile("let m = n + 1")
        #expect(next.usedSelectedImports)
        #expect(next.generated.importedModules == ["Cell_1", "Cell_3"])
        #expect(next.generated.source.contains("@_implementationOnly @testable import Cell_3"))
        let statement = try compile("print(m)")
        #expect(!FileManager.default.fileExists(atPath: cells + "/\(statement.module).swiftmodule"))
        #expect(FileManager.default.fileExists(atPath: cells + "/\(next.module).swiftmodule"))
        #expect(!FileManager.default.fileExists(atPath: cells + "/\(next.module).swiftsourceinfo"))
    }
}
