/// Errors reading or writing data: NumPy `.npy` files, CSV files, and mismatched shapes.
public enum DataFormatError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file is not a NumPy `.npy` file (wrong magic string or version).
    case notNumPy(path: String, reason: String)
    /// The file ends before its header or data says it should.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The header is malformed.
    case malformedHeader(path: String, header: String)
    /// The array's element type or layout is not supported (e.g. big-endian, Fortran order, strings).
    case unsupported(path: String, reason: String)
    /// A CSV field is not a number.
    case notANumber(path: String, line: Int, column: Int, field: String)
    /// A CSV line has the wrong number of fields.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// Arrays have incompatible shapes.
    case shapeMismatch(expected: String, found: String)
    /// The file could not be read or written.
    case io(path: String, reason: String)

    /// A one-line description naming the file and the problem.
    public var description: String {
        switch self {
        case let .notNumPy(path, reason): return "\(path) is not a NumPy .npy file: \(reason)"
        case let .truncated(path, expected, found):
            return "\(path) is truncated: expected \(expected) bytes, found \(found)"
        case let .malformedHeader(path, header): return "\(path) has a malformed .npy header: \(header)"
        case let .unsupported(path, reason): return "\(path): unsupported array: \(reason)"
        case let .notANumber(path, line, column, field):
            return "\(path), line \(line), column \(column): '\(field)' is not a number"
        case let .raggedRow(path, line, expected, found):
            return "\(path), line \(line): \(found) fields, expected \(expected)"
        case let .shapeMismatch(expected, found): return "shape mismatch: expected \(expected), found \(found)"
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }
}
