import Foundation

/// An n-dimensional array read from or written to a NumPy `.npy` file (format versions 1.0,
/// 2.0 and 3.0; little-endian `<f4`/`<f8`, and `<i4`/`<i8` on reading; C order).
///
/// Values are held as `Double` whatever the file's type; ``elementType`` records the type read,
/// and the type to write is chosen at ``write(to:as:)``.
/// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
///
/// ```swift
/// let theta = try NumPyArray(contentsOf: URL(fileURLWithPath: "theta.npy")).matrix()   // [n, 3]
/// try NumPyArray(simulations.data).write(to: URL(fileURLWithPath: "x.npy"), as: .float32)
/// ```
public struct NumPyArray: Equatable, Sendable {
    /// A supported element type.
    public enum ElementType: String, Sendable {
        /// `<f4`.
        case float32 = "<f4"
        /// `<f8`.
        case float64 = "<f8"
        /// `<i4` (read only).
        case int32 = "<i4"
        /// `<i8` (read only).
        case int64 = "<i8"

        var byteCount: Int { self == .float32 || self == .int32 ? 4 : 8 }
    }

    /// The shape, e.g. `[rows, columns]`; `[]` for a scalar.
    public var shape: [Int]
    /// The values in C (row-major) order; count = product of `shape`.
    public var values: [Double]
    /// The element type of the file it was read from (`.float64` for arrays made in memory).
    public var elementType: ElementType

    /// Creates an array.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` if the count does not match the shape.
    public init(shape: [Int], values: [Double]) throws {
        guard let n = Self.elementCount(of: shape), n == values.count else {
            let expected = Self.elementCount(of: shape).map { "\($0) values for shape \(shape)" }
                ?? "a shape of non-negative extents with a representable size, not \(shape)"
            throw DataFormatError.shapeMismatch(expected: expected, found: "\(values.count)")
        }
        self.shape = shape
        self.values = values
        self.elementType = .float64
    }

    /// A 2-D array `[rows, columns]` holding a matrix.
    public init(_ matrix: SampleMatrix) {
        shape = [matrix.rows, matrix.columns]
        values = matrix.storage
        elementType = .float64
    }

    /// The array as a ``SampleMatrix``: 2-D arrays as they are, 1-D arrays as one column.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` for other ranks.
    public func matrix() throws -> SampleMatrix {
        switch shape.count {
        case 1: return try SampleMatrix(rows: shape[0], columns: 1, storage: values)
        case 2: return try SampleMatrix(rows: shape[0], columns: shape[1], storage: values)
        default: throw DataFormatError.shapeMismatch(expected: "a 1-D or 2-D array", found: "shape \(shape)")
        }
    }

    // MARK: Reading

    /// Reads a `.npy` file.
    /// - Parameter url: The file.
    /// - Throws: ``DataFormatError`` for a missing, truncated or foreign file, or an unsupported
    ///   element type or layout (big-endian, Fortran order, objects).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFormatError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(npyData: data, path: url.path)
    }

    /// Parses the bytes of a `.npy` file.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: A name for error messages.
    /// - Throws: As ``init(contentsOf:)``.
    public init(npyData bytes: Data, path: String = "<data>") throws {
        let b = [UInt8](bytes)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard b.count >= 8 else {
            if b.count >= 1 && Array(b.prefix(min(6, b.count))) == Array(magic.prefix(min(6, b.count))) {
                throw DataFormatError.truncated(path: path, expectedBytes: 10, foundBytes: b.count)
            }
            throw DataFormatError.notNumPy(path: path, reason: "file too short (\(b.count) bytes) for the \\x93NUMPY magic")
        }
        guard Array(b[0 ..< 6]) == magic else {
            throw DataFormatError.notNumPy(path: path, reason: "missing the \\x93NUMPY magic string")
        }
        let major = b[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            guard b.count >= 10 else { throw DataFormatError.truncated(path: path, expectedBytes: 10, foundBytes: b.count) }
            headerLength = Int(b[8]) | Int(b[9]) << 8
            headerStart = 10
        case 2, 3:
            guard b.count >= 12 else { throw DataFormatError.truncated(path: path, expectedBytes: 12, foundBytes: b.count) }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default:
            throw DataFormatError.notNumPy(path: path, reason: "unknown format version \(major).\(b[7])")
        }
        guard b.count >= headerStart + headerLength else {
            throw DataFormatError.truncated(path: path, expectedBytes: headerStart + headerLength, foundBytes: b.count)
        }
        guard let header = String(bytes: b[headerStart ..< headerStart + headerLength], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw DataFormatError.malformedHeader(path: path, header: "not text")
        }
        let (descr, fortran, shape) = try Self.parseHeader(header, path: path)
        guard let type = ElementType(rawValue: descr.replacingOccurrences(of: "|", with: "<")) else {
            let reason = descr.hasPrefix(">") ? "big-endian element type '\(descr)'" : "element type '\(descr)' (supported: <f4, <f8, <i4, <i8)"
            throw DataFormatError.unsupported(path: path, reason: reason)
        }
        guard !fortran || shape.count <= 1 else {
            throw DataFormatError.unsupported(path: path, reason: "Fortran (column-major) order; save with np.ascontiguousarray")
        }
        let dataStart = headerStart + headerLength
        // Checked before allocating: a damaged shape must not ask for terabytes (or overflow).
        guard let count = Self.elementCount(of: shape),
              case let (dataBytes, false) = count.multipliedReportingOverflow(by: type.byteCount),
              case let (needed, false) = dataStart.addingReportingOverflow(dataBytes)
        else {
            throw DataFormatError.unsupported(
                path: path, reason: "shape \(shape) has more elements than memory can address (a damaged header?)")
        }
        guard b.count >= needed else { throw DataFormatError.truncated(path: path, expectedBytes: needed, foundBytes: b.count) }
        var values = [Double](repeating: 0, count: count)
        b.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart
            for i in 0 ..< count {
                let p = base + i * type.byteCount
                switch type {
                case .float32: values[i] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))))
                case .float64: values[i] = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
                case .int32: values[i] = Double(Int32(littleEndian: p.loadUnaligned(as: Int32.self)))
                case .int64: values[i] = Double(Int64(littleEndian: p.loadUnaligned(as: Int64.self)))
                }
            }
        }
        self.shape = shape
        self.values = values
        self.elementType = type
    }

    /// The number of elements of `shape`, or `nil` if an extent is negative or the product
    /// overflows `Int`.
    static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0, case let (product, false) = count.multipliedReportingOverflow(by: extent) else { return nil }
            count = product
        }
        return count
    }

    /// Parses `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseHeader(_ header: String, path: String) throws -> (String, Bool, [Int]) {
        func value(of key: String) -> Substring? {
            guard let r = header.range(of: "'\(key)'") else { return nil }
            var rest = header[r.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        if let d = value(of: "descr"), d.first == "[" {
            throw DataFormatError.unsupported(
                path: path, reason: "a structured (record) element type; save each field as its own array")
        }
        guard let d = value(of: "descr"), d.first == "'" || d.first == "\"" else {
            throw DataFormatError.malformedHeader(path: path, header: header)
        }
        let quote = d.first!
        guard let end = d.dropFirst().firstIndex(of: quote) else { throw DataFormatError.malformedHeader(path: path, header: header) }
        let descr = String(d[d.index(after: d.startIndex) ..< end])
        guard let f = value(of: "fortran_order") else { throw DataFormatError.malformedHeader(path: path, header: header) }
        let fortran: Bool
        if f.hasPrefix("True") { fortran = true } else if f.hasPrefix("False") { fortran = false } else {
            throw DataFormatError.malformedHeader(path: path, header: header)
        }
        guard let s = value(of: "shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw DataFormatError.malformedHeader(path: path, header: header)
        }
        var shape: [Int] = []
        for part in s[s.index(after: s.startIndex) ..< close].split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw DataFormatError.malformedHeader(path: path, header: header) }
            shape.append(n)
        }
        return (descr, fortran, shape)
    }

    // MARK: Writing

    /// The bytes of a `.npy` file holding this array (version 1.0, or 2.0 if the header needs it).
    /// - Parameter type: `.float32` or `.float64` (integer types are written as `.float64`).
    public func npyData(as type: ElementType = .float64) -> Data {
        let t: ElementType = type == .float32 ? .float32 : .float64
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(t.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let v1 = header.utf8.count + 11 < 65_536
        let prefix = v1 ? 10 : 12
        let total = prefix + header.utf8.count + 1
        let padded = (total + 63) / 64 * 64
        header += String(repeating: " ", count: padded - total) + "\n"
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, v1 ? 1 : 2, 0])
        let hl = header.utf8.count
        if v1 {
            out.append(contentsOf: [UInt8(hl & 0xFF), UInt8(hl >> 8)])
        } else {
            out.append(contentsOf: [UInt8(hl & 0xFF), UInt8((hl >> 8) & 0xFF), UInt8((hl >> 16) & 0xFF), UInt8(hl >> 24)])
        }
        out.append(contentsOf: Array(header.utf8))
        var body = [UInt8]()
        body.reserveCapacity(values.count * t.byteCount)
        for v in values {
            if t == .float32 {
                withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { body.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) }
            }
        }
        out.append(contentsOf: body)
        return out
    }

    /// Writes the array to a `.npy` file atomically (temporary file, then rename).
    /// - Parameters:
    ///   - url: The destination.
    ///   - type: `.float32` or `.float64` (default).
    /// - Throws: ``DataFormatError/io(path:reason:)``.
    public func write(to url: URL, as type: ElementType = .float64) throws {
        do { try npyData(as: type).write(to: url, options: .atomic) } catch {
            throw DataFormatError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
