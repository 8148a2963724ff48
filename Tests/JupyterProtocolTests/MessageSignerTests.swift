import Foundation
import Testing

@testable import JupyterProtocol

/// Signing against vectors computed independently with Python's `hmac` module.
@Suite struct MessageSignerTests {
    /// Computed once with Python 3.11:
    /// ```python
    /// h = hmac.new(b"5ca1ab1e-c0da-4a11-b0a7-deadbeef0001", digestmod=hashlib.sha256)
    /// for p in [header, b"{}", b"{}", b"{}"]: h.update(p)
    /// h.hexdigest()
    /// ```
    static let key = "5ca1ab1e-c0da-4a11-b0a7-deadbeef0001"
    static let header =
        #"{"date":"2026-11-26T21:00:00.000000Z","msg_id":"a1","msg_type":"kernel_info_request","session":"s1","username":"u","version":"5.3"}"#
    static let expected = "c721b8a294c3449442a00a6edc9671c73d8d8649f0a36f3db6f0893b13e5cdb3"

    static var frames: [Data] { [Data(header.utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)] }

    @Test func signatureMatchesPythonHMAC() {
        let signer = MessageSigner(key: Data(Self.key.utf8))
        #expect(signer.signature(of: Self.frames) == Self.expected)
        #expect(signer.isValid(signature: Data(Self.expected.utf8), of: Self.frames))
    }

    /// `hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", hashlib.sha256).hexdigest()`
    /// computed with Python 3.11; one message split over two frames must give the same digest,
    /// as the signature covers the concatenation.
    @Test func signatureCoversTheConcatenation() {
        let signer = MessageSigner(key: Data("key".utf8))
        let frames = [Data("The quick brown fox ".utf8), Data("jumps over the lazy dog".utf8)]
        #expect(signer.signature(of: frames) == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func tamperedContentOrWrongKeyDoesNotVerify() {
        let signer = MessageSigner(key: Data(Self.key.utf8))
        var tampered = Self.frames
        tampered[3] = Data(#"{"code":"1"}"#.utf8)
        #expect(!signer.isValid(signature: Data(Self.expected.utf8), of: tampered))
        let other = MessageSigner(key: Data("another key".utf8))
        #expect(!other.isValid(signature: Data(Self.expected.utf8), of: Self.frames))
        #expect(!signer.isValid(signature: Data("not hex".utf8), of: Self.frames))
        #expect(!signer.isValid(signature: Data(), of: Self.frames))
    }

    @Test func emptyKeyDisablesSigning() {
        let signer = MessageSigner(key: Data())
        #expect(!signer.isSigning)
        #expect(signer.signature(of: Self.frames) == "")
        #expect(signer.isValid(signature: Data(), of: Self.frames))
    }

    @Test func hexRoundTrip() {
        let bytes = Data([0x00, 0x0f, 0xa0, 0xff, 0x42])
        #expect(bytes.hexDigits == "000fa0ff42")
        #expect(Data(hexDigits: "000FA0ff42") == bytes)
        #expect(Data(hexDigits: "abc") == nil)
        #expect(Data(hexDigits: "zz") == nil)
    }
}
