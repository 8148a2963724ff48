import Foundation
#if FUZZING
import CLibFuzzer
#endif

/// Runs a fuzz target's entry point: under libFuzzer in a `-DFUZZING` build, over files otherwise.
///
/// SwiftPM links every executable's `main` to the module's own entry point (so that tests can
/// link executables), which leaves no room for the `main` libFuzzer brings with
/// `-sanitize=fuzzer`. Each fuzz target therefore has a small `@main` that calls ``run(_:)``:
/// with `FUZZING` defined it hands the command line to libFuzzer's `LLVMFuzzerRunDriver` (all
/// libFuzzer options work: `-runs=N`, `-max_total_time=S`, corpus directories); without it the
/// arguments are files or directories whose files are replayed through the entry point once
/// each, which reproduces a crash file in an ordinary debug build.
public enum FuzzDriver {
    /// A fuzz entry point: `LLVMFuzzerTestOneInput(data, size)`, returning 0.
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs `entry` as described above and exits with libFuzzer's status (or 0 after a replay).
    /// - Parameter entry: The target's `LLVMFuzzerTestOneInput`.
    /// - Returns: Never; exits the process.
    public static func run(_ entry: Entry) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
        #else
        let files = CommandLine.arguments.dropFirst().flatMap(Self.files(at:))
        if files.isEmpty {
            print("usage: \(CommandLine.arguments[0]) FILE-OR-DIRECTORY… (replays each file; build with scripts/fuzz to fuzz)")
            exit(2)
        }
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                print("cannot read \(file)")
                exit(1)
            }
            _ = [UInt8](bytes).withUnsafeBufferPointer { entry($0.baseAddress, $0.count) }
        }
        print("replayed \(files.count) inputs without a crash")
        exit(0)
        #endif
    }

    /// The regular files at `path`: the file itself, or a directory's files (sorted, not recursive).
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { !Self.isDirectory($0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
