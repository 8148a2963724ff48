import Foundation

/// A JSON value decoded from the display channel.
enum JSONValue: Decodable {
    case null, bool(Bool), integer(Int), double(Double), string(String)
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The value as plain Swift values: `[String: any Sendable]`, `[any Sendable]`, `String`,
    /// `Int`, `Double`, `Bool`, or `NSNull` for null.
    var sendable: any Sendable {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .integer(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .array(let values): return values.map(\.sendable)
        case .object(let values): return values.mapValues(\.sendable)
        }
    }
}
