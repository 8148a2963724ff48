import KernelRuntime

/// Creates the engine that `gnpe-kernel run` uses by default.
enum EngineFactory {
    /// The real cell engine once it exists; until then the fake engine, with a warning.
    static func makeDefault() throws -> ExecutionEngine {
        Log.write("the Swift cell engine is not available in this build; using the fake engine")
        return FakeEngine()
    }
}
