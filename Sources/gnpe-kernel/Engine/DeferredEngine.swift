import Foundation
import KernelRuntime

/// An engine created on a background thread while the kernel already answers the front end.
///
/// Starting the real engine (worker process, compiler module-cache warm-up) takes a moment; the
/// kernel binds its sockets and replies to `kernel_info_request` meanwhile, and the first request
/// that needs the engine waits for it. If the engine cannot start, every cell fails with an
/// error that says why, instead of the kernel dying without a word.
final class DeferredEngine: ExecutionEngine, @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var engine: ExecutionEngine?
    private var failure: String?
    private var resolved = false

    /// Starts creating the engine with `make` on a background thread.
    /// - Parameter make: Creates the engine; its error message is shown to the user if it throws.
    init(_ make: @escaping @Sendable () throws -> ExecutionEngine) {
        let thread = Thread { [self] in
            do {
                let created = try make()
                lock.lock()
                engine = created
                lock.unlock()
            } catch {
                lock.lock()
                failure = String(describing: error)
                lock.unlock()
                Log.write("the cell engine could not start: \(error)")
            }
            ready.signal()
        }
        thread.name = "engine-start"
        thread.start()
    }

    /// The engine once it exists (waits for it), or nil if it failed to start.
    private func resolve() -> ExecutionEngine? {
        lock.lock()
        if resolved {
            defer { lock.unlock() }
            return engine
        }
        lock.unlock()
        ready.wait()
        ready.signal()  // let every other waiter through too
        lock.lock()
        defer { lock.unlock() }
        resolved = true
        return engine
    }

    /// The engine if it is already running, without waiting.
    private var startedEngine: ExecutionEngine? {
        lock.lock()
        defer { lock.unlock() }
        return engine
    }

    func execute(code: String, executionCount: Int, sink: ExecutionSink) -> ExecutionOutcome {
        guard let engine = resolve() else {
            let reason = lock.withLock { failure } ?? "unknown error"
            return .error(
                name: "EngineUnavailable", value: reason,
                traceback: ["error: the Swift cell engine could not start: \(reason)"])
        }
        return engine.execute(code: code, executionCount: executionCount, sink: sink)
    }

    func interrupt() { startedEngine?.interrupt() }

    func restart() { resolve()?.restart() }

    func shutdown() { startedEngine?.shutdown() }

    func complete(code: String, cursor: Int) -> CompletionResult {
        resolve()?.complete(code: code, cursor: cursor)
            ?? CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor)
    }

    func inspect(code: String, cursor: Int, detailLevel: Int) -> String? {
        resolve()?.inspect(code: code, cursor: cursor, detailLevel: detailLevel)
    }

    func isComplete(code: String) -> (status: CompletenessStatus, indent: String) {
        resolve()?.isComplete(code: code) ?? (.unknown, "")
    }
}
