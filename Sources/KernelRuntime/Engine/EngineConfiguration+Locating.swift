import Foundation

extension EngineConfiguration {
    /// The configuration for a kernel run from a SwiftPM build folder (`.build/release/`):
    /// `libGNPE.so`, `Modules/` and `gnpe-worker` next to the running executable.
    ///
    /// Environment variables override each piece: `GNPE_LIBRARY_PATH` (libGNPE.so),
    /// `GNPE_MODULES_DIR`, `GNPE_WORKER_PATH`, `GNPE_SWIFTC`, `GNPE_CELL_FLAGS` (extra compiler
    /// flags separated by spaces), `GNPE_BUILD_DIR` (the folder to look in instead of the
    /// executable's); `GNPE_IMPORT_ALL_CELLS=1` makes every cell import every earlier cell; `GNPE_SWIFT` is the `swift` driver
    /// `%install` runs (default: beside swiftc) and `GNPE_PACKAGE_CACHE` where it keeps its builds. The C module maps the library's modules import are read from SwiftPM's
    /// build description (`.build/<configuration>.yaml`).
    ///
    /// - Returns: The configuration.
    /// - Throws: ``EngineConfigurationError`` naming what is missing and where it was looked for.
    public static func besideExecutable() throws -> EngineConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let directory = environment["GNPE_BUILD_DIR"]
            ?? URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        return try inBuildDirectory(directory)
    }

    /// The configuration for the SwiftPM build folder `directory` (e.g. `.build/debug`), with the
    /// same environment overrides as ``besideExecutable()``.
    /// - Parameter directory: The build folder holding `libGNPE.so`, `Modules/` and `gnpe-worker`.
    /// - Returns: The configuration.
    /// - Throws: ``EngineConfigurationError`` naming what is missing.
    public static func inBuildDirectory(_ directory: String) throws -> EngineConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let files = FileManager.default
        let directory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let library = environment["GNPE_LIBRARY_PATH"] ?? "\(directory)/libGNPE.so"
        let modules = environment["GNPE_MODULES_DIR"] ?? "\(directory)/Modules"
        let worker = environment["GNPE_WORKER_PATH"] ?? "\(directory)/gnpe-worker"
        var missing: [String] = []
        if !files.fileExists(atPath: library) {
            missing.append("libGNPE.so (looked for \(library); build it with `swift build --product GNPE`, or set GNPE_LIBRARY_PATH)")
        }
        if !files.fileExists(atPath: "\(modules)/GNPE.swiftmodule") {
            missing.append("GNPE.swiftmodule (looked in \(modules); set GNPE_MODULES_DIR)")
        }
        if !files.isExecutableFile(atPath: worker) {
            missing.append("the gnpe-worker executable (looked for \(worker); build it with `swift build --product gnpe-worker`, or set GNPE_WORKER_PATH)")
        }
        guard let compiler = environment["GNPE_SWIFTC"] ?? findInPath("swiftc") else {
            missing.append("swiftc (not on PATH; set GNPE_SWIFTC)")
            throw EngineConfigurationError(description: "The Swift cell engine cannot start; missing: " + missing.joined(separator: "; "))
        }
        if !missing.isEmpty {
            throw EngineConfigurationError(description: "The Swift cell engine cannot start; missing: " + missing.joined(separator: "; "))
        }
        var flags = moduleMapFlags(buildDirectory: directory)
        if flags.isEmpty { flags = scannedModuleMapFlags(buildDirectory: directory) }
        if let extra = environment["GNPE_CELL_FLAGS"] {
            flags += extra.split(separator: " ").map(String.init)
        }
        var configuration = EngineConfiguration(
            compiler: compiler, libraryPath: library, modulesDirectory: modules, workerPath: worker,
            extraCompilerFlags: flags, importsAllCells: environment["GNPE_IMPORT_ALL_CELLS"] == "1")
        configuration.swiftDriver = environment["GNPE_SWIFT"]
        // `.build/<triple>/release` → the package folder holding Package.swift.
        var root = URL(fileURLWithPath: directory)
        for _ in 0..<4 {
            root = root.deletingLastPathComponent()
            if files.fileExists(atPath: root.path + "/Package.swift") {
                configuration.librarySourceRoot = root.path
                break
            }
        }
        return configuration
    }

    /// The `-Xcc …` flags SwiftPM passed when compiling the module `target` (module maps of the
    /// C modules its dependencies import), read from `.build/<configuration>.yaml`.
    static func moduleMapFlags(buildDirectory: String, target: String = "GNPE") -> [String] {
        let url = URL(fileURLWithPath: buildDirectory)
        let configuration = url.lastPathComponent  // debug / release
        let description = url.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("\(configuration).yaml")
        guard let text = try? String(contentsOf: description, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("\"C.\(target)-") && $0.contains("-\(configuration).module\":") })
        else { return [] }
        for line in lines[start...].prefix(40) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("args:") else { continue }
            guard let data = trimmed.dropFirst(5).data(using: .utf8),
                let arguments = try? JSONSerialization.jsonObject(with: data) as? [String]
            else { return [] }
            var flags: [String] = []
            var index = 0
            while index < arguments.count - 1 {
                if arguments[index] == "-Xcc" {
                    flags += ["-Xcc", arguments[index + 1]]
                    index += 2
                } else {
                    index += 1
                }
            }
            return flags
        }
        return []
    }

    /// Without SwiftPM's build description: every `module.modulemap` of the package's C targets
    /// (`Sources/*/`) and of its dependencies' C targets (`.build/checkouts/*/Sources/*/include/`).
    static func scannedModuleMapFlags(buildDirectory: String) -> [String] {
        let files = FileManager.default
        let buildRoot = URL(fileURLWithPath: buildDirectory).deletingLastPathComponent().deletingLastPathComponent()
        let packageRoot = buildRoot.deletingLastPathComponent()
        var maps: [String] = []
        for target in (try? files.contentsOfDirectory(atPath: packageRoot.path + "/Sources")) ?? [] {
            let map = "\(packageRoot.path)/Sources/\(target)/module.modulemap"
            if files.fileExists(atPath: map) { maps.append(map) }
        }
        let checkouts = buildRoot.path + "/checkouts"
        for package in (try? files.contentsOfDirectory(atPath: checkouts)) ?? [] {
            for target in (try? files.contentsOfDirectory(atPath: "\(checkouts)/\(package)/Sources")) ?? [] {
                let include = "\(checkouts)/\(package)/Sources/\(target)/include"
                if files.fileExists(atPath: include + "/module.modulemap") {
                    maps.append(include + "/module.modulemap")
                }
            }
        }
        return maps.sorted().flatMap { map -> [String] in
            let folder = URL(fileURLWithPath: map).deletingLastPathComponent().path
            return ["-Xcc", "-fmodule-map-file=\(map)", "-Xcc", "-I", "-Xcc", folder]
        }
    }

    private static func findInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
