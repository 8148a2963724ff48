/// Whether a cell's text is ready to run, judged lexically: open brackets, strings and block
/// comments make it incomplete; a closing bracket without its opener (or the wrong one), or a
/// line break inside a single-line string, make it invalid. Runs in microseconds (one pass).
///
/// ```swift
/// LexicalCompleteness.check("func f() {")   // .incomplete, indent "    "
/// LexicalCompleteness.check("let x = (1]")  // .invalid
/// ```
public enum LexicalCompleteness: Sendable, Equatable {
    /// Ready to run.
    case complete
    /// Needs more lines; continue with `indent`.
    case incomplete(indent: String)
    /// Cannot become valid by adding lines.
    case invalid

    private enum Context {
        case bracket(UInt8)
        case string(hashes: Int, multiline: Bool)
        case interpolation
        case blockComment
    }

    /// Checks `code`.
    /// - Parameter code: The cell's text.
    /// - Returns: Its status.
    public static func check(_ code: String) -> LexicalCompleteness {
        let bytes = Array(code.utf8)
        let quote: UInt8 = 0x22, hash: UInt8 = 0x23, backslash: UInt8 = 0x5C, newline: UInt8 = 0x0A
        var stack: [Context] = []
        var i = 0
        func starts(_ text: String, at index: Int) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
        }
        func count(_ byte: UInt8, from index: Int) -> Int {
            var n = 0
            while index + n < bytes.count && bytes[index + n] == byte { n += 1 }
            return n
        }
        while i < bytes.count {
            let byte = bytes[i]
            switch stack.last {
            case .blockComment?:
                if starts("*/", at: i) { stack.removeLast(); i += 2 }
                else if starts("/*", at: i) { stack.append(.blockComment); i += 2 }
                else { i += 1 }
            case .string(let hashes, let multiline)?:
                let closer = String(repeating: "\"", count: multiline ? 3 : 1) + String(repeating: "#", count: hashes)
                if byte == backslash && count(hash, from: i + 1) >= hashes {
                    let after = i + 1 + hashes
                    if after < bytes.count && bytes[after] == 0x28 {  // "\(" interpolation
                        stack.append(.interpolation)
                        i = after + 1
                    } else {
                        i = after + 1  // an escape: skip the escaped character
                    }
                } else if starts(closer, at: i) {
                    stack.removeLast()
                    i += closer.utf8.count
                } else if byte == newline && !multiline {
                    return .invalid
                } else {
                    i += 1
                }
            default:
                if starts("//", at: i) {
                    while i < bytes.count && bytes[i] != newline { i += 1 }
                } else if starts("/*", at: i) {
                    stack.append(.blockComment)
                    i += 2
                } else if byte == hash || byte == quote {
                    let hashes = count(hash, from: i)
                    let quotes = count(quote, from: i + hashes)
                    if quotes == 0 { i += hashes; continue }  // #if, #available …
                    let multiline = quotes >= 3
                    stack.append(.string(hashes: hashes, multiline: multiline))
                    i += hashes + (multiline ? 3 : 1)
                    // `""` is an empty string: the loop sees the closing quote next.
                } else if byte == 0x28 || byte == 0x5B || byte == 0x7B {
                    stack.append(.bracket(byte))
                    i += 1
                } else if byte == 0x29 || byte == 0x5D || byte == 0x7D {
                    switch stack.last {
                    case .interpolation? where byte == 0x29:
                        stack.removeLast()
                    case .bracket(let open)?
                    where (open, byte) == (0x28, 0x29) || (open, byte) == (0x5B, 0x5D) || (open, byte) == (0x7B, 0x7D):
                        stack.removeLast()
                    default:
                        return .invalid
                    }
                    i += 1
                } else {
                    i += 1
                }
            }
        }
        if stack.isEmpty { return .complete }
        let depth = stack.reduce(0) { total, context in
            if case .bracket = context { return total + 1 }
            return total
        }
        return .incomplete(indent: String(repeating: "    ", count: depth))
    }
}
