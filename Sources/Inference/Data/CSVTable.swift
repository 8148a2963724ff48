import Foundation

/// A numeric table read from or written to a CSV file: an optional header row of column names,
/// then one row of numbers per line (comma-separated; blank lines ignored).
///
/// ```swift
/// let table = try CSVTable(contentsOf: URL(fileURLWithPath: "theta.csv"))
/// table.columnNames      // ["omega0", "beta", "t0"]
/// table.matrix           // [rows, 3]
/// ```
public struct CSVTable: Equatable, Sendable {
    /// The column names (empty if the file had no header row).
    public var columnNames: [String]
    /// The values: `[rows, columns]`.
    public var matrix: SampleMatrix

    /// Creates a table.
    /// - Parameters:
    ///   - matrix: The values.
    ///   - columnNames: The names (empty, or one per column).
    public init(_ matrix: SampleMatrix, columnNames: [String] = []) {
        self.matrix = matrix
        self.columnNames = columnNames
    }

    /// Reads a CSV file; the first line is a header if any of its fields is not a number.
    /// - Throws: ``DataFormatError`` naming the line and column of a ragged row or non-numeric field.
    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DataFormatError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(csv: text, path: url.path)
    }

    /// Parses CSV text.
    /// - Throws: As ``init(contentsOf:)``.
    public init(csv text: String, path: String = "<csv>") throws {
        var names: [String] = []
        var flat: [Double] = []
        var width: Int? = nil
        var rows = 0
        for (lineIndex, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            let numbers = fields.map { Self.number($0) }
            if width == nil && names.isEmpty && rows == 0 && numbers.contains(where: { $0 == nil }) {
                names = fields
                width = fields.count
                continue
            }
            if let w = width, fields.count != w {
                throw DataFormatError.raggedRow(path: path, line: lineIndex + 1, expected: w, found: fields.count)
            }
            width = fields.count
            for (c, n) in numbers.enumerated() {
                guard let n else { throw DataFormatError.notANumber(path: path, line: lineIndex + 1, column: c + 1, field: fields[c]) }
                flat.append(n)
            }
            rows += 1
        }
        columnNames = names
        matrix = try SampleMatrix(rows: rows, columns: width ?? 0, storage: flat)
    }

    static func number(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(s)
        }
    }

    /// The table as CSV text (header row if there are names; shortest round-tripping decimals).
    public var csvText: String {
        var lines: [String] = []
        if !columnNames.isEmpty { lines.append(columnNames.joined(separator: ",")) }
        for i in 0 ..< matrix.rows {
            lines.append(matrix.row(i).map { "\($0)" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the table atomically.
    /// - Throws: ``DataFormatError/io(path:reason:)``.
    public func write(to url: URL) throws {
        do { try Data(csvText.utf8).write(to: url, options: .atomic) } catch {
            throw DataFormatError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
