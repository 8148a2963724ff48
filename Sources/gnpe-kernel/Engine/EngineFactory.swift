import KernelRuntime

/// Creates the engine that `gnpe-kernel run` uses by default.
enum EngineFactory {
    /// The Swift cell engine, configured from the build folder of this binary
    /// (`libGNPE.so`, `Modules/` and `gnpe-worker` next to it; see
    /// `EngineConfiguration.besideExecutable()` for the environment overrides).
    /// - Throws: `EngineConfigurationError` naming a missing piece, or the engine's start error.
    static func makeDefault() throws -> ExecutionEngine {
        try SwiftCellEngine(configuration: EngineConfiguration.besideExecutable())
    }
}
