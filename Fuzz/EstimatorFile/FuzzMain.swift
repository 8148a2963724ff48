import _FuzzSupport

/// Runs ``fuzzEstimatorFile(_:_:)`` under libFuzzer, or replays files (see `FuzzDriver`).
@main enum FuzzMain {
    static func main() { FuzzDriver.run(fuzzEstimatorFile) }
}
