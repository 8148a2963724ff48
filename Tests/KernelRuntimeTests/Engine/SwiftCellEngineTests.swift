import Foundation
@testable import KernelRuntime
import Testing

/// End-to-end tests: real cells compiled against the real libGNPE.so and run in gnpe-worker.
///
/// They need `swift build --product GNPE` and `swift build --product gnpe-worker` in the same
/// configuration as the tests (the engine looks beside the test executable, `.build/<config>/`).
@Suite(.serialized)
struct SwiftCellEngineTests {
    static func makeEngine() throws -> SwiftCellEngine {
        let configuration: EngineConfiguration
        do {
            configuration = try EngineConfiguration.besideExecutable()
        } catch {
            Issue.record("\(error) — run `swift build --product GNPE && swift build --product gnpe-worker` first")
            throw error
        }
        return try SwiftCellEngine(configuration: configuration)
    }

    @discardableResult
    static func run(_ engine: SwiftCellEngine, _ code: String, _ sink: RecordingSink = RecordingSink())
        -> (ExecutionOutcome, RecordingSink)
    {
        (engine.execute(code: code, executionCount: 0, sink: sink), sink)
    }

    /// The worker runs cells with one BLAS thread and glibc malloc keeping its arenas (unless the
    /// kernel's own environment sets them; the test environment sets only OPENBLAS_NUM_THREADS).
    @Test func workerEnvironmentTunesBLASAndTheAllocator() throws {
        let engine = try Self.makeEngine()
        defer { engine.shutdown() }
        let names = ["OPENBLAS_NUM_THREADS", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"]
        let (outcome, sink) = Self.run(engine, "import Foundation\nfor name in \(names) { print(name, ProcessInfo.processInfo.environment[name] ?? \"unset\") }")
        #expect(outcome == .ok, "\(outcome)")
        let own = ProcessInfo.processInfo.environment
        let expected = WorkerProcess.environmentDefaults
        #expect(sink.stdout == names.map { "\($0) \(own[$0] ?? expected[$0]!)\n" }.joined())
    }

    @Test func stateRedefinitionResultsAndErrors() throws {
        let engine = try Self.makeEngine()
        defer { engine.shutdown() }

        // State across cells, a final expression's value, mutation from a later cell.
        var (outcome, sink) = Self.run(engine, "var total = 40\nfunc bump() { total += 1 }\nstruct P { var a = 1 }")
        #expect(outcome == .ok)
        (outcome, sink) = Self.run(engine, "bump()\ntotal += 1\nprint(\"total\", total)\ntotal * 2")
        #expect(outcome == .ok)
        #expect(sink.stdout == "total 42\n")
        #expect(sink.results == ["84"])

        // Redefinition of a value (new type), a function and a type; old cells' other names stay.
        (outcome, sink) = Self.run(
            engine, "let total = \"text\"\nfunc bump() -> String { total + \"!\" }\nstruct P { var b = \"x\" }")
        #expect(outcome == .ok)
        (outcome, sink) = Self.run(engine, "import Foundation\nprint(total.count, bump(), P().b)")
        #expect(outcome == .ok, "\(outcome)")
        #expect(sink.stdout == "4 text! x\n")

        // Foundation stays imported in later cells; a thrown error reports its type and message.
        (outcome, sink) = Self.run(engine, """
            struct Oops: Error, CustomStringConvertible { var description: String { "went wrong" } }
            let stamp = Date(timeIntervalSince1970: 0).timeIntervalSince1970
            print("before")
            throw Oops()
            """)
        #expect(sink.stdout == "before\n")
        #expect(outcome == .error(name: "Oops", value: "went wrong", traceback: ["Oops: went wrong"]))

        // A compile error on the cell's own line and column, with a caret; no stderr stream.
        (outcome, sink) = Self.run(engine, "let a = 1\nlet b = a + undefinedName")
        guard case .error(let name, _, let traceback) = outcome else {
            Issue.record("expected a compile error, got \(outcome)")
            return
        }
        #expect(name == "CompileError")
        #expect(traceback.first?.hasPrefix("2:13: error: cannot find 'undefinedName' in scope") == true, "\(traceback)")
        #expect(traceback.dropFirst().first == "let b = a + undefinedName")
        #expect(traceback.dropFirst(2).first == String(repeating: " ", count: 12) + "^")
        #expect(sink.events.isEmpty)

        // `let x = try f()` at the top level: the error is thrown by the cell, not a crash.
        (outcome, sink) = Self.run(engine, "func parse(_ s: String) throws -> Int { guard let v = Int(s) else { throw CocoaError(.formatting) }; return v }\nlet good = try parse(\"12\")\nlet bad = try parse(\"x\")")
        guard case .error(let thrownName, _, let thrownTraceback) = outcome else {
            Issue.record("expected a thrown error, got \(outcome)")
            return
        }
        #expect(thrownName == "CocoaError")
        #expect(thrownTraceback.last == "`bad` is not defined: its initialiser threw.")
        (outcome, sink) = Self.run(engine, "good + stamp.hashValue * 0")
        #expect(sink.results == ["12"])
        // `bad` has no value: a later cell does not see it (a compile error, not a crash).
        (outcome, sink) = Self.run(engine, "print(bad)")
        guard case .error(let badName, _, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(badName == "CompileError")
    }

    @Test func streamingCrashRestartAndInterrupt() throws {
        let engine = try Self.makeEngine()
        defer { engine.shutdown() }
        var (outcome, sink) = Self.run(engine, "import Foundation\nvar kept = [1, 2, 3]")
        #expect(outcome == .ok)

        // print streams while the cell runs: the first line arrives long before the last.
        (outcome, sink) = Self.run(engine, "print(\"first\")\nusleep(600_000)\nprint(\"second\")")
        #expect(outcome == .ok)
        #expect(sink.stdout == "first\nsecond\n")
        let times = sink.times
        if times.count == 2 { #expect(times[1].timeIntervalSince(times[0]) > 0.4) } else {
            Issue.record("expected two stdout chunks, got \(sink.events)")
        }

        // Interrupt of a loop that polls Interruption.checkpoint: InterruptedError, state kept.
        // The interrupt is sent once the cell is seen running (not after a fixed delay: on a
        // loaded machine the compile alone can take longer than any fixed delay).
        let interruptWhenRunning = RecordingSink()
        interruptWhenRunning.onStandardOutput = { text in
            if text.contains("looping") {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { engine.interrupt() }
            }
        }
        (outcome, sink) = Self.run(engine, """
            kept.append(4)
            var laps = 0
            print("looping")
            while true { try Interruption.checkpoint("lap \\(laps)"); laps += 1; usleep(1000) }
            """, interruptWhenRunning)
        guard case .error(let name, let value, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(name == "InterruptedError")
        #expect(value.contains("lap"))
        (outcome, sink) = Self.run(engine, "kept.count")
        #expect(sink.results == ["4"])

        // A crash: reported with its signal, the worker restarts, the next cell works.
        (outcome, sink) = Self.run(engine, "print(\"about to trap\")\nif kept.count > 0 { fatalError(\"deliberate trap\") }")
        guard case .error(let crashName, let crashValue, let traceback) = outcome else { Issue.record("\(outcome)"); return }
        #expect(crashName == "Crash")
        #expect(crashValue.contains("SIGILL") || crashValue.contains("SIGTRAP"))
        #expect(traceback.joined(separator: "\n").contains("Fatal error: deliberate trap"))
        #expect(traceback.last?.contains("restarted") == true)
        #expect(sink.stdout == "about to trap\n")
        (outcome, sink) = Self.run(engine, "kept.count")
        #expect(outcome == .ok)
        #expect(sink.results == ["3"])  // a global gets its initial value again after a restart

        // A tight loop that never polls is killed after the grace period; the next cell works.
        let interruptWhenSpinning = RecordingSink()
        interruptWhenSpinning.onStandardOutput = { text in
            if text.contains("spinning") {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { engine.interrupt() }
            }
        }
        (outcome, sink) = Self.run(
            engine, "var spin = 0\nprint(\"spinning\")\nwhile spin >= 0 { spin &+= 1; if spin == -1 { print(spin) } }",
            interruptWhenSpinning)
        guard case .error(let killedName, _, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(killedName == "Interrupted")
        (outcome, sink) = Self.run(engine, "print(\"alive\")")
        #expect(sink.stdout == "alive\n")
    }

    @Test func readLineAsksTheFrontEnd() throws {
        let engine = try Self.makeEngine()
        defer { engine.shutdown() }
        let sink = RecordingSink()
        sink.inputs = ["Ada", nil]
        let (outcome, _) = Self.run(engine, "let name = readLine()\nlet second = readLine(prompt: \"again? \")\nprint(name ?? \"-\", second ?? \"none\")", sink)
        #expect(outcome == .ok)
        #expect(sink.prompts == ["", "again? "])
        #expect(sink.stdout == "Ada none\n")

        // restart() forgets every cell; new cells work (and may reuse the names).
        engine.restart()
        var (after, afterSink) = Self.run(engine, "print(name ?? \"-\")")
        guard case .error(let errorName, _, _) = after else { Issue.record("\(after)"); return }
        #expect(errorName == "CompileError")
        (after, afterSink) = Self.run(engine, "let name = 5\nname * 2")
        #expect(after == .ok)
        #expect(afterSink.results == ["10"])
    }
}

extension SwiftCellEngineTests {
    @Test func scopedImportsOperatorsExtensionsAndDisplays() throws {
        let engine = try Self.makeEngine()
        defer { engine.shutdown() }
        var (outcome, sink) = Self.run(engine, "var x = 1\nlet keep = 10\nextension Int { var twice: Int { self * 2 } }")
        #expect(outcome == .ok)
        // x is redefined: the first cell is then imported through scoped imports only.
        (outcome, sink) = Self.run(engine, "let x = \"new\"\ninfix operator <+>: AdditionPrecedence\nfunc <+> (a: Int, b: Int) -> Int { a * 10 + b }")
        #expect(outcome == .ok)
        (outcome, sink) = Self.run(engine, "print(x, keep, keep.twice, 1 <+> 2)\ndisplay(\"shown\", id: \"d1\")\nupdateDisplay(\"updated\", id: \"d1\")")
        #expect(outcome == .ok, "\(outcome)")
        #expect(sink.stdout == "new 10 20 12\n")
        #expect(sink.events.contains(.rich(type: "display_data", text: "shown")))
        #expect(sink.events.contains(.rich(type: "update_display_data", text: "updated")))
        // `await` in statements runs the cell's body on a task (a global's initialiser cannot await).
        (outcome, sink) = Self.run(engine, "func later() async -> Int { 41 }\nprint(await later())\nawait later() + 1")
        #expect(outcome == .ok, "\(outcome)")
        #expect(sink.stdout == "41\n")
        #expect(sink.results == ["42"])
        // A cell of comments only does nothing (and needs no compile).
        let started = Date()
        (outcome, sink) = Self.run(engine, "// just a note\n\n/* and another */")
        #expect(outcome == .ok && sink.events.isEmpty)
        #expect(Date().timeIntervalSince(started) < 0.1)
        // A Void final expression shows nothing.
        (outcome, sink) = Self.run(engine, "print(\"no result\")")
        #expect(sink.results.isEmpty)
        // A function with other parameters is an overload; with the same ones, a replacement.
        (outcome, sink) = Self.run(engine, "func g(_ a: Int) -> Int { a + 1 }\nfunc h() -> Int { 1 }")
        (outcome, sink) = Self.run(engine, "func g(_ a: String) -> String { a + \"!\" }\nfunc h() -> String { \"h2\" }")
        (outcome, sink) = Self.run(engine, "print(g(1), g(\"a\"), h())")
        #expect(outcome == .ok, "\(outcome)")
        #expect(sink.stdout == "2 a! h2\n")
    }
}
