import ArgumentParser
import Foundation

/// `gnpe-kernel install`: writes the `swift-gnpe` kernelspec where Jupyter looks for kernels.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Jupyter kernelspec (kernel.json and logos).",
        discussion: """
            Writes <kernels dir>/<name>/kernel.json whose argv runs this binary \
            (`run --connection-file {connection_file}`), with interrupt_mode "message", and copies \
            the logos from the package's kernelspec/ folder. Without a location option the \
            kernelspec goes to the user's Jupyter data directory (as with --user).
            """)

    @Flag(help: "Install for the current user (the Jupyter data directory; the default).")
    var user = false

    @Option(help: ArgumentHelp("Install under <prefix>/share/jupyter/kernels.", valueName: "prefix"))
    var prefix: String?

    @Flag(help: "Install into the running Python environment (sys.prefix/share/jupyter/kernels).")
    var sysPrefix = false

    @Option(help: "The kernelspec's name.")
    var name = "swift-gnpe"

    @Option(help: "The display name front ends show.")
    var displayName = "Swift (GNPE)"

    @Flag(help: .hidden)
    var fakeEngine = false

    func validate() throws {
        let chosen = [user, prefix != nil, sysPrefix].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Choose at most one of --user, --prefix and --sys-prefix.") }
        if name.isEmpty || name.contains("/") {
            throw ValidationError("The kernelspec name '\(name)' must be non-empty and contain no '/'.")
        }
    }

    func run() throws {
        let kernels = try kernelsDirectory()
        let destination = URL(fileURLWithPath: kernels).appendingPathComponent(name)
        let spec = KernelSpec(
            executable: KernelSpec.currentExecutablePath(), displayName: displayName,
            fakeEngine: fakeEngine)
        try spec.write(to: destination, logosFrom: KernelSpec.logoDirectory())
        print("Installed kernelspec \(name) in \(destination.path)")
    }

    /// The `kernels` folder chosen by the options.
    private func kernelsDirectory() throws -> String {
        if let prefix { return (prefix as NSString).appendingPathComponent("share/jupyter/kernels") }
        if sysPrefix {
            let output = try KernelSpec.capture(["python3", "-c", "import sys; print(sys.prefix)"])
            return (output.trimmingCharacters(in: .whitespacesAndNewlines) as NSString)
                .appendingPathComponent("share/jupyter/kernels")
        }
        let environment = ProcessInfo.processInfo.environment
        if let dataDir = environment["JUPYTER_DATA_DIR"], !dataDir.isEmpty {
            return (dataDir as NSString).appendingPathComponent("kernels")
        }
        #if os(macOS)
            return NSHomeDirectory() + "/Library/Jupyter/kernels"
        #else
            let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? NSHomeDirectory() + "/.local/share"
            return base + "/jupyter/kernels"
        #endif
    }
}
