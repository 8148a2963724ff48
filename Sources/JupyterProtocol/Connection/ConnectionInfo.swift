import Foundation

/// The contents of a Jupyter connection file: where to bind each socket and the signing key.
///
/// ```json
/// {"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797,
///  "hb_port": 53798, "ip": "127.0.0.1", "key": "…", "transport": "tcp",
///  "signature_scheme": "hmac-sha256", "kernel_name": "swift-gnpe"}
/// ```
public struct ConnectionInfo: Sendable, Equatable, Decodable {
    /// `"tcp"` or `"ipc"`.
    public var transport: String
    /// The address to bind (`tcp`) or the path prefix (`ipc`).
    public var ip: String
    /// Port of the shell ROUTER socket.
    public var shellPort: Int
    /// Port of the iopub PUB socket.
    public var iopubPort: Int
    /// Port of the stdin ROUTER socket.
    public var stdinPort: Int
    /// Port of the control ROUTER socket.
    public var controlPort: Int
    /// Port of the heartbeat REP socket.
    public var heartbeatPort: Int
    /// The HMAC key (may be empty: no signing).
    public var key: String
    /// The signature scheme; only `"hmac-sha256"` is supported.
    public var signatureScheme: String
    /// The kernel name the front end used, if given.
    public var kernelName: String?

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", heartbeatPort = "hb_port"
        case signatureScheme = "signature_scheme", kernelName = "kernel_name"
    }

    /// Reads a connection file's JSON.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a port or the key is missing.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        transport = try container.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
        shellPort = try container.decode(Int.self, forKey: .shellPort)
        iopubPort = try container.decode(Int.self, forKey: .iopubPort)
        stdinPort = try container.decode(Int.self, forKey: .stdinPort)
        controlPort = try container.decode(Int.self, forKey: .controlPort)
        heartbeatPort = try container.decode(Int.self, forKey: .heartbeatPort)
        key = try container.decode(String.self, forKey: .key)
        signatureScheme =
            try container.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
        kernelName = try container.decodeIfPresent(String.self, forKey: .kernelName)
    }

    /// Parses connection-file JSON.
    /// - Parameter data: The file's bytes.
    /// - Throws: ``ConnectionFileError`` naming what is wrong.
    public init(json data: Data) throws {
        do {
            self = try JSONDecoder().decode(ConnectionInfo.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw ConnectionFileError.missingField(key.stringValue)
        } catch DecodingError.typeMismatch(_, let context) {
            throw ConnectionFileError.wrongType(context.codingPath.map(\.stringValue).joined(separator: "."))
        } catch {
            throw ConnectionFileError.notJSON(String(describing: error))
        }
        guard signatureScheme == "hmac-sha256" else {
            throw ConnectionFileError.unsupportedScheme(signatureScheme)
        }
        guard transport == "tcp" || transport == "ipc" else {
            throw ConnectionFileError.unsupportedTransport(transport)
        }
    }

    /// Reads and parses the connection file at `path`.
    /// - Parameter path: The file's path.
    /// - Throws: ``ConnectionFileError``.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectionFileError.unreadable(path)
        }
        try self.init(json: data)
    }

    /// The ZeroMQ endpoint for `port`: `tcp://ip:port` or `ipc://ip-port`.
    /// - Parameter port: One of this file's ports.
    /// - Returns: The endpoint string.
    public func endpoint(port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }

    /// The signer for this file's key.
    public var signer: MessageSigner { MessageSigner(key: Data(key.utf8)) }
}

/// A connection file that cannot be used.
public enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read (its path).
    case unreadable(String)
    /// The file is not JSON (the parser's message).
    case notJSON(String)
    /// A required field is absent (its name).
    case missingField(String)
    /// A field has the wrong JSON type (its name).
    case wrongType(String)
    /// The `signature_scheme` is not `hmac-sha256` (the scheme given).
    case unsupportedScheme(String)
    /// The `transport` is neither `tcp` nor `ipc` (the transport given).
    case unsupportedTransport(String)

    /// What is wrong, naming the file, field or value.
    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read the connection file '\(path)'"
        case .notJSON(let detail): return "the connection file is not valid JSON: \(detail)"
        case .missingField(let field): return "the connection file has no '\(field)'"
        case .wrongType(let field): return "the connection file's '\(field)' has the wrong type"
        case .unsupportedScheme(let scheme):
            return "signature scheme '\(scheme)' is not supported (only hmac-sha256)"
        case .unsupportedTransport(let transport):
            return "transport '\(transport)' is not supported (tcp or ipc)"
        }
    }
}
