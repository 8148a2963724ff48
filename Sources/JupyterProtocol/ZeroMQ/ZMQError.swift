import CZeroMQ

/// A failed ZeroMQ call, with the library's own description of `errno`.
public struct ZMQError: Error, CustomStringConvertible, Sendable {
    /// The ZeroMQ function that failed, e.g. `"zmq_bind"`.
    public var operation: String
    /// The `errno` value ZeroMQ reported.
    public var code: Int32

    /// Captures the current ZeroMQ error for `operation`.
    /// - Parameter operation: The name of the call that just failed.
    /// - Returns: The error, holding `zmq_errno()`.
    static func current(_ operation: String) -> ZMQError {
        ZMQError(operation: operation, code: zmq_errno())
    }

    /// `"<operation>: <strerror>"`.
    public var description: String {
        "\(operation): \(String(cString: zmq_strerror(code)))"
    }
}
