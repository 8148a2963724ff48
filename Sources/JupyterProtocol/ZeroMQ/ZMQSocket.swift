import CZeroMQ
import Foundation

/// Owns one ZeroMQ socket and closes it in `deinit`.
///
/// A ZeroMQ socket must be used by one thread at a time; callers that share a socket between
/// threads serialise access themselves (see ``LockedSocket``).
public final class ZMQSocket: @unchecked Sendable {
    /// The ZeroMQ socket types the kernel and its tests use.
    public enum Kind: Sendable {
        /// `ZMQ_ROUTER`: shell, control and stdin on the kernel side.
        case router
        /// `ZMQ_DEALER`: a front end's shell or control socket.
        case dealer
        /// `ZMQ_PUB`: iopub.
        case publisher
        /// `ZMQ_SUB`: a front end's iopub socket.
        case subscriber
        /// `ZMQ_REP`: heartbeat.
        case reply
        /// `ZMQ_REQ`: a front end's heartbeat socket.
        case request

        var rawValue: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .dealer: return ZMQ_DEALER
            case .publisher: return ZMQ_PUB
            case .subscriber: return ZMQ_SUB
            case .reply: return ZMQ_REP
            case .request: return ZMQ_REQ
            }
        }
    }

    private let context: ZMQContext
    private let handle: UnsafeMutableRawPointer

    /// Creates a socket of `kind` in `context`, with a linger of one second so that closing it
    /// never blocks the process for long.
    /// - Parameters:
    ///   - context: The context that owns the socket (kept alive by the socket).
    ///   - kind: The socket type.
    /// - Throws: ``ZMQError`` when ZeroMQ cannot create the socket.
    public init(context: ZMQContext, kind: Kind) throws {
        guard let handle = zmq_socket(context.handle, kind.rawValue) else {
            throw ZMQError.current("zmq_socket")
        }
        self.context = context
        self.handle = handle
        var linger: Int32 = 1000
        zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    deinit {
        zmq_close(handle)
    }

    /// Binds the socket to `endpoint`, e.g. `"tcp://127.0.0.1:5555"`.
    /// - Parameter endpoint: A ZeroMQ endpoint.
    /// - Throws: ``ZMQError`` when the address is taken or malformed.
    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError.current("zmq_bind \(endpoint)") }
    }

    /// Connects the socket to `endpoint`.
    /// - Parameter endpoint: A ZeroMQ endpoint.
    /// - Throws: ``ZMQError`` when the address is malformed.
    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else {
            throw ZMQError.current("zmq_connect \(endpoint)")
        }
    }

    /// Sets a byte-string option (`ZMQ_SUBSCRIBE`, `ZMQ_IDENTITY`, …).
    /// - Parameters:
    ///   - option: The `ZMQ_*` option number.
    ///   - value: The option's bytes.
    /// - Throws: ``ZMQError`` when ZeroMQ rejects the option.
    public func setOption(_ option: Int32, _ value: Data) throws {
        let status = value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, value.count) }
        guard status == 0 else { throw ZMQError.current("zmq_setsockopt") }
    }

    /// Sends a multipart message, one frame per element.
    /// - Parameter frames: The frames in order; an empty array sends nothing.
    /// - Throws: ``ZMQError`` when a frame cannot be queued.
    public func send(_ frames: [Data]) throws {
        for (index, frame) in frames.enumerated() {
            let flags = index == frames.count - 1 ? 0 : ZMQ_SNDMORE
            var status: Int32
            repeat {
                status = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, frame.count, flags) }
            } while status < 0 && zmq_errno() == EINTR
            guard status >= 0 else { throw ZMQError.current("zmq_send") }
        }
    }

    /// Receives one multipart message, blocking until it arrives.
    /// - Returns: Its frames in order.
    /// - Throws: ``ZMQError`` when the socket or its context was closed.
    public func receive() throws -> [Data] {
        var frames: [Data] = []
        var message = zmq_msg_t()
        while true {
            zmq_msg_init(&message)
            var size: Int32
            repeat {
                size = zmq_msg_recv(&message, handle, 0)
            } while size < 0 && zmq_errno() == EINTR
            guard size >= 0 else {
                zmq_msg_close(&message)
                throw ZMQError.current("zmq_msg_recv")
            }
            let count = zmq_msg_size(&message)
            if count > 0, let bytes = zmq_msg_data(&message) {
                frames.append(Data(bytes: bytes, count: count))
            } else {
                frames.append(Data())
            }
            let more = zmq_msg_more(&message)
            zmq_msg_close(&message)
            if more == 0 { return frames }
        }
    }

    /// Waits until a message can be received, for at most `milliseconds` (-1: forever).
    /// - Parameter milliseconds: The timeout.
    /// - Returns: Whether a message is waiting.
    public func waitForInput(milliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let status = zmq_poll(&item, 1, milliseconds)
        return status > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }
}
