import CZeroMQ

/// Owns one ZeroMQ context (`zmq_ctx_new`) and terminates it when the last reference goes away.
///
/// Every ``ZMQSocket`` keeps its context alive, so a context is never terminated while one of its
/// sockets is open.
public final class ZMQContext: @unchecked Sendable {
    /// The raw `void *` context handle.
    let handle: UnsafeMutableRawPointer

    /// Creates a new ZeroMQ context.
    /// - Throws: ``ZMQError`` when ZeroMQ cannot create one.
    public init() throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError.current("zmq_ctx_new") }
        self.handle = handle
    }

    deinit {
        zmq_ctx_term(handle)
    }
}
