import Foundation
import Testing

@testable import KernelRuntime

struct EngineConfigurationTests {
    @Test func findsTheLibraryModulesWorkerAndModuleMaps() throws {
        let configuration = try EngineConfiguration.besideExecutable()
        #expect(configuration.libraryPath.hasSuffix("/libGNPE.so"))
        #expect(FileManager.default.fileExists(atPath: configuration.modulesDirectory + "/GNPE.swiftmodule"))
        #expect(configuration.workerPath.hasSuffix("/gnpe-worker"))
        // The C module maps the library's modules need, from SwiftPM's build description and
        // from the fallback scan of the package.
        let buildDirectory = URL(fileURLWithPath: configuration.libraryPath).deletingLastPathComponent().path
        let scanned = EngineConfiguration.scannedModuleMapFlags(buildDirectory: buildDirectory)
        for flags in [configuration.extraCompilerFlags, scanned] {
            #expect(flags.contains { $0.hasSuffix("_NumericsShims/include/module.modulemap") })
            #expect(flags.contains { $0.hasSuffix("COpenBLAS/module.modulemap") })
        }
    }

    @Test func namesWhatIsMissing() {
        #expect {
            try EngineConfiguration.inBuildDirectory("/nonexistent/build")
        } throws: { error in
            let text = "\(error)"
            return text.contains("libGNPE.so") && text.contains("GNPE.swiftmodule") && text.contains("gnpe-worker")
        }
    }
}
