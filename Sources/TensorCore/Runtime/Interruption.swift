import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The error thrown by a long library loop (training, simulation, sampling) when the user
/// interrupts it (the ■ button in a notebook, or SIGINT).
///
/// State built before the interruption stays intact: a trainer keeps its best weights so far.
/// A loop that returns a value (a sampler) attaches what it had finished as ``partialResult``
/// (its documentation names the type), e.g.
///
/// ```swift
/// do { result = try sampler.sample(...) }
/// catch let error as InterruptedError { partial = error.partialResult as? GibbsSampler.Result }
/// ```
public struct InterruptedError: Error, CustomStringConvertible, Sendable {
    /// Where the interruption was noticed, e.g. `"training, epoch 12"`.
    public var location: String
    /// What the interrupted loop had finished, if it keeps anything (see the loop's `- Throws:`).
    public var partialResult: (any Sendable)?
    /// Creates an interruption error noticed at `location`.
    /// - Parameters:
    ///   - location: Where the interruption was noticed.
    ///   - partialResult: What the loop had finished, or `nil`.
    public init(location: String, partialResult: (any Sendable)? = nil) {
        self.location = location
        self.partialResult = partialResult
    }
    /// This error with `partialResult` attached.
    /// - Parameter partial: What the loop had finished.
    /// - Returns: A copy carrying `partial`.
    public func keeping(_ partial: (any Sendable)?) -> InterruptedError {
        InterruptedError(location: location, partialResult: partial)
    }
    /// A one-line description for the user.
    public var description: String {
        "Interrupted (\(location)); state before the interruption is kept"
            + (partialResult == nil ? "." : "; the work finished so far is in the error's partialResult.")
    }
}

/// Cooperative interruption of long-running library loops.
///
/// The worker process installs ``installSignalHandler()`` once; its SIGINT handler only sets an
/// atomic flag (async-signal-safe). Loops call ``checkpoint(_:)`` every iteration, which throws
/// ``InterruptedError`` once and clears the flag.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Whether an interruption is pending.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Marks an interruption as pending (what the SIGINT handler does).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears a pending interruption (the kernel does this before each cell).
    public static func reset() { flag.store(false, ordering: .relaxed) }

    /// Throws ``InterruptedError`` if an interruption is pending, and clears it.
    /// - Parameter location: Where the loop is, for the message (e.g. `"training, epoch 3"`).
    /// - Throws: ``InterruptedError``.
    @inline(__always)
    public static func checkpoint(_ location: @autoclosure () -> String) throws {
        if let source = localSource, source.consume() {
            throw InterruptedError(location: location())
        }
        if flag.load(ordering: .relaxed) {
            flag.store(false, ordering: .relaxed)
            throw InterruptedError(location: location())
        }
    }

    /// The interruption source of the current task, if ``withLocalSource(_:operation:)`` set one.
    @TaskLocal public static var localSource: InterruptionSource?

    /// Runs `operation` with `source` as an extra, task-local interruption source: a
    /// ``checkpoint(_:)`` inside it throws once `source` is requested, without touching the
    /// process-wide flag. Tests use it to interrupt one loop while other tests run in parallel.
    /// - Parameters:
    ///   - source: The source to poll (in addition to the process-wide flag).
    ///   - operation: The work to run.
    /// - Returns: What `operation` returns.
    /// - Throws: What `operation` throws.
    public static func withLocalSource<R>(_ source: InterruptionSource, operation: () throws -> R) rethrows -> R {
        try $localSource.withValue(source, operation: operation)
    }

    /// Installs a SIGINT handler that calls ``request()``.
    public static func installSignalHandler() {
        _ = isRequested  // initialise the global before any signal can arrive
        #if canImport(Glibc)
            signal(SIGINT) { _ in Interruption.request() }
        #endif
    }
}

/// A task-local interruption request (see ``Interruption/withLocalSource(_:operation:)``).
public final class InterruptionSource: Sendable {
    private let flag = Atomic<Bool>(false)
    /// The number of checkpoints to let pass before the request takes effect.
    private let countdown: Atomic<Int>

    /// A source that is not yet requested.
    /// - Parameter afterCheckpoints: When given, the source requests itself after that many
    ///   checkpoints have passed (0 = the very next one), so that a test can interrupt a loop in
    ///   its middle deterministically.
    public init(afterCheckpoints: Int? = nil) {
        countdown = Atomic(afterCheckpoints ?? -1)
    }

    /// Marks an interruption as pending for the tasks that poll this source.
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Whether a request is pending (without consuming it). Worker threads do not see task-local
    /// values: capture `Interruption.localSource` on the calling thread and poll this, next to
    /// `Interruption.isRequested`.
    public var isRequested: Bool { flag.load(ordering: .relaxed) || countdown.load(ordering: .relaxed) == 0 }

    /// Whether the request is pending; clears it when it is (one interruption per request).
    func consume() -> Bool {
        let left = countdown.load(ordering: .relaxed)
        if left == 0 {
            countdown.store(-1, ordering: .relaxed)
            return true
        }
        if left > 0 { countdown.store(left - 1, ordering: .relaxed) }
        return flag.exchange(false, ordering: .relaxed)
    }
}
