// Conversions between the three ways positions in a source text are counted here: UTF-8 byte
// offsets (the cell compiler's generated source), LSP positions (line, UTF-16 column) and Unicode
// scalars (Jupyter's cursor positions).

import Foundation

/// A position in a text document as the Language Server Protocol counts it: a zero-based line
/// and a zero-based column in UTF-16 code units.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// Zero-based line (lines end at `\n`, `\r\n` or `\r`).
    public var line: Int
    /// Zero-based column, in UTF-16 code units from the start of the line.
    public var utf16Column: Int

    /// Creates a position.
    /// - Parameters:
    ///   - line: Zero-based line.
    ///   - utf16Column: Zero-based column in UTF-16 code units.
    public init(line: Int, utf16Column: Int) {
        self.line = line
        self.utf16Column = utf16Column
    }

    /// `line:utf16Column`.
    public var description: String { "\(line):\(utf16Column)" }

    /// The position of a UTF-8 byte offset in `text`.
    ///
    /// - Parameters:
    ///   - utf8Offset: Byte offset into `text.utf8`; clamped to `0...text.utf8.count` and moved
    ///     back to the start of the scalar it falls inside.
    ///   - text: The document text.
    /// - Returns: The LSP position of that offset.
    /// - Complexity: O(*n*) in the offset.
    public init(utf8Offset: Int, in text: String) {
        let offset = Swift.max(0, Swift.min(utf8Offset, text.utf8.count))
        var line = 0
        var column = 0
        var consumed = 0
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if consumed + width > offset { break }
            consumed += width
            switch scalar {
            case "\n":
                if !previousWasCarriageReturn { line += 1 }
                column = 0
                previousWasCarriageReturn = false
            case "\r":
                line += 1
                column = 0
                previousWasCarriageReturn = true
            default:
                column += UTF16.width(scalar)
                previousWasCarriageReturn = false
            }
        }
        self.init(line: line, utf16Column: column)
    }

    /// The UTF-8 byte offset of this position in `text`.
    ///
    /// A column past the end of its line is clamped to the line's end; a line past the end of the
    /// text gives the text's end.
    ///
    /// - Parameter text: The document text.
    /// - Returns: The byte offset into `text.utf8`.
    /// - Complexity: O(*n*) in the offset.
    public func utf8Offset(in text: String) -> Int {
        var currentLine = 0
        var column = 0
        var offset = 0
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            let isBreak = scalar == "\n" || scalar == "\r"
            let isSecondHalfOfCRLF = scalar == "\n" && previousWasCarriageReturn
            if currentLine == line && !isSecondHalfOfCRLF {
                if isBreak || column >= utf16Column { return offset }
                column += UTF16.width(scalar)
            } else if currentLine > line {
                return offset
            }
            offset += UTF8.width(scalar)
            if scalar == "\n" {
                if !previousWasCarriageReturn { currentLine += 1 }
                previousWasCarriageReturn = false
            } else if scalar == "\r" {
                currentLine += 1
                previousWasCarriageReturn = true
            } else {
                previousWasCarriageReturn = false
            }
        }
        return offset
    }

    /// The LSP JSON form, `{"line": …, "character": …}`.
    var json: [String: Any] { ["line": line, "character": utf16Column] }

    /// Reads an LSP JSON position.
    init?(json: Any?) {
        guard let object = json as? [String: Any],
              let line = jsonInteger(object["line"]),
              let character = jsonInteger(object["character"])
        else { return nil }
        self.init(line: line, utf16Column: character)
    }
}

extension String {
    /// The number of Unicode scalars in the UTF-8 byte range `range` of this string.
    ///
    /// - Parameter range: Byte offsets into `utf8`, clamped to the string.
    /// - Returns: How many scalars start inside the range.
    func unicodeScalarCount(inUTF8Range range: Range<Int>) -> Int {
        let bytes = utf8
        let lower = Swift.max(0, Swift.min(range.lowerBound, bytes.count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, bytes.count))
        var count = 0
        var index = bytes.index(bytes.startIndex, offsetBy: lower)
        let end = bytes.index(bytes.startIndex, offsetBy: upper)
        while index < end {
            // Every byte that is not a continuation byte (10xxxxxx) starts a scalar.
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index = bytes.index(after: index)
        }
        return count
    }

    /// The text of the UTF-8 byte range `range` of this string.
    func substring(inUTF8Range range: Range<Int>) -> String {
        let bytes = Array(utf8)
        let lower = Swift.max(0, Swift.min(range.lowerBound, bytes.count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The UTF-8 byte range of the identifier that contains or ends at `utf8Offset`, or nil.
    ///
    /// Identifier characters are letters, digits, `_` and `$` (any non-ASCII scalar counts as a
    /// letter, as Swift allows most of them). Used to put a hover request on the start of a name
    /// when the cursor sits at its end (Jupyter sends the cursor after the typed name).
    func identifierRange(aroundUTF8Offset utf8Offset: Int) -> Range<Int>? {
        let bytes = Array(utf8)
        let offset = Swift.max(0, Swift.min(utf8Offset, bytes.count))
        func isIdentifierByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        var lower = offset
        while lower > 0 && isIdentifierByte(bytes[lower - 1]) { lower -= 1 }
        var upper = offset
        while upper < bytes.count && isIdentifierByte(bytes[upper]) { upper += 1 }
        return lower < upper ? lower..<upper : nil
    }
}

extension String {
    /// Where to ask for hover information at `utf8Offset`, best first (UTF-8 byte offsets).
    ///
    /// 1. The start of the name containing or ending at the cursor (`unit|Point`, `unitPoint|`).
    /// 2. After a call's closing parenthesis (`f(x)|`), the name of that call.
    /// 3. Inside the parentheses of a call (`f(x, |`), the name of the innermost open call.
    /// 4. The cursor itself.
    func inspectionOffsets(aroundUTF8Offset utf8Offset: Int) -> [Int] {
        let bytes = Array(utf8)
        let cursor = Swift.max(0, Swift.min(utf8Offset, bytes.count))
        var offsets: [Int] = []
        if let name = identifierRange(aroundUTF8Offset: cursor) { offsets.append(name.lowerBound) }

        /// The start of the name that ends just before `index`, skipping spaces.
        func nameBefore(_ index: Int) -> Int? {
            var end = index
            while end > 0 && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
            guard end > 0, let name = identifierRange(aroundUTF8Offset: end), name.upperBound == end else { return nil }
            return name.lowerBound
        }
        // Scan back at most a few kilobytes for an unbalanced "(" (ignoring string contents
        // is not attempted: this is a heuristic for a cursor in a call's arguments).
        var index = cursor
        var last = index
        while last > 0 && bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
        if last > 0 && bytes[last - 1] == UInt8(ascii: ")") {
            var depth = 0
            var scan = last
            while scan > 0 && cursor - scan < 4096 {
                scan -= 1
                if bytes[scan] == UInt8(ascii: ")") { depth += 1 }
                if bytes[scan] == UInt8(ascii: "(") {
                    depth -= 1
                    if depth == 0 {
                        if let name = nameBefore(scan) { offsets.append(name) }
                        break
                    }
                }
            }
        }
        var depth = 0
        while index > 0 && cursor - index < 4096 {
            index -= 1
            let byte = bytes[index]
            if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") { depth += 1 }
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") {
                if depth == 0 {
                    if byte == UInt8(ascii: "("), let name = nameBefore(index) { offsets.append(name) }
                    break
                }
                depth -= 1
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { break }
        }
        offsets.append(cursor)
        var seen = Set<Int>()
        return offsets.filter { seen.insert($0).inserted }
    }
}

/// An integer from a `JSONSerialization` value (`Int`, `NSNumber` or an integral `Double`).
func jsonInteger(_ value: Any?) -> Int? {
    switch value {
    case let value as Int: return value
    case let value as NSNumber: return value.intValue
    case let value as Double where value.rounded() == value: return Int(value)
    default: return nil
    }
}
