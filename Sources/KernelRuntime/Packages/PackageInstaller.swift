import Crypto
import Foundation

/// Builds the Swift packages of `%install` lines into shared libraries that cells can import,
/// caching each build across kernel sessions.
///
/// A request becomes a small generated package in `<cache>/<key>/` (the key hashes the
/// dependency, the products, the toolchain and the GNPE build), whose one dynamic library
/// `libInstalled_<key>.so` depends on the requested products; `swift build -c release` builds
/// it, its output streaming to the cell. The same request again finds `installed.json` there
/// and runs no SwiftPM at all (unless a local package's files changed since).
///
/// **One copy of the library.** A package may itself depend on GNPE. Building that dependency
/// would make a second copy of every GNPE type and global, distinct from the ones the worker
/// has loaded. So the generated package also depends on a stub package with the same package
/// identity as the requested package's GNPE dependency (SwiftPM lets a root package's
/// dependency take the place of a transitive one with the same identity). The stub's product
/// `GNPE` is one empty target that re-exports the already built `GNPE` module (its
/// `.swiftmodule` files are on every compilation's search path: `swift build -Xswiftc -I …`)
/// and links the very `libGNPE.so` the worker has loaded. Nothing of GNPE is compiled again.
public final class PackageInstaller: @unchecked Sendable {
    /// Where the builds are cached.
    public let cacheDirectory: String
    let swift: String
    private let compiler: String
    let libraryPath: String
    private let modulesDirectory: String
    private let libraryFlags: [String]
    let librarySourceRoot: String?
    private let lock = NSLock()
    private var running: Process?
    private var cancelled = false
    private var toolchain: String?

    /// Creates an installer.
    /// - Parameters:
    ///   - cacheDirectory: Where builds are kept (``defaultCacheDirectory()``).
    ///   - swift: Path of the `swift` driver (`swift build`).
    ///   - compiler: Path of `swiftc` (its version is part of the cache key).
    ///   - libraryPath: Path of the `libGNPE.so` the worker loads.
    ///   - modulesDirectory: The folder with GNPE's `.swiftmodule` files.
    ///   - libraryFlags: The compiler flags GNPE's modules need (module maps of their C modules).
    ///   - librarySourceRoot: The GNPE package's folder, if known: a local dependency on it is
    ///     recognised whatever its name.
    public init(
        cacheDirectory: String, swift: String, compiler: String, libraryPath: String, modulesDirectory: String,
        libraryFlags: [String], librarySourceRoot: String?
    ) {
        self.cacheDirectory = cacheDirectory
        self.swift = swift
        self.compiler = compiler
        self.libraryPath = libraryPath
        self.modulesDirectory = modulesDirectory
        self.libraryFlags = libraryFlags
        self.librarySourceRoot = librarySourceRoot
    }

    /// The cache folder: `GNPE_PACKAGE_CACHE`, else `$XDG_CACHE_HOME/gnpe/packages`, else
    /// `~/.cache/gnpe/packages`.
    public static func defaultCacheDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["GNPE_PACKAGE_CACHE"], !explicit.isEmpty { return explicit }
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache"
        return base + "/gnpe/packages"
    }

    /// Builds `request` (or finds it in the cache).
    /// - Parameters:
    ///   - request: The dependency and products.
    ///   - output: Receives SwiftPM's output line by line while it builds, and the installer's
    ///     own progress lines; called from other threads.
    /// - Returns: The built package, and whether it came from the cache without running SwiftPM.
    /// - Throws: ``PackageInstallationError`` with SwiftPM's error lines when the build fails
    ///   (a compile error, a product that does not exist, a repository that cannot be fetched),
    ///   or when the installation was cancelled.
    public func install(_ request: PackageRequest, output: @escaping @Sendable (String) -> Void) throws
        -> (package: InstalledPackage, fromCache: Bool)
    {
        lock.withLock { cancelled = false }
        let key = request.cacheKey(toolchain: toolchainIdentity(), library: libraryIdentity())
        let directory = "\(cacheDirectory)/\(key)"
        let record = directory + "/installed.json"
        let fingerprint = Self.fingerprint(of: request.localPaths)
        if let data = FileManager.default.contents(atPath: record),
            let installed = try? JSONDecoder().decode(InstalledPackage.self, from: data),
            installed.sourceFingerprint == fingerprint,
            FileManager.default.fileExists(atPath: installed.libraryPath)
        {
            return (installed, true)
        }
        output("Building \(request.products.joined(separator: ", ")) with SwiftPM in \(directory) …\n")
        let started = Date()
        let identity = libraryPackageIdentity(in: request.localPaths)
        do {
            try writePackage(for: request, key: key, libraryIdentity: identity, in: directory)
        } catch {
            throw PackageInstallationError("cannot write the package in \(directory): \(error)")
        }
        let (status, lines) = runSwiftBuild(in: directory, libraryIdentity: identity, output: output)
        if lock.withLock({ cancelled }) {
            throw PackageInstallationError("the installation was interrupted; nothing was installed")
        }
        guard status == 0 else {
            throw PackageInstallationError(
                Self.failureSummary(of: request, output: lines), details: Self.errorLines(in: lines))
        }
        let release = URL(fileURLWithPath: directory + "/.build/release").resolvingSymlinksInPath().path
        let name = "Installed_\(key)"
        var flags = [
            "-I", release + "/Modules", "-L", release, "-l\(name)",
            "-Xlinker", "-rpath", "-Xlinker", release,
        ]
        // The module maps of the package's C targets (a cell importing a Swift module that
        // imports one needs them), without those of GNPE itself, which cells already have.
        let moduleMaps = EngineConfiguration.moduleMapFlags(buildDirectory: release, target: name)
        var index = 0
        while index + 1 < moduleMaps.count {
            let pair = [moduleMaps[index], moduleMaps[index + 1]]
            if !Self.containsPair(libraryFlags, pair) && !Self.containsPair(flags, pair) { flags += pair }
            index += 2
        }
        let installed = InstalledPackage(
            key: key, products: request.products, libraryPath: "\(release)/lib\(name).so", compilerFlags: flags,
            sourceFingerprint: fingerprint)
        // Written last and atomically: its presence means a finished build.
        if let data = try? JSONEncoder().encode(installed) {
            try? data.write(to: URL(fileURLWithPath: record), options: .atomic)
        }
        output("Built in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.\n")
        return (installed, false)
    }

    /// Stops a running `swift build` (an interrupt); ``install(_:output:)`` then throws.
    public func cancel() {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        running?.terminate()
    }

    private static func containsPair(_ flags: [String], _ pair: [String]) -> Bool {
        var index = 0
        while index + 1 < flags.count {
            if flags[index] == pair[0] && flags[index + 1] == pair[1] { return true }
            index += 1
        }
        return false
    }

    // MARK: - Identities

    /// The toolchain: path, size and modification time of the compiler driver and of
    /// `swift-frontend` beside it (reading them takes microseconds; `swiftc --version` took
    /// 0.27 s on a loaded machine, which a cache hit should not pay).
    private func toolchainIdentity() -> String {
        if let toolchain = lock.withLock({ toolchain }) { return toolchain }
        let driver = URL(fileURLWithPath: compiler).resolvingSymlinksInPath()
        let frontend = driver.deletingLastPathComponent().appendingPathComponent("swift-frontend").path
        let identity = Self.fileIdentity([driver.path, frontend])
        lock.withLock { toolchain = identity }
        return identity
    }

    /// Path, size and modification time of each file, one per line.
    private static func fileIdentity(_ paths: [String]) -> String {
        paths.map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path) \(size) \(time)"
        }.joined(separator: "\n")
    }

    /// The GNPE build the worker loads: the library's and the module's paths, sizes and times.
    private func libraryIdentity() -> String {
        Self.fileIdentity([libraryPath, modulesDirectory + "/GNPE.swiftmodule"])
    }

    /// A hash of the names, sizes and modification times of the files in `folders` (hidden
    /// files and `.build` left out): it changes when a local package is edited.
    static func fingerprint(of folders: [String]) -> String {
        var entries: [String] = []
        for folder in folders {
            let root = URL(fileURLWithPath: folder)
            guard
                let walker = FileManager.default.enumerator(
                    at: root,
                    includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey],
                    options: [.skipsHiddenFiles])
            else { continue }
            for case let url as URL in walker {
                if url.lastPathComponent == ".build" {
                    walker.skipDescendants()
                    continue
                }
                let values = try? url.resourceValues(forKeys: [
                    .fileSizeKey, .contentModificationDateKey, .isRegularFileKey,
                ])
                guard values?.isRegularFile == true else { continue }
                let time = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
                entries.append("\(url.path) \(values?.fileSize ?? 0) \(time)")
            }
        }
        let text = entries.sorted().joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Running SwiftPM

    private func runSwiftBuild(
        in directory: String, libraryIdentity: String, output: @escaping @Sendable (String) -> Void
    )
        -> (Int32, [String])
    {
        var arguments = [
            "build", "-c", "release", "--package-path", directory,
            "-Xswiftc", "-I", "-Xswiftc", modulesDirectory,
        ]
        arguments += libraryFlags.flatMap { ["-Xswiftc", $0] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swift)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let collected = LineCollector(identity: libraryIdentity, output: output)
        do {
            lock.lock()
            if cancelled {
                lock.unlock()
                return (-1, [])
            }
            try process.run()
            running = process
            lock.unlock()
        } catch {
            lock.unlock()
            return (-1, ["error: cannot run \(swift): \(error)"])
        }
        let handle = pipe.fileHandleForReading
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            collected.append(data)
        }
        process.waitUntilExit()
        collected.finish()
        lock.withLock { running = nil }
        return (process.terminationStatus, collected.lines)
    }

    /// Runs a command and returns its status and output.
    static func capture(_ executable: String, _ arguments: [String], in directory: String? = nil) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// What went wrong, in one line: a repository that could not be fetched (SwiftPM's own
    /// message about it names a git command), or a failed build.
    static func failureSummary(of request: PackageRequest, output lines: [String]) -> String {
        let fetched = lines.compactMap { line -> String? in
            line.hasPrefix("Fetching ") ? String(line.dropFirst("Fetching ".count)) : nil
        }
        let compiled = lines.contains { $0.contains("Compiling") }
        if let location = fetched.last, !compiled {
            let fetchedAll = lines.contains { $0.hasPrefix("Fetched ") && $0.contains(location) }
            if !fetchedAll {
                return "cannot fetch \(location): no network, or no such repository (SwiftPM's message below)"
            }
        }
        return "`swift build` failed for \(request.dependency)"
    }

    /// SwiftPM's error lines (and the `fatal:` lines of a failed fetch), shortened: at most 20
    /// lines of at most 400 characters, without the source excerpts under each diagnostic; the
    /// last lines when there is no error line.
    static func errorLines(in lines: [String]) -> [String] {
        var picked = lines.filter { line in
            let first = line.drop { $0 == " " }.first
            let excerpt = first == "|" || (first?.isNumber == true && line.contains(" | "))
            return !excerpt && (line.contains("error:") || line.contains("fatal:"))
        }
        if picked.isEmpty { picked = Array(lines.suffix(10)) }
        var unique: [String] = []
        for line in picked where !unique.contains(line) { unique.append(line) }
        return unique.prefix(20).map { $0.count > 400 ? String($0.prefix(400)) + " …" : $0 }
    }
}

/// Splits SwiftPM's output into lines, forwards them, and keeps them for the error summary.
private final class LineCollector: @unchecked Sendable {
    private var buffer: [UInt8] = []
    private(set) var lines: [String] = []
    private let identity: String
    private let output: @Sendable (String) -> Void

    init(identity: String, output: @escaping @Sendable (String) -> Void) {
        self.identity = identity
        self.output = output
    }

    func append(_ data: Data) {
        buffer += data
        while let newline = buffer.firstIndex(of: 0x0A) {
            emit(String(decoding: buffer[..<newline], as: UTF8.self))
            buffer.removeSubrange(...newline)
        }
    }

    func finish() {
        if !buffer.isEmpty { emit(String(decoding: buffer, as: UTF8.self)) }
        buffer = []
    }

    private func emit(_ line: String) {
        lines.append(line)
        // The stub taking the place of the package's GNPE dependency is intended; SwiftPM's
        // warning about the two locations of one identity would only confuse.
        if line.contains("Conflicting identity for \(identity)") || line.contains("Conflicting identity for gnpe") {
            return
        }
        output(line + "\n")
    }
}
