import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// A versioned container for a trained estimator: a kind ("npe", "gnpe", …) and named sections,
/// each either a JSON document or a list of Float32 tensors, written as one file.
///
/// Estimators store their pieces as sections (NPE: `"prior"`, `"configuration"`, `"history"`,
/// `"flow"`); GNPE adds its own (an equivariance description, an initialisation network) without
/// changing the format.
///
/// File layout (little-endian):
/// ```text
/// 0   "GNPEARCH"                 8 bytes magic
/// 8   format version             UInt32 (``formatVersion``)
/// 12  reserved                   UInt32 (0)
/// 16  header byte count H        UInt64
/// 24  payload byte count P       UInt64
/// 32  header                     H bytes of JSON: kind and the section table
/// 32+H payload                   P bytes: JSON sections verbatim, tensors as raw Float32
/// end checksum                   UInt32 CRC-32 of every preceding byte
/// ```
///
/// Every future version must keep the magic, the version at offset 8 and the closing CRC-32 over
/// all preceding bytes: readers check the checksum before trusting the version, so one flipped
/// bit anywhere reads as damage, never as another version or a different model.
///
/// ```swift
/// var archive = EstimatorArchive(kind: "npe")
/// try archive.store(history, as: "history")
/// try archive.store(flow, as: "flow")
/// try archive.write(to: url)                        // atomic: temp file + rename
/// let back = try EstimatorArchive(contentsOf: url)
/// let flow2 = try back.flow("flow")
/// ```
public struct EstimatorArchive: Sendable {
    /// The newest format version this library writes and reads.
    public static let formatVersion: UInt32 = 1
    /// The magic bytes at the start of every file.
    public static let magic: [UInt8] = Array("GNPEARCH".utf8)
    static let prefixSize = 32

    /// The content of a section.
    public enum Section: Sendable, Equatable {
        /// A UTF-8 JSON document.
        case json(Data)
        /// Float32 tensors with their shapes.
        case tensors([Tensor])
    }

    /// What the archive holds ("npe", "gnpe", …).
    public var kind: String
    /// The section names in the order they were stored.
    public private(set) var sectionNames: [String] = []
    private var sections: [String: Section] = [:]
    /// The format version the archive was read with (``formatVersion`` for a new one).
    public private(set) var version: UInt32 = EstimatorArchive.formatVersion

    /// Creates an empty archive.
    /// - Parameter kind: What the archive holds, e.g. `"npe"`.
    public init(kind: String) { self.kind = kind }

    /// Whether a section exists.
    public func contains(_ name: String) -> Bool { sections[name] != nil }

    /// The raw content of a section, or `nil`.
    public subscript(name: String) -> Section? {
        get { sections[name] }
        set {
            if newValue == nil { sectionNames.removeAll { $0 == name } }
            else if sections[name] == nil { sectionNames.append(name) }
            sections[name] = newValue
        }
    }

    /// Stores a value as a JSON section (replacing one of the same name).
    /// - Parameters:
    ///   - value: Any `Encodable` value.
    ///   - name: The section name.
    /// - Throws: `EncodingError` if the value cannot be encoded.
    public mutating func store<T: Encodable>(_ value: T, as name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self[name] = .json(try encoder.encode(value))
    }

    /// Stores tensors as a Float32 section (replacing one of the same name).
    /// - Parameters:
    ///   - tensors: The tensors; their shapes are recorded.
    ///   - name: The section name.
    public mutating func store(tensors: [Tensor], as name: String) {
        self[name] = .tensors(tensors)
    }

    /// Decodes a JSON section.
    /// - Parameters:
    ///   - type: The stored type.
    ///   - name: The section name.
    /// - Returns: The decoded value.
    /// - Throws: ``EstimatorFileError/missingSection(_:)`` or ``EstimatorFileError/malformed(path:reason:)``.
    public func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        guard let section = sections[name] else { throw EstimatorFileError.missingSection(name) }
        guard case .json(let data) = section else {
            throw EstimatorFileError.malformed(path: name, reason: "section \(name) holds tensors, not JSON")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(type, from: data) } catch {
            throw EstimatorFileError.malformed(path: name, reason: "section \(name) does not decode as \(T.self): \(error)")
        }
    }

    /// The tensors of a tensor section.
    /// - Parameter name: The section name.
    /// - Returns: The tensors in stored order.
    /// - Throws: ``EstimatorFileError/missingSection(_:)`` or ``EstimatorFileError/malformed(path:reason:)``.
    public func tensors(_ name: String) throws -> [Tensor] {
        guard let section = sections[name] else { throw EstimatorFileError.missingSection(name) }
        guard case .tensors(let t) = section else {
            throw EstimatorFileError.malformed(path: name, reason: "section \(name) holds JSON, not tensors")
        }
        return t
    }

    // MARK: Encoding

    private struct Header: Codable {
        struct Entry: Codable {
            var name: String
            var type: String        // "json" or "float32"
            var offset: Int
            var byteCount: Int
            var shapes: [[Int]]?
        }
        var kind: String
        var sections: [Entry]
    }

    /// The archive as file bytes (see the layout above).
    /// - Throws: `EncodingError` if the header cannot be encoded.
    public func encoded() throws -> Data {
        var payload = Data()
        var entries = [Header.Entry]()
        for name in sectionNames {
            guard let section = sections[name] else { continue }
            let offset = payload.count
            switch section {
            case .json(let d):
                payload.append(d)
                entries.append(.init(name: name, type: "json", offset: offset, byteCount: d.count, shapes: nil))
            case .tensors(let ts):
                for t in ts {
                    t.scalars.withUnsafeBufferPointer { buf in
                        for v in buf { appendLittleEndian(v.bitPattern, to: &payload) }
                    }
                }
                entries.append(.init(name: name, type: "float32", offset: offset, byteCount: payload.count - offset,
                                     shapes: ts.map(\.shape)))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = try encoder.encode(Header(kind: kind, sections: entries))
        var out = Data(Self.magic)
        appendLittleEndian(Self.formatVersion, to: &out)
        appendLittleEndian(UInt32(0), to: &out)
        appendLittleEndian(UInt64(header.count), to: &out)
        appendLittleEndian(UInt64(payload.count), to: &out)
        out.append(header)
        out.append(payload)
        appendLittleEndian(CRC32.checksum(out), to: &out)
        return out
    }

    /// Decodes file bytes.
    /// - Parameters:
    ///   - data: The bytes of a file written by ``encoded()``.
    ///   - path: The file's name, for error messages.
    /// - Throws: ``EstimatorFileError``: `notAnEstimatorFile` (wrong magic), `truncated` (shorter
    ///   than its sizes say), `checksumMismatch` (any byte changed, including the version and
    ///   sizes), `unsupportedVersion` (an intact file of a newer format), `malformed` (an intact
    ///   file whose header or sections do not fit together).
    public init(decoding data: Data, path: String = "<data>") throws {
        let bytes = [UInt8](data)
        let magic = Self.magic
        // A file shorter than the magic is truncated only if what is there matches it.
        guard bytes.count >= magic.count else {
            if !bytes.isEmpty && Array(magic.prefix(bytes.count)) == bytes {
                throw EstimatorFileError.truncated(path: path, expectedBytes: Self.prefixSize, foundBytes: bytes.count)
            }
            throw EstimatorFileError.notAnEstimatorFile(path: path)
        }
        guard Array(bytes[0..<magic.count]) == magic else { throw EstimatorFileError.notAnEstimatorFile(path: path) }
        guard bytes.count >= Self.prefixSize else {
            throw EstimatorFileError.truncated(path: path, expectedBytes: Self.prefixSize, foundBytes: bytes.count)
        }
        let version: UInt32 = readLittleEndian(bytes, at: 8)
        // Every format version ends with the CRC-32 of all bytes before it, so a damaged version
        // field reads as damage, not as a file from a newer library.
        let storedChecksum: UInt32 = readLittleEndian(bytes, at: bytes.count - 4)
        guard version <= Self.formatVersion, version >= 1 else {
            let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
            guard storedChecksum == computed else {
                throw EstimatorFileError.checksumMismatch(path: path, stored: storedChecksum, computed: computed)
            }
            throw EstimatorFileError.unsupportedVersion(path: path, found: version, newestSupported: Self.formatVersion)
        }
        // Sizes beyond any real file are damage; capping them keeps the sums below from overflowing.
        let limit = UInt64(Int.max / 4)
        let headerCount = Int(min(readLittleEndian(bytes, at: 16) as UInt64, limit))
        let payloadCount = Int(min(readLittleEndian(bytes, at: 24) as UInt64, limit))
        let total = Self.prefixSize + headerCount + payloadCount + 4
        guard bytes.count >= total else {
            throw EstimatorFileError.truncated(path: path, expectedBytes: total, foundBytes: bytes.count)
        }
        let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
        guard storedChecksum == computed else {
            throw EstimatorFileError.checksumMismatch(path: path, stored: storedChecksum, computed: computed)
        }
        guard bytes.count == total else {
            throw EstimatorFileError.malformed(
                path: path, reason: "its sizes add up to \(total) bytes but the file holds \(bytes.count)")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[Self.prefixSize..<(Self.prefixSize + headerCount)]))
        } catch {
            throw EstimatorFileError.malformed(path: path, reason: "the header is not valid: \(error)")
        }
        self.kind = header.kind
        self.version = version
        let payloadStart = Self.prefixSize + headerCount
        for entry in header.sections {
            guard !contains(entry.name) else {
                throw EstimatorFileError.malformed(path: path, reason: "the header lists section \(entry.name) twice")
            }
            guard entry.offset >= 0, entry.byteCount >= 0, entry.offset <= payloadCount,
                  entry.byteCount <= payloadCount - entry.offset else {
                throw EstimatorFileError.malformed(path: path, reason: "section \(entry.name) lies outside the payload")
            }
            let start = payloadStart + entry.offset
            switch entry.type {
            case "json":
                self[entry.name] = .json(Data(bytes[start..<(start + entry.byteCount)]))
            case "float32":
                let shapes = entry.shapes ?? []
                let counts = shapes.map(Self.elementCount(of:))
                var scalarCount = 0
                for count in counts {
                    guard let count, case let (sum, false) = scalarCount.addingReportingOverflow(count) else {
                        scalarCount = -1
                        break
                    }
                    scalarCount = sum
                }
                guard scalarCount >= 0, scalarCount <= entry.byteCount / 4, scalarCount * 4 == entry.byteCount else {
                    throw EstimatorFileError.malformed(path: path, reason: "section \(entry.name): shapes do not match its size")
                }
                var ts = [Tensor]()
                var p = start
                for (shape, count) in zip(shapes, counts) {
                    let n = count ?? 0
                    var scalars = [Float](repeating: 0, count: n)
                    for i in 0..<n {
                        scalars[i] = Float(bitPattern: readLittleEndian(bytes, at: p))
                        p += 4
                    }
                    ts.append(Tensor(shape: shape, scalars: scalars))
                }
                self[entry.name] = .tensors(ts)
            default:
                throw EstimatorFileError.malformed(path: path, reason: "section \(entry.name) has unknown type \(entry.type)")
            }
        }
    }

    /// The number of elements of a stored shape, or `nil` if an extent is negative or the running
    /// product overflows (which `Tensor` would trap on, even with a zero extent later on).
    private static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0, case let (product, false) = count.multipliedReportingOverflow(by: extent) else { return nil }
            count = product
        }
        return count
    }

    // MARK: Files

    /// Writes the archive atomically: to a temporary file in the same directory, then renamed
    /// over `url`, so a reader never sees a half-written file.
    /// - Parameter url: The destination file.
    /// - Throws: ``EstimatorFileError/io(path:reason:)``.
    public func write(to url: URL) throws {
        let data = try encoded()
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw EstimatorFileError.io(path: url.path, reason: "cannot write \(temporary.path): \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw EstimatorFileError.io(path: url.path, reason: "cannot rename the temporary file: \(reason)")
        }
    }

    /// Reads an archive file.
    /// - Parameter url: The file.
    /// - Throws: ``EstimatorFileError``, see ``init(decoding:path:)``; `io` if it cannot be read.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EstimatorFileError.io(path: url.path, reason: error.localizedDescription)
        }
        try self.init(decoding: data, path: url.path)
    }
}

@inline(__always)
private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}

@inline(__always)
private func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
    var v: T = 0
    for k in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: bytes[offset + k]) << (8 * k) }
    return v
}
