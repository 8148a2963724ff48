import Foundation

/// One Jupyter message: routing identities, header, parent header, metadata, content, buffers.
///
/// JSON parts are Foundation JSON objects (`[String: Any]` of strings, numbers, booleans,
/// arrays, dictionaries and `NSNull`), as `JSONSerialization` reads and writes them.
public struct Message: @unchecked Sendable {
    /// ROUTER identities that prefix the message (the reply goes back to them).
    public var identities: [Data]
    /// This message's header.
    public var header: MessageHeader
    /// The header of the request this message answers, or empty.
    public var parentHeader: [String: Any]
    /// Free-form metadata.
    public var metadata: [String: Any]
    /// The message type's content.
    public var content: [String: Any]
    /// Extra binary buffers after the content.
    public var buffers: [Data]

    /// Creates a message.
    /// - Parameters:
    ///   - identities: Routing identities (empty on PUB and DEALER sockets).
    ///   - header: The header.
    ///   - parentHeader: The parent's header as JSON, or empty.
    ///   - metadata: Metadata, usually empty.
    ///   - content: The content.
    ///   - buffers: Binary buffers, usually none.
    public init(
        identities: [Data] = [], header: MessageHeader, parentHeader: [String: Any] = [:],
        metadata: [String: Any] = [:], content: [String: Any] = [:], buffers: [Data] = []
    ) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// A message answering or reporting on this one: same identities, this header as parent.
    /// - Parameters:
    ///   - type: The new message's type, e.g. `"execute_reply"` or `"stream"`.
    ///   - content: Its content.
    ///   - session: The kernel's session id.
    ///   - metadata: Its metadata.
    /// - Returns: The new message with a fresh header.
    public func response(
        type: String, content: [String: Any], session: String, metadata: [String: Any] = [:]
    ) -> Message {
        Message(
            identities: identities, header: MessageHeader(messageType: type, session: session),
            parentHeader: header.json, metadata: metadata, content: content)
    }
}
