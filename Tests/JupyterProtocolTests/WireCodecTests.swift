import Foundation
import Testing

@testable import JupyterProtocol

@Suite struct WireCodecTests {
    let codec = WireCodec(signer: MessageSigner(key: Data("secret".utf8)))

    func sampleMessage() -> Message {
        Message(
            identities: [Data("client-1".utf8), Data([0, 1, 2])],
            header: MessageHeader(messageType: "execute_request", session: "abc"),
            parentHeader: ["msg_id": "p1", "msg_type": "x"], metadata: ["m": 1],
            content: ["code": "print(\"héllo\")", "silent": false], buffers: [Data([9, 8, 7])])
    }

    @Test func framesFollowTheWireLayout() throws {
        let message = sampleMessage()
        let frames = codec.encode(message)
        #expect(frames.count == 2 + 1 + 1 + 4 + 1)
        #expect(frames[0] == Data("client-1".utf8))
        #expect(frames[2] == WireCodec.delimiter)
        let signature = String(decoding: frames[3], as: UTF8.self)
        #expect(signature == codec.signer.signature(of: Array(frames[4...7])))
        #expect(signature.count == 64)
        let header = try #require(JSONSerialization.jsonObject(with: frames[4]) as? [String: Any])
        #expect(header["msg_type"] as? String == "execute_request")
        #expect(header["version"] as? String == "5.3")
        #expect(frames[8] == Data([9, 8, 7]))
    }

    @Test func roundTripKeepsEveryPart() throws {
        let message = sampleMessage()
        let decoded = try codec.decode(codec.encode(message))
        #expect(decoded.identities == message.identities)
        #expect(decoded.header == message.header)
        #expect(decoded.parentHeader["msg_id"] as? String == "p1")
        #expect(decoded.metadata["m"] as? Int == 1)
        #expect(decoded.content["code"] as? String == "print(\"héllo\")")
        #expect(decoded.content["silent"] as? Bool == false)
        #expect(decoded.buffers == [Data([9, 8, 7])])
    }

    @Test func badSignatureIsRejected() {
        var frames = codec.encode(sampleMessage())
        frames[3] = Data(String(repeating: "0", count: 64).utf8)
        #expect(throws: WireError.self) { try codec.decode(frames) }
        // A message signed with another key is rejected too.
        let stranger = WireCodec(signer: MessageSigner(key: Data("other".utf8)))
        #expect(throws: WireError.self) { try codec.decode(stranger.encode(sampleMessage())) }
        // Changing the content after signing breaks the signature.
        var edited = codec.encode(sampleMessage())
        edited[7] = Data(#"{"code":"rm -rf"}"#.utf8)
        do {
            _ = try codec.decode(edited)
            Issue.record("a tampered message decoded")
        } catch let error as WireError {
            if case .badSignature = error {} else { Issue.record("wrong error \(error)") }
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func malformedFramesAreNamed() {
        #expect(throws: WireError.missingDelimiter) { try codec.decode([Data("x".utf8)]) }
        #expect(throws: WireError.tooFewFrames(2)) {
            try codec.decode([WireCodec.delimiter, Data(), Data()])
        }
        let parts = [Data("[1]".utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)]
        let frames = [WireCodec.delimiter, Data(codec.signer.signature(of: parts).utf8)] + parts
        #expect(throws: WireError.malformedJSON(frame: "header")) { try codec.decode(frames) }
    }

    @Test func responseCarriesParentAndIdentities() {
        let request = sampleMessage()
        let reply = request.response(type: "execute_reply", content: ["status": "ok"], session: "k")
        #expect(reply.identities == request.identities)
        #expect(reply.parentHeader["msg_id"] as? String == request.header.messageID)
        #expect(reply.header.session == "k")
        #expect(reply.header.messageID != request.header.messageID)
    }

    @Test func headersHaveFreshIDsAndISODates() {
        let a = MessageHeader(messageType: "status", session: "s")
        let b = MessageHeader(messageType: "status", session: "s")
        #expect(a.messageID != b.messageID)
        #expect(MessageHeader.timestamp(Date(timeIntervalSince1970: 1_764_190_800.25))
            == "2025-11-26T21:00:00.250000Z")
        let parsed = ISO8601DateFormatter()
        parsed.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(parsed.date(from: a.date) != nil)
    }
}
