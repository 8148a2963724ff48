import Foundation

/// The C callback through which a cell reports a thrown error to the kernel's worker:
/// `(type name, message)`, both NUL-terminated UTF-8.
public typealias _CellFailureReporter = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void

/// Runs a cell's body and reports an error it throws. Generated cell code calls this from its
/// `cell_entry`; users do not need to.
/// - Parameters:
///   - body: The cell's statements.
///   - report: Receives the thrown error's type name and message.
/// - Returns: 0 when the body returned, 1 when it threw.
public func _runCell(_ body: () throws -> Void, reportingFailureTo report: _CellFailureReporter) -> Int32 {
    do {
        try body()
        fflush(stdout)
        return 0
    } catch {
        fflush(stdout)
        let description = _describe(error)
        description.type.withCString { type in
            description.message.withCString { message in report(type, message) }
        }
        return 1
    }
}

/// Runs a cell's `async` body (a cell whose statements use `await`) on a task and waits for it;
/// reports an error it throws. Generated cell code calls this from its `cell_entry`.
///
/// The worker's main thread waits meanwhile: code that needs the main actor does not run.
/// - Parameters:
///   - body: The cell's statements.
///   - report: Receives the thrown error's type name and message.
/// - Returns: 0 when the body returned, 1 when it threw.
public func _runAsyncCell(_ body: @escaping () async throws -> Void, reportingFailureTo report: _CellFailureReporter)
    -> Int32
{
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) let body = body
    Task.detached {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    return _runCell({ if let error = outcome.error { throw error } }, reportingFailureTo: report)
}

/// The error a cell throws when the initialiser of a top-level `let x = try …` throws: the
/// kernel reports `underlying` and forgets `x` (it has no value).
public struct _GlobalInitializationFailure: Error {
    /// The global's name.
    public var name: String
    /// The error its initialiser threw.
    public var underlying: any Error
    /// Creates the failure.
    public init(name: String, underlying: any Error) {
        self.name = name
        self.underlying = underlying
    }
}

/// The type name and message shown for a thrown error: a `LocalizedError`'s
/// `errorDescription`, else the error's description.
///
/// For a ``_GlobalInitializationFailure`` the type name is followed by U+0001 and the global's
/// name, which the kernel strips.
func _describe(_ error: any Error) -> (type: String, message: String) {
    if let failure = error as? _GlobalInitializationFailure {
        let inner = _describe(failure.underlying)
        return (inner.type + "\u{1}" + failure.name, inner.message)
    }
    let type = String(describing: Swift.type(of: error))
    if let localized = error as? LocalizedError, let text = localized.errorDescription {
        return (type, text)
    }
    return (type, String(describing: error))
}
