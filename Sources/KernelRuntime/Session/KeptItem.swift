import Foundation

/// Work the library kept for the session (a trained estimator, a set of simulations), as its
/// sidecar `kept/<id>.json` in the session directory describes it.
///
/// The sidecar is one JSON object:
/// `{"kind": "estimator"|"simulations", "summary": String, "restore": String, "path": String,
/// "createdAt": ISO-8601 String}`, where `restore` is one line of Swift that loads the item
/// back into a new worker.
public struct KeptItem: Sendable, Equatable {
    /// `estimator` or `simulations`.
    public var kind: String
    /// What the item is, in a few words (shown to the user).
    public var summary: String
    /// One line of Swift that restores the item.
    public var restore: String
    /// Where the item's data are.
    public var path: String
    /// When the item was kept.
    public var createdAt: Date

    /// The kinds the library writes.
    public static let kinds: Set<String> = ["estimator", "simulations"]

    /// Reads one sidecar.
    /// - Parameter data: The file's contents.
    /// - Returns: The item.
    /// - Throws: ``KeptItemError`` naming what is missing or malformed.
    public init(sidecar data: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw KeptItemError(reason: "not JSON")
        }
        guard let fields = object as? [String: Any] else { throw KeptItemError(reason: "not a JSON object") }
        func string(_ key: String) throws -> String {
            guard let value = fields[key] as? String else { throw KeptItemError(reason: "no string \"\(key)\"") }
            return value
        }
        kind = try string("kind")
        guard Self.kinds.contains(kind) else { throw KeptItemError(reason: "unknown kind \"\(kind)\"") }
        summary = try string("summary").trimmingCharacters(in: .whitespacesAndNewlines)
        restore = try string("restore").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !restore.isEmpty, !restore.contains(where: \.isNewline) else {
            throw KeptItemError(reason: "\"restore\" is not one line of Swift")
        }
        path = try string("path")
        let stamp = try string("createdAt")
        guard let date = Self.parseDate(stamp) else { throw KeptItemError(reason: "\"createdAt\" is not an ISO 8601 date: \(stamp)") }
        createdAt = date
    }

    /// Parses an ISO 8601 date with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// A kept item's sidecar that could not be read.
public struct KeptItemError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with it.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}
