// Turning an LSP hover (Markdown from sourcekit-lsp) into the plain text a notebook's
// inspection pane shows.

/// Plain-text rendering of `textDocument/hover` contents.
enum HoverText {
    /// The plain text of a hover result's `contents`.
    ///
    /// Accepts every shape LSP allows (`MarkupContent`, a `MarkedString`, or an array of them).
    /// Code fences are removed (their content kept), a backslash-escaped Markdown character outside
    /// code loses its backslash, and runs of blank lines shrink to one.
    ///
    /// - Parameter contents: The hover's `contents` value as decoded by `JSONSerialization`.
    /// - Returns: The text, or nil when there is nothing to show.
    static func plainText(fromContents contents: Any?) -> String? {
        let markdown: String
        switch contents {
        case let text as String:
            markdown = text
        case let object as [String: Any]:
            markdown = object["value"] as? String ?? ""
        case let array as [Any]:
            markdown = array.compactMap { plainText(fromContents: $0) }.joined(separator: "\n\n")
        default:
            return nil
        }
        let text = plainText(fromMarkdown: markdown)
        return text.isEmpty ? nil : text
    }

    /// Markdown to plain text, lightly: see ``plainText(fromContents:)``.
    static func plainText(fromMarkdown markdown: String) -> String {
        var lines: [String] = []
        var insideFence = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.trimmingWhitespace().hasPrefix("```") {
                insideFence.toggle()
                continue
            }
            if line.trimmingWhitespace().isEmpty {
                if lines.last?.isEmpty ?? true { continue }
                lines.append("")
                continue
            }
            lines.append(insideFence ? line : unescaped(line))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Drops the backslash of Markdown escapes such as `\_` or `\*`.
    private static func unescaped(_ line: String) -> String {
        let escapable: Set<Character> = ["\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "<", ">"]
        var result = ""
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if character == "\\", let next = iterator.next() {
                if !escapable.contains(next) { result.append(character) }
                result.append(next)
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
