import Foundation
import JupyterProtocol

/// The key every fuzzed message is checked against (any fixed key will do).
let fuzzKey = Data("fuzz-key-0123456789abcdef".utf8)
let signedCodec = WireCodec(signer: MessageSigner(key: fuzzKey))
let unsignedCodec = WireCodec(signer: MessageSigner(key: Data()))

/// Fuzzes the Jupyter wire decoder: frames, signatures, JSON frames, headers.
///
/// Input layout: the first byte picks a mode, the rest is a multipart message whose frames are
/// separated by `0xFF` (a byte UTF-8 JSON never contains):
/// - 0: decoded with signing disabled (reaches the JSON frames directly);
/// - 1: decoded with the fixed key, the signature frame as given (signature parsing and checking);
/// - 2: the signature frame after `<IDS|MSG>` is replaced by the correct one first, so that the
///   signed decoder reaches the JSON frames;
/// - 3: the rest as one JSON document for a header, and as hex digits for a signature.
/// A decoded message must survive encode → decode with the same header.
///
/// `FuzzMain.swift` exports it to libFuzzer as `LLVMFuzzerTestOneInput`.
public func fuzzWireDecoder(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let mode = bytes.first else { return 0 }
    let rest = bytes.dropFirst()
    switch mode % 4 {
    case 0:
        roundTrip(frames(rest), with: unsignedCodec)
    case 1:
        roundTrip(frames(rest), with: signedCodec)
    case 2:
        var parts = frames(rest)
        if let split = parts.firstIndex(of: WireCodec.delimiter), split + 5 < parts.count {
            let signed = Array(parts[(split + 2)...(split + 5)])
            parts[split + 1] = Data(signedCodec.signer.signature(of: signed).utf8)
        }
        roundTrip(parts, with: signedCodec)
    default:
        let data = Data(rest)
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let header = MessageHeader(json: object)
        {
            guard MessageHeader(json: header.json) == header else { fatalError("header JSON does not round-trip") }
        }
        _ = signedCodec.signer.isValid(signature: data, of: [data])
    }
    return 0
}

/// Splits bytes into frames at each `0xFF`.
func frames(_ bytes: ArraySlice<UInt8>) -> [Data] {
    bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map { Data($0) }
}

/// Decodes `frames`; a message that decodes must encode and decode again to the same header,
/// identities and buffers.
func roundTrip(_ frames: [Data], with codec: WireCodec) {
    guard let message = try? codec.decode(frames) else { return }
    let again: Message
    do { again = try codec.decode(codec.encode(message)) } catch {
        fatalError("a decoded message does not decode after encoding: \(error)")
    }
    guard again.header == message.header, again.identities == message.identities, again.buffers == message.buffers
    else { fatalError("a decoded message changed through encode → decode") }
}
