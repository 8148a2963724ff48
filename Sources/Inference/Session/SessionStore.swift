import Foundation
import Synchronization

/// Keeps the session's costly work — trained estimators and long simulation runs — on disk, so
/// that a crash of the worker does not take it along, and brings it back when the same cell runs
/// again.
///
/// The kernel gives the worker a private session directory in the environment variable
/// `GNPE_SESSION_DIR` (mode 0700, removed when the kernel exits); ``directory`` defaults to it.
/// With no directory, nothing is kept. What is kept (see <doc:KeepingWork>):
///
/// - **Simulation runs** of `appendSimulations(count:seed:)` that take longer than
///   ``checkpointInterval``: completed simulations are checkpointed every interval to
///   `kept/sim-<id>/` (`.npy` parts and `run.json`). Running the same call again with the same
///   model resumes from the checkpoint — only the missing simulations are run and the result is
///   bit-identical to an uninterrupted run — after re-simulating the first θ of the checkpoint to
///   check that the simulator still gives the same output.
/// - **Trained estimators**: after ``NPE/train(progress:)`` or
///   ``GNPEEstimator/train(progress:initialNetworkProgress:)`` succeeds, the archive goes to
///   `kept/npe-<id>.npe` or `kept/gnpe-<id>.gnpe`. Training again on the same simulations with
///   the same architecture and settings loads it instead (`train(force: true)` retrains).
/// - **Crash context**: while a run simulates, a trap in the simulator writes
///   `crash-context.txt` naming θ and how far the run got (``SimulationCrashReport``).
///
/// Every kept item has a sidecar `kept/<id>.json` — `kind`, `summary`, `restore` (one line of
/// Swift that loads it into a variable), `path`, `createdAt` — which the kernel lists after a
/// crash. Files are written with mode 0600, atomically (temporary file, then rename).
///
/// ```swift
/// SessionStore.directory = URL(fileURLWithPath: "/tmp/my-session")   // tests, scripts
/// SessionStore.keptItems()                                            // what is kept so far
/// ```
public enum SessionStore {
    private struct Settings {
        var directory: URL?
        var checkpointInterval: Double = 5
        var restoresTrainedEstimators = true
    }

    private static let settings = Mutex(Settings(directory: SessionStore.environmentDirectory))

    /// Settings for the current task only (``withDirectory(_:checkpointInterval:_:)``).
    @TaskLocal private static var scoped: Settings? = nil

    /// `GNPE_SESSION_DIR` from the environment, if set and not empty.
    static var environmentDirectory: URL? {
        guard let path = ProcessInfo.processInfo.environment["GNPE_SESSION_DIR"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The session directory, or `nil` to keep nothing (the default when `GNPE_SESSION_DIR` is
    /// not set). Set it to keep work outside the kernel (scripts, tests).
    public static var directory: URL? {
        get { scoped.map(\.directory) ?? settings.withLock { $0.directory } }
        set { settings.withLock { $0.directory = newValue } }
    }

    /// Seconds of simulation between checkpoints (default 5); a run shorter than this leaves no
    /// checkpoint. Values below 0 count as 0 (checkpoint after every block, for tests).
    public static var checkpointInterval: Double {
        get { scoped.map(\.checkpointInterval) ?? settings.withLock { $0.checkpointInterval } }
        set { settings.withLock { $0.checkpointInterval = newValue.isNaN ? 5 : max(0, newValue) } }
    }

    /// Whether `train()` loads an estimator kept earlier in the session for identical
    /// simulations, architecture and settings instead of training again (default `true`;
    /// `train(force: true)` always trains).
    public static var restoresTrainedEstimators: Bool {
        get { scoped.map(\.restoresTrainedEstimators) ?? settings.withLock { $0.restoresTrainedEstimators } }
        set { settings.withLock { $0.restoresTrainedEstimators = newValue } }
    }

    /// Runs `body` with another session directory and checkpoint interval for the current task
    /// only (other tasks and threads keep the process-wide settings) — for tests and scripts
    /// that run several sessions side by side.
    ///
    /// ```swift
    /// try SessionStore.withDirectory(URL(fileURLWithPath: "/tmp/s1"), checkpointInterval: 0) {
    ///     try npe.appendSimulations(count: 10_000, seed: 1)
    /// }
    /// ```
    /// - Parameters:
    ///   - directory: The session directory, or `nil` to keep nothing.
    ///   - checkpointInterval: Seconds between checkpoints (default: the process-wide value).
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    @discardableResult
    public static func withDirectory<T>(_ directory: URL?, checkpointInterval: Double? = nil, _ body: () throws -> T)
        rethrows -> T
    {
        var s = Settings(directory: directory)
        s.checkpointInterval = checkpointInterval.map { $0.isNaN ? 5 : max(0, $0) } ?? self.checkpointInterval
        s.restoresTrainedEstimators = restoresTrainedEstimators
        return try $scoped.withValue(s, operation: body)
    }

    /// The `kept` folder, created (mode 0700) if needed; `nil` when keeping is off.
    /// - Throws: ``SessionError/io(path:reason:)`` if it cannot be created.
    static func keptDirectory() throws -> URL? {
        guard let root = directory else { return nil }
        let kept = root.appendingPathComponent("kept", isDirectory: true)
        try createDirectory(kept)
        return kept
    }

    /// Creates a directory (and its parents) with mode 0700 if it does not exist.
    static func createDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw SessionError.io(path: url.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    /// Writes `data` to `url` with mode 0600, atomically: a temporary file in the same folder,
    /// then renamed over `url`.
    /// - Throws: ``SessionError/io(path:reason:)``.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        try writeAtomically(to: url) { write in data.withUnsafeBytes { write($0) } }
    }

    /// Writes a file with mode 0600, atomically; `body` hands its bytes to the writer it gets,
    /// in order (so large arrays are written from their own storage, without a copy).
    /// - Throws: ``SessionError/io(path:reason:)``.
    static func writeAtomically(to url: URL, _ body: ((UnsafeRawBufferPointer) -> Void) -> Void) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SessionError.io(
                path: url.path, reason: "cannot create \(temporary.path): \(String(cString: strerror(errno)))")
        }
        var failure: String? = nil
        body { raw in
            var offset = 0
            while failure == nil, offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        // No fsync: what is kept must survive the worker's death, not the machine's; written
        // data is in the page cache once `write` returns (an fsync of 160 MB took seconds).
        close(fd)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw SessionError.io(path: url.path, reason: failure)
        }
    }

    /// Writes `values` as a `[rows, columns]` float64 (`Double`) or float32 (`Float`) `.npy` file
    /// (format 1.0, little-endian), mode 0600, atomically — the format ``NumPyArray`` reads and
    /// writes, but written straight from the array's storage (``NumPyArray/npyData(as:)`` copies
    /// value by value: several times slower on the 160 MB of a checkpoint of 10⁵ simulations of
    /// 200 values).
    /// - Parameters:
    ///   - values: `rows * columns` values, row-major.
    ///   - rows: The row count.
    ///   - columns: The column count.
    ///   - url: The destination.
    /// - Throws: ``SessionError/io(path:reason:)``.
    static func writeNumPy<Value: BinaryFloatingPoint>(_ values: ArraySlice<Value>, rows: Int, columns: Int, to url: URL) throws {
        let descr = MemoryLayout<Value>.size == 4 ? "<f4" : "<f8"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (total + 63) / 64 * 64 - total) + "\n"
        let length = header.utf8.count
        let prefix = Data(
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8))
        try writeAtomically(to: url) { write in
            prefix.withUnsafeBytes { write($0) }
            #if _endian(little)
                values.withUnsafeBytes { write($0) }
            #else
                var bytes = [UInt8]()
                values.withUnsafeBytes { raw in
                    let size = MemoryLayout<Value>.size
                    for k in stride(from: 0, to: raw.count, by: size) { bytes.append(contentsOf: raw[k..<k + size].reversed()) }
                }
                bytes.withUnsafeBytes { write($0) }
            #endif
        }
    }

    /// Writes a kept item's sidecar `kept/<id>.json`.
    /// - Parameters:
    ///   - item: The description.
    ///   - id: The item's id (file name without `.json`).
    ///   - kept: The `kept` folder.
    /// - Throws: ``SessionError/io(path:reason:)``.
    static func writeSidecar(_ item: KeptItem, id: String, in kept: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(item) } catch {
            throw SessionError.io(path: kept.path, reason: "cannot encode the description: \(error)")
        }
        try writeAtomically(data, to: kept.appendingPathComponent(id + ".json"))
    }

    /// The items kept in the session directory so far, newest first (empty when keeping is off).
    /// - Returns: The sidecars of `kept/*.json` that decode.
    public static func keptItems() -> [KeptItem] {
        guard let root = directory else { return [] }
        let kept = root.appendingPathComponent("kept", isDirectory: true)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: kept.path) else { return [] }
        let items = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name -> KeptItem? in
            guard let data = FileManager.default.contents(atPath: kept.appendingPathComponent(name).path) else {
                return nil
            }
            return try? JSONDecoder().decode(KeptItem.self, from: data)
        }
        return items.sorted { $0.createdAt > $1.createdAt }
    }

    /// A one-line note for the notebook (standard output).
    static func note(_ line: String) {
        print(line)
    }

    /// A one-line warning for the notebook (standard error).
    static func warn(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Quotes a path for a Swift string literal.
    static func swiftLiteral(_ path: String) -> String {
        var out = "\""
        for c in path.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// The current time as ISO 8601 (`2026-11-27T14:03:12Z`).
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

/// The description of one kept item, stored next to it as `kept/<id>.json` (the interface with
/// the kernel, which lists these after a crash).
///
/// ```json
/// {"createdAt":"2026-11-27T14:03:12Z","kind":"estimator","path":"/…/kept/npe-3f2a….npe",
///  "restore":"let npe = try NPE.load(fromPath: \"/…/kept/npe-3f2a….npe\")",
///  "summary":"NPE, 3 parameters (omega0, beta, t0), trained on 10,000 simulations, best validation loss -1.234"}
/// ```
public struct KeptItem: Codable, Equatable, Sendable {
    /// `"estimator"` or `"simulations"`.
    public var kind: String
    /// One line saying what it is.
    public var summary: String
    /// One line of Swift that loads it into a variable in a new cell.
    public var restore: String
    /// The data file (estimator archive) or folder (simulation checkpoint).
    public var path: String
    /// When it was written, ISO 8601.
    public var createdAt: String

    /// Creates a description.
    /// - Parameters:
    ///   - kind: `"estimator"` or `"simulations"`.
    ///   - summary: One line.
    ///   - restore: One line of Swift.
    ///   - path: The data file or folder.
    ///   - createdAt: ISO 8601.
    public init(kind: String, summary: String, restore: String, path: String, createdAt: String) {
        self.kind = kind
        self.summary = summary
        self.restore = restore
        self.path = path
        self.createdAt = createdAt
    }
}

/// Errors from keeping work in the session directory. Keeping is a safety net: the library
/// reports these as warnings and carries on, except where the user asked for a kept item.
public enum SessionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file could not be written or read.
    case io(path: String, reason: String)
    /// A kept file is not in the expected format.
    case malformed(path: String, reason: String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .io(let path, let reason): return "session file \(path): \(reason)"
        case .malformed(let path, let reason): return "session file \(path) is not valid: \(reason)"
        }
    }
}
