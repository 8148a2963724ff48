import Foundation

/// The header of a Jupyter message (messaging protocol 5.3).
public struct MessageHeader: Sendable, Equatable {
    /// A unique id for this message.
    public var messageID: String
    /// The session of the sender.
    public var session: String
    /// The user name of the sender.
    public var username: String
    /// When the message was created, ISO 8601 with fractional seconds and time zone.
    public var date: String
    /// The message type, e.g. `"execute_request"`.
    public var messageType: String
    /// The protocol version, `"5.3"` for messages this package creates.
    public var version: String

    /// The messaging protocol version this package speaks.
    public static let protocolVersion = "5.3"

    /// Creates a header for a new message: a fresh `msg_id`, the current date, version 5.3.
    /// - Parameters:
    ///   - messageType: The message type.
    ///   - session: The sender's session id.
    ///   - username: The sender's user name.
    public init(messageType: String, session: String, username: String = "kernel") {
        self.messageID = UUID().uuidString.lowercased()
        self.session = session
        self.username = username
        self.date = MessageHeader.timestamp(Date())
        self.messageType = messageType
        self.version = MessageHeader.protocolVersion
    }

    /// Reads a header from its JSON object; missing optional fields get empty strings.
    /// - Parameter json: The decoded header frame.
    /// - Returns: nil when `msg_id` or `msg_type` is missing.
    public init?(json: [String: Any]) {
        guard let id = json["msg_id"] as? String, let type = json["msg_type"] as? String else {
            return nil
        }
        self.messageID = id
        self.messageType = type
        self.session = json["session"] as? String ?? ""
        self.username = json["username"] as? String ?? ""
        self.date = json["date"] as? String ?? ""
        self.version = json["version"] as? String ?? ""
    }

    /// The header as a JSON object with the protocol's key names.
    public var json: [String: Any] {
        [
            "msg_id": messageID, "session": session, "username": username, "date": date,
            "msg_type": messageType, "version": version,
        ]
    }

    /// Formats `date` as ISO 8601 in UTC with microseconds, e.g. `2026-11-26T21:10:00.123456Z`.
    /// - Parameter date: The moment to format.
    /// - Returns: The timestamp text.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
            Int(parts.tm_sec), micros)
    }
}
