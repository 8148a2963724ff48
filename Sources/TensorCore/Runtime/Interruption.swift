import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The error thrown by a long library loop (training, simulation, sampling) when the user
/// interrupts it (the ■ button in a notebook, or SIGINT).
///
/// State built before the interruption stays intact: a trainer keeps its best weights so far.
public struct InterruptedError: Error, CustomStringConvertible, Sendable {
    /// Where the interruption was noticed, e.g. `"training, epoch 12"`.
    public var location: String
    /// Creates an interruption error noticed at `location`.
    public init(location: String) { self.location = location }
    /// A one-line description for the user.
    public var description: String { "Interrupted (\(location)); state before the interruption is kept." }
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
        if flag.load(ordering: .relaxed) {
            flag.store(false, ordering: .relaxed)
            throw InterruptedError(location: location())
        }
    }

    /// Installs a SIGINT handler that calls ``request()``.
    public static func installSignalHandler() {
        _ = isRequested  // initialise the global before any signal can arrive
        #if canImport(Glibc)
            signal(SIGINT) { _ in Interruption.request() }
        #endif
    }
}
