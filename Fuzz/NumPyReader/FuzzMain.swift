import _FuzzSupport

/// Runs ``fuzzNumPyReader(_:_:)`` under libFuzzer, or replays files (see `FuzzDriver`).
@main enum FuzzMain {
    static func main() { FuzzDriver.run(fuzzNumPyReader) }
}
