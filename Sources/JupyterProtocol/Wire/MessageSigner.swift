@preconcurrency import Crypto
import Foundation

/// Signs and verifies Jupyter messages with HMAC-SHA256 (the `signature_scheme` `hmac-sha256`).
///
/// The signature is the lowercase hex digest of the HMAC over the serialised header,
/// parent header, metadata and content frames, in that order (Jupyter messaging spec, "The Wire
/// Protocol"). An empty key disables signing: signatures are empty and every message verifies.
public struct MessageSigner: Sendable {
    private let key: SymmetricKey?

    /// Creates a signer for `key` (the connection file's `key`, as UTF-8 bytes).
    /// - Parameter key: The shared secret; empty to disable signing.
    public init(key: Data) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: key)
    }

    /// Whether messages are signed (the key is not empty).
    public var isSigning: Bool { key != nil }

    /// The hex signature of `frames`.
    /// - Parameter frames: Header, parent header, metadata and content, in that order.
    /// - Returns: 64 lowercase hex digits, or `""` when signing is disabled.
    public func signature(of frames: [Data]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: key)
        for frame in frames { hmac.update(data: frame) }
        return Data(hmac.finalize()).hexDigits
    }

    /// Whether `signature` is the correct signature of `frames` (constant-time comparison).
    /// - Parameters:
    ///   - signature: The signature frame as received.
    ///   - frames: Header, parent header, metadata and content, as received.
    /// - Returns: True when signing is disabled or the signature matches.
    public func isValid(signature: Data, of frames: [Data]) -> Bool {
        guard let key else { return true }
        guard let text = String(data: signature, encoding: .ascii), let digest = Data(hexDigits: text)
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            digest, authenticating: frames.reduce(Data(), +), using: key)
    }
}

extension Data {
    /// The bytes as lowercase hex digits.
    var hexDigits: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses hex digits (either case); nil for odd length or a non-hex character.
    init?(hexDigits text: String) {
        let scalars = Array(text.utf8)
        guard scalars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(scalars.count / 2)
        var index = 0
        while index < scalars.count {
            guard let high = value(scalars[index]), let low = value(scalars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }
}
