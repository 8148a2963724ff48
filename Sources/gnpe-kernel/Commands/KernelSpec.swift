import ArgumentParser
import Foundation

/// The kernelspec written by `gnpe-kernel install`: `kernel.json` plus the logos.
struct KernelSpec {
    /// Absolute path of the gnpe-kernel binary that front ends start.
    var executable: String
    /// The name front ends show.
    var displayName: String
    /// Whether the kernel runs the built-in fake engine (a hidden option for protocol tests).
    var fakeEngine = false

    /// The logo files copied next to `kernel.json`.
    static let logoFiles = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]

    /// The `kernel.json` object.
    var json: [String: Any] {
        var argv = [executable, "run", "--connection-file", "{connection_file}"]
        if fakeEngine { argv.append("--fake-engine") }
        return [
            "argv": argv, "display_name": displayName, "language": "swift",
            "interrupt_mode": "message",
            "metadata": ["debugger": false, "implementation": "gnpe-kernel"],
        ]
    }

    /// Writes `kernel.json` and the logos into `directory` (created if needed).
    /// - Parameters:
    ///   - directory: The kernelspec folder, `<kernels>/<name>`.
    ///   - logos: The folder holding the logo files, or nil to skip them.
    /// - Throws: File-system errors.
    func write(to directory: URL, logosFrom logos: URL?) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(
            withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: directory.appendingPathComponent("kernel.json"))
        guard let logos else {
            FileHandle.standardError.write(Data("gnpe-kernel: logos not found; kernelspec has none\n".utf8))
            return
        }
        for file in Self.logoFiles {
            let source = logos.appendingPathComponent(file)
            let target = directory.appendingPathComponent(file)
            guard manager.fileExists(atPath: source.path) else { continue }
            try? manager.removeItem(at: target)
            try manager.copyItem(at: source, to: target)
        }
    }

    /// The absolute, symlink-resolved path of the running binary.
    static func currentExecutablePath() -> String {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let path = link ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The package's `kernelspec/` folder: `GNPE_KERNELSPEC_DIR`, else found by walking up from
    /// the binary (`.build/release/gnpe-kernel` → package root), else nil.
    static func logoDirectory() -> URL? {
        if let explicit = ProcessInfo.processInfo.environment["GNPE_KERNELSPEC_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        var folder = URL(fileURLWithPath: currentExecutablePath()).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("kernelspec")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(logoFiles[0]).path) {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs a command found on `PATH` and returns its standard output.
    static func capture(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("'\(arguments.joined(separator: " "))' failed")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
