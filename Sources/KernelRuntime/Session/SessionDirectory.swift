import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A kernel's private working directory, `gnpe-kernel-<pid>-<random>/` in the Jupyter runtime
/// directory: the compiled cells in `cells/`, and what the library keeps for the session
/// (`kept/<id>.json`, `crash-context.txt`; the worker finds the directory in `GNPE_SESSION_DIR`).
///
/// The directory is mode 0700 (the kernel runs with umask 077, so what the compiler and the
/// worker write in it is 0600/0700). The kernel holds an exclusive `flock` on `lock` inside it
/// for as long as it runs: a directory whose lock can be taken belongs to a kernel that is gone,
/// and ``sweep(runtimeDirectory:)`` removes it.
///
/// A kernel restart (`shutdown_request` with `restart: true`, then a new process on the same
/// connection file) keeps `kept/`: ``prepareForRestart(connectionFile:)`` leaves the directory
/// with a `restart` marker naming the connection file, and the next kernel on that connection
/// file adopts it (``open(runtimeDirectory:connectionFile:)``).
public final class SessionDirectory: @unchecked Sendable {
    /// The directory's path.
    public let path: String
    /// The descriptor holding the lock (open for the kernel's lifetime, close-on-exec).
    private let lockDescriptor: Int32
    private let lock = NSLock()
    private var removed = false

    /// The prefix of every session directory's name (what ``sweep(runtimeDirectory:)`` looks at).
    public static let namePrefix = "gnpe-kernel-"
    /// The prefix of a directory being created (renamed to its final name once it is locked).
    static let pendingPrefix = ".gnpe-kernel-new-"
    /// How long a `restart` marker keeps a directory whose connection file still exists.
    static let restartGracePeriod: TimeInterval = 600

    /// The folder of compiled cells.
    public var cellsPath: String { path + "/cells" }
    /// The folder of kept items' sidecars (`<id>.json`), written by the library.
    public var keptPath: String { path + "/kept" }
    /// The file the library writes when a simulation traps (what was running).
    public var crashContextPath: String { path + "/crash-context.txt" }

    private init(path: String, lockDescriptor: Int32) {
        self.path = path
        self.lockDescriptor = lockDescriptor
    }

    /// Takes over the directory at `path`, whose lock `lockDescriptor` holds.
    convenience init(adopting path: String, lockDescriptor: Int32) {
        self.init(path: path, lockDescriptor: lockDescriptor)
    }

    deinit { close(lockDescriptor) }

    /// The Jupyter runtime directory, by jupyter_core's rules (5.x): `$JUPYTER_RUNTIME_DIR`,
    /// else `$JUPYTER_DATA_DIR/runtime`, else `$XDG_DATA_HOME/jupyter/runtime`, else
    /// `~/.local/share/jupyter/runtime` (jupyter_core no longer uses `$XDG_RUNTIME_DIR`).
    /// - Parameter environment: The environment to read.
    /// - Returns: The directory's path (it may not exist yet).
    public static func runtimeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let value = environment["JUPYTER_RUNTIME_DIR"], !value.isEmpty { return value }
        if let value = environment["JUPYTER_DATA_DIR"], !value.isEmpty { return value + "/runtime" }
        if let value = environment["XDG_DATA_HOME"], !value.isEmpty { return value + "/jupyter/runtime" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/jupyter/runtime"
    }

    /// Creates this kernel's session directory in `runtimeDirectory` (or adopts the one a
    /// restarting kernel on the same connection file left), locked for this process.
    ///
    /// - Parameters:
    ///   - runtimeDirectory: Where session directories live (created 0700 if missing).
    ///   - connectionFile: The kernel's connection file, or nil (then nothing is adopted).
    /// - Returns: The locked directory, with empty `cells/` and `kept/` folders.
    /// - Throws: ``SessionDirectoryError`` naming the path and the system's reason.
    public static func open(runtimeDirectory: String, connectionFile: String?) throws -> SessionDirectory {
        try makeDirectory(runtimeDirectory, intermediate: true)
        if let connectionFile, let adopted = adoptRestarted(in: runtimeDirectory, connectionFile: absolute(connectionFile)) {
            return adopted
        }
        let suffix = "\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let pending = "\(runtimeDirectory)/\(pendingPrefix)\(suffix)"
        let final = "\(runtimeDirectory)/\(namePrefix)\(suffix)"
        try makeDirectory(pending, intermediate: false)
        let descriptor = Glibc.open(pending + "/lock", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw SessionDirectoryError(path: pending + "/lock", reason: systemError()) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SessionDirectoryError(path: pending + "/lock", reason: systemError())
        }
        // Only a locked directory gets a name the sweep looks at.
        guard rename(pending, final) == 0 else {
            close(descriptor)
            throw SessionDirectoryError(path: final, reason: systemError())
        }
        let session = SessionDirectory(path: final, lockDescriptor: descriptor)
        try makeDirectory(session.cellsPath, intermediate: false)
        try makeDirectory(session.keptPath, intermediate: false)
        return session
    }

    /// Removes the directory and everything in it (once; later calls do nothing).
    public func remove() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        Self.removeTree(path)
    }

    /// Leaves the directory for the kernel that a restart starts on `connectionFile`: removes
    /// the compiled cells, keeps `kept/`, and writes the `restart` marker. The lock is released
    /// when this process exits.
    /// - Parameter connectionFile: The connection file the next kernel is started with.
    public func prepareForRestart(connectionFile: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        Self.removeTree(cellsPath)
        unlink(crashContextPath)
        let marker = Self.absolute(connectionFile) + "\n"
        let descriptor = Glibc.open(path + "/restart", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if descriptor >= 0 {
            _ = marker.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
            close(descriptor)
        }
    }

    // MARK: - Helpers

    static func makeDirectory(_ path: String, intermediate: Bool) throws {
        if intermediate {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SessionDirectoryError(path: path, reason: "\(error)")
            }
            return
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw SessionDirectoryError(path: path, reason: systemError())
        }
        chmod(path, 0o700)
    }

    /// Removes `path` recursively without following symbolic links.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                removeTree(path + "/" + name)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}

/// A session directory could not be created.
public struct SessionDirectoryError: Error, CustomStringConvertible, Sendable {
    /// The path that failed.
    public var path: String
    /// The system's reason.
    public var reason: String
    /// What failed and why.
    public var description: String { "cannot create the kernel's session directory \(path): \(reason)" }
}
