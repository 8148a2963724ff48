import Foundation
import Testing

@testable import JupyterProtocol

/// Messages through real ZeroMQ sockets (in-process transport).
@Suite struct ZMQSocketTests {
    /// `ZMQ_ROUTING_ID` (formerly `ZMQ_IDENTITY`), option 5 in zmq.h.
    static let identityOption: Int32 = 5

    @Test func signedMessageRoundTripsThroughRouterAndDealer() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, kind: .router)
        try router.bind("inproc://shell-test")
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        try dealer.setOption(Self.identityOption, Data("front-end".utf8))
        try dealer.connect("inproc://shell-test")

        let codec = WireCodec(signer: MessageSigner(key: Data("k".utf8)))
        let request = Message(header: MessageHeader(messageType: "kernel_info_request", session: "client"))
        try dealer.send(codec.encode(request))
        #expect(router.waitForInput(milliseconds: 2000))
        let received = try codec.decode(router.receive())
        #expect(received.identities == [Data("front-end".utf8)])
        #expect(received.header.messageID == request.header.messageID)

        let reply = received.response(type: "kernel_info_reply", content: ["status": "ok"], session: "kernel")
        try router.send(codec.encode(reply))
        #expect(dealer.waitForInput(milliseconds: 2000))
        let answer = try codec.decode(dealer.receive())
        #expect(answer.header.messageType == "kernel_info_reply")
        #expect(answer.parentHeader["msg_id"] as? String == request.header.messageID)
        #expect(answer.content["status"] as? String == "ok")
    }

    @Test func pollTimesOutWithoutInputAndBadEndpointsThrow() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .router)
        try socket.bind("inproc://idle-test")
        #expect(!socket.waitForInput(milliseconds: 10))
        #expect(throws: ZMQError.self) { try socket.bind("not-an-endpoint") }
    }
}
