import KernelRuntime

/// Creates the engine that `gnpe-kernel run` uses by default.
enum EngineFactory {
    /// The Swift cell engine, configured from the build folder of this binary
    /// (`libGNPE.so`, `Modules/` and `gnpe-worker` next to it; see
    /// `EngineConfiguration.besideExecutable()` for the environment overrides).
    /// - Parameter sessionDirectory: The kernel's session directory (cells go to its `cells/`;
    ///   the worker gets it as `GNPE_SESSION_DIR`).
    /// - Throws: `EngineConfigurationError` naming a missing piece, or the engine's start error.
    static func makeDefault(sessionDirectory: String) throws -> ExecutionEngine {
        var configuration = try EngineConfiguration.besideExecutable()
        configuration.sessionDirectory = sessionDirectory
        return try SwiftCellEngine(configuration: configuration)
    }
}
