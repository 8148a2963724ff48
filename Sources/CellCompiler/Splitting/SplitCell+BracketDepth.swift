extension SplitCell {
    /// The deepest nesting of square brackets SwiftParser is shown.
    ///
    /// SwiftParser 602's lookahead for collection and `InlineArray` types (`[T]`, `[N of T]`)
    /// tries each `[` both ways, so its time doubles with every nested `[`: measured (debug build)
    /// 0.8 s for `let x: [[…[Int]…]] = []` with 12 levels, 10.6 s with 16, 34 s with 18 —
    /// found by `fuzz-cell-splitter`. Real cells nest a few levels; deeper groups are blanked
    /// before parsing (see ``maskingDeepBrackets(_:)``, one linear pass that leaves the cell as it
    /// is when no group is that deep). swiftc still compiles the original text.
    static let parsedBracketDepth = 8

    /// `code` with the inside of every `[…]` group nested deeper than ``parsedBracketDepth``
    /// replaced by spaces, byte for byte.
    ///
    /// The UTF-8 length and the position of every other byte stay the same, so the ranges the
    /// parser reports index the original cell (code generation copies from the original). A
    /// group that is never closed is blanked to the end of the cell. Brackets inside comments do
    /// not count; those inside interpolations do; inside a string literal's own text, a run
    /// nested deeper than the limit is blanked to the literal's end (the literal stays one).
    /// - Parameter code: The cell's text.
    /// - Returns: `code` itself when no group is too deep, otherwise the blanked copy.
    static func maskingDeepBrackets(_ code: String) -> String {
        var scanner = BracketScanner(bytes: Array(code.utf8))
        _ = scanner.scanCode(from: 0, untilClosingParenthesis: false)
        if let start = scanner.maskStart { scanner.blank(start..<scanner.bytes.count) }
        return scanner.masked ? String(decoding: scanner.bytes, as: UTF8.self) : code
    }
}

/// The lexical pass behind ``SplitCell/maskingDeepBrackets(_:)``: code, comments, string
/// literals and the code inside their interpolations (which SwiftParser parses as code).
private struct BracketScanner {
    var bytes: [UInt8]
    var depth = 0
    var maskStart: Int?
    var masked = false
    let space: UInt8 = 0x20, newline: UInt8 = 0x0A, quote: UInt8 = 0x22, hash: UInt8 = 0x23
    let slash: UInt8 = 0x2F, star: UInt8 = 0x2A, backslash: UInt8 = 0x5C

    func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }

    mutating func blank(_ range: Range<Int>) {
        for k in range where bytes[k] != newline { bytes[k] = space }
        masked = true
    }

    /// Scans code from `i`; with `untilClosingParenthesis`, stops after the `)` that closes an
    /// interpolation. Returns the index where it stopped.
    mutating func scanCode(from start: Int, untilClosingParenthesis: Bool) -> Int {
        var i = start
        var parentheses = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == slash && at(i + 1) == slash {                    // line comment
                while i < bytes.count && bytes[i] != newline { i += 1 }
            } else if byte == slash && at(i + 1) == star {              // block comment, nested
                var level = 0
                repeat {
                    if at(i) == slash && at(i + 1) == star { level += 1; i += 2 }
                    else if at(i) == star && at(i + 1) == slash { level -= 1; i += 2 }
                    else { i += 1 }
                } while level > 0 && i < bytes.count
            } else if byte == quote || byte == hash {                   // string literal
                i = scanString(from: i)
            } else {
                switch byte {
                case 0x28: parentheses += 1                             // (
                case 0x29:                                              // )
                    if untilClosingParenthesis && parentheses == 0 { return i + 1 }
                    parentheses -= 1
                case 0x5B:                                              // [
                    depth += 1
                    if depth == SplitCell.parsedBracketDepth + 1 { maskStart = i + 1 }
                case 0x5D where depth > 0:                              // ]
                    if depth == SplitCell.parsedBracketDepth + 1, let start = maskStart {
                        blank(start..<i)
                        maskStart = nil
                    }
                    depth -= 1
                default: break
                }
                i += 1
            }
        }
        return i
    }

    /// Skips the string literal (or bare `#`s) at `i`, scanning its interpolations as code.
    mutating func scanString(from start: Int) -> Int {
        var i = start
        var hashes = 0
        while at(i + hashes) == hash { hashes += 1 }
        guard at(i + hashes) == quote else { return i + max(hashes, 1) }
        let multiline = at(i + hashes + 1) == quote && at(i + hashes + 2) == quote
        let closer = [UInt8](repeating: quote, count: multiline ? 3 : 1) + [UInt8](repeating: hash, count: hashes)
        i += hashes + (multiline ? 3 : 1)
        // `[`s in the literal's own text: a run deeper than the limit is blanked up to the
        // literal's end. They are text to swiftc, but SwiftParser's recovery can read them as
        // code (an invalid escape such as `\[` inside an interpolated literal did: found by
        // fuzz-cell-splitter), and blanking text inside a literal never moves an item's bounds.
        var textDepth = 0
        var textMaskStart: Int?
        func finish(_ end: Int, _ result: Int) -> Int {
            if let start = textMaskStart, start < end { blank(start..<end) }
            return result
        }
        while i < bytes.count {
            if bytes[i] == backslash && (0..<hashes).allSatisfy({ at(i + 1 + $0) == hash }) {
                let after = i + 1 + hashes
                if at(after) == 0x28 { i = scanCode(from: after + 1, untilClosingParenthesis: true) }  // \( … )
                else { i = after + 1 }                                                              // an escape
                continue
            }
            if !multiline && bytes[i] == newline { return finish(i, i) }
            if bytes[i...].starts(with: closer) { return finish(i, i + closer.count) }
            if bytes[i] == 0x5B {
                textDepth += 1
                if textDepth == SplitCell.parsedBracketDepth + 1 && textMaskStart == nil { textMaskStart = i }
            } else if bytes[i] == 0x5D && textDepth > 0 {
                textDepth -= 1
            }
            i += 1
        }
        return finish(bytes.count, i)
    }
}
