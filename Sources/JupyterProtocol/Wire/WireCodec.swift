import Foundation

/// Converts ``Message`` values to and from ZeroMQ frames, signing and verifying them.
///
/// Frames on the wire: the identities, the delimiter `<IDS|MSG>`, the HMAC signature (hex),
/// header, parent header, metadata, content (each serialised JSON), then buffers.
public struct WireCodec: Sendable {
    /// The delimiter frame between routing identities and the message proper.
    public static let delimiter = Data("<IDS|MSG>".utf8)

    /// The signer that signs outgoing and verifies incoming messages.
    public let signer: MessageSigner

    /// Creates a codec.
    /// - Parameter signer: Signs with the connection file's key.
    public init(signer: MessageSigner) {
        self.signer = signer
    }

    /// The frames for `message`, signed.
    /// - Parameter message: The message to send.
    /// - Returns: Identities, delimiter, signature, four JSON frames, buffers.
    public func encode(_ message: Message) -> [Data] {
        let parts = [
            Self.serialise(message.header.json), Self.serialise(message.parentHeader),
            Self.serialise(message.metadata), Self.serialise(message.content),
        ]
        let signature = Data(signer.signature(of: parts).utf8)
        return message.identities + [Self.delimiter, signature] + parts + message.buffers
    }

    /// Reads and verifies a message from its frames.
    /// - Parameter frames: All frames of one multipart message.
    /// - Returns: The message.
    /// - Throws: ``WireError`` when the delimiter is missing, the signature does not verify, or a
    ///   JSON frame is malformed. The signature is checked before any JSON is parsed.
    public func decode(_ frames: [Data]) throws -> Message {
        guard let split = frames.firstIndex(of: Self.delimiter) else { throw WireError.missingDelimiter }
        let identities = Array(frames[..<split])
        let rest = Array(frames[(split + 1)...])
        guard rest.count >= 5 else { throw WireError.tooFewFrames(rest.count) }
        let parts = Array(rest[1...4])
        guard signer.isValid(signature: rest[0], of: parts) else {
            throw WireError.badSignature(String(decoding: rest[0], as: UTF8.self))
        }
        let json = try parts.enumerated().map { index, frame -> [String: Any] in
            guard let object = try? JSONSerialization.jsonObject(with: frame) as? [String: Any] else {
                throw WireError.malformedJSON(frame: ["header", "parent_header", "metadata", "content"][index])
            }
            return object
        }
        guard let header = MessageHeader(json: json[0]) else { throw WireError.malformedJSON(frame: "header") }
        return Message(
            identities: identities, header: header, parentHeader: json[1], metadata: json[2],
            content: json[3], buffers: Array(rest.dropFirst(5)))
    }

    /// Serialises a JSON object compactly (keys sorted, so the bytes are deterministic).
    /// - Parameter object: A Foundation JSON object.
    /// - Returns: UTF-8 JSON; `{}` if the object holds a value JSON cannot represent.
    public static func serialise(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            ?? Data("{}".utf8)
    }
}

/// Why frames could not be read as a message.
public enum WireError: Error, Equatable, CustomStringConvertible {
    /// No `<IDS|MSG>` frame.
    case missingDelimiter
    /// Fewer than signature + four JSON frames after the delimiter (the count found).
    case tooFewFrames(Int)
    /// The HMAC signature does not match (the signature received).
    case badSignature(String)
    /// A JSON frame is not a JSON object (the frame's name).
    case malformedJSON(frame: String)

    /// A one-line description for the kernel's log.
    public var description: String {
        switch self {
        case .missingDelimiter: return "message without the <IDS|MSG> delimiter"
        case .tooFewFrames(let count): return "message with only \(count) frames after the delimiter"
        case .badSignature(let signature): return "message with an invalid HMAC signature '\(signature)'"
        case .malformedJSON(let frame): return "message whose \(frame) is not a JSON object"
        }
    }
}
