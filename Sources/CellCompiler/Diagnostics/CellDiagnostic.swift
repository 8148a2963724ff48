/// One compiler diagnostic, located in the cell's own text when it points there.
public struct CellDiagnostic: Sendable, Equatable {
    /// `error`, `warning` or `note`.
    public enum Severity: String, Sendable { case error, warning, note }

    /// The severity.
    public var severity: Severity
    /// The compiler's message.
    public var message: String
    /// 1-based line in the cell, or nil when the diagnostic is not on the cell's text.
    public var line: Int?
    /// 1-based column in Unicode scalars of the cell line, or nil.
    public var column: Int?
    /// The cell's source line, when located.
    public var sourceLine: String?
    /// The included file (`%include`) the line is in, as written; nil for the cell itself.
    public var file: String?

    /// The diagnostic as the compiler would print it: `line:column: error: message`, then the
    /// source line and a caret under the column.
    public var formattedLines: [String] {
        guard let line, let column, let sourceLine else { return ["\(severity.rawValue): \(message)"] }
        let caretIndent = String(repeating: " ", count: max(0, column - 1))
        let location = file.map { "\($0):" } ?? ""
        return ["\(location)\(line):\(column): \(severity.rawValue): \(message)", sourceLine, caretIndent + "^"]
    }

    /// Parses `swiftc -diagnostic-style llvm` output and maps the diagnostics of `file` to the
    /// cell.
    ///
    /// - Parameters:
    ///   - output: The compiler's combined output.
    ///   - file: The path of the generated source the compiler read.
    ///   - generated: The generated cell (for its line map).
    ///   - cell: The cell's text.
    /// - Returns: The diagnostics in the compiler's order. Diagnostics on generated lines keep
    ///   their message without a location; those in other files are dropped unless they are errors.
    public static func parse(compilerOutput output: String, file: String, generated: GeneratedCell, cell: String)
        -> [CellDiagnostic]
    {
        let cellLines = cell.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [CellDiagnostic] = []
        for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(raw)
            guard let parsed = parseHeader(text) else {
                // Errors without a location (e.g. the linker's, or `<unknown>:0: error:`).
                if text.hasPrefix("error: ") {
                    result.append(.init(severity: .error, message: String(text.dropFirst(7))))
                }
                continue
            }
            var diagnostic = CellDiagnostic(severity: parsed.severity, message: parsed.message)
            if parsed.path == file, parsed.line >= 1, parsed.line <= generated.lineMap.count,
                let cellLine = generated.lineMap[parsed.line - 1], cellLine < cellLines.count
            {
                let sourceLine = cellLines[cellLine]
                let utf8 = Array(sourceLine.utf8)
                let byteColumn = min(max(parsed.column - 1, 0), utf8.count)
                let scalars = String(decoding: utf8[..<byteColumn], as: UTF8.self).unicodeScalars.count
                diagnostic.line = cellLine + 1
                diagnostic.column = scalars + 1
                diagnostic.sourceLine = sourceLine
            } else if parsed.path != file && parsed.severity != .error {
                continue
            }
            result.append(diagnostic)
        }
        return result
    }

    init(severity: Severity, message: String, line: Int? = nil, column: Int? = nil, sourceLine: String? = nil) {
        self.severity = severity
        self.message = message
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
    }

    /// Splits `path:line:column: severity: message`.
    private static func parseHeader(_ text: String)
        -> (path: String, line: Int, column: Int, severity: Severity, message: String)?
    {
        for severity in [Severity.error, .warning, .note] {
            let marker = ": \(severity.rawValue): "
            guard let markerRange = text.range(of: marker) else { continue }
            let location = text[..<markerRange.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let column = Int(location[location.count - 1]),
                let line = Int(location[location.count - 2])
            else { continue }
            let path = location[..<(location.count - 2)].joined(separator: ":")
            return (path, line, column, severity, String(text[markerRange.upperBound...]))
        }
        return nil
    }
}
