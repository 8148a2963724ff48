import Foundation
import KernelRuntime
import Testing

/// The worker must not contain GNPE's code: a second copy would give cells a second copy of
/// every global and type (DESIGN.md, "One copy of the library").
struct WorkerLinkageTests {
    func output(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func workerLinksNoGNPEModule() throws {
        let configuration = try EngineConfiguration.besideExecutable()
        let dynamic = try output("readelf", ["-d", configuration.workerPath])
        #expect(dynamic.contains("libswiftCore.so"), "readelf output: \(dynamic)")
        #expect(!dynamic.contains("libGNPE"))
        // No symbol of the library's modules (mangled module names `4GNPE`, `10TensorCore` …).
        let symbols = try output("nm", ["--defined-only", configuration.workerPath])
        #expect(!symbols.isEmpty)
        for module in ["4GNPE", "10TensorCore", "5Flows", "9Inference", "8Plotting", "8Spectral"] {
            #expect(!symbols.contains("$s\(module)"), "the worker defines symbols of \(module)")
        }
        // The library itself does define them (so the check above can fail).
        let librarySymbols = try output("nm", ["-D", "--defined-only", configuration.libraryPath])
        #expect(librarySymbols.contains("$s4GNPE"))
    }
}
