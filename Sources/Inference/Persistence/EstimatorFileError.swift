/// Errors from saving or loading a trained estimator file; each names the file and the problem.
public enum EstimatorFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not start with the estimator magic bytes (it is some other file).
    case notAnEstimatorFile(path: String)
    /// The file is shorter than its own header says (an interrupted copy or download).
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The file was written by a newer version of this library.
    case unsupportedVersion(path: String, found: UInt32, newestSupported: UInt32)
    /// The stored checksum does not match the contents (the file was altered or damaged).
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    /// The header or a section cannot be decoded.
    case malformed(path: String, reason: String)
    /// A section the reader needs is not in the file.
    case missingSection(String)
    /// The file holds another kind of estimator (e.g. GNPE read as NPE).
    case wrongKind(expected: String, found: String)
    /// The prior contains a user-defined distribution that cannot be stored by value; pass the
    /// prior when loading.
    case priorRequired(parameter: String, distribution: String)
    /// A prior passed at load time does not match the stored one.
    case priorMismatch(String)
    /// Reading or writing the file failed.
    case io(path: String, reason: String)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .notAnEstimatorFile(let p):
            return "\(p) is not a saved estimator (wrong magic bytes)"
        case let .truncated(p, e, f):
            return "\(p) is truncated: expected \(e) bytes, found \(f)"
        case let .unsupportedVersion(p, f, n):
            return "\(p) uses estimator file format version \(f); this library reads versions up to \(n) — update the library"
        case let .checksumMismatch(p, s, c):
            return "\(p) is damaged: stored checksum \(String(s, radix: 16)) ≠ computed \(String(c, radix: 16))"
        case let .malformed(p, r):
            return "\(p) is malformed: \(r)"
        case .missingSection(let n):
            return "The estimator file has no section \"\(n)\""
        case let .wrongKind(e, f):
            return "The file holds a \(f) estimator, not \(e)"
        case let .priorRequired(p, d):
            return "The prior of \(p) is the user-defined distribution \(d), which is not stored by value; "
                + "pass the same prior when loading (load(from:prior:))"
        case .priorMismatch(let m):
            return "The prior passed at load does not match the saved one: \(m)"
        case let .io(p, r):
            return "Cannot access \(p): \(r)"
        }
    }
}
