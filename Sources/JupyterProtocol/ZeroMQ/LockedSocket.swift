import Foundation

/// A ``ZMQSocket`` shared between threads: every send and receive holds one lock.
///
/// The kernel publishes on iopub from the shell thread, the control thread and the engine's
/// output readers; ZeroMQ sockets are not thread-safe, so they all go through this lock.
public final class LockedSocket: @unchecked Sendable {
    /// The wrapped socket.
    public let socket: ZMQSocket
    private let lock = NSLock()

    /// Wraps `socket`.
    /// - Parameter socket: A socket no other code uses directly.
    public init(_ socket: ZMQSocket) {
        self.socket = socket
    }

    /// Runs `body` with exclusive use of the socket.
    /// - Parameter body: Code that sends or receives on the socket.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withSocket<T>(_ body: (ZMQSocket) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(socket)
    }
}
