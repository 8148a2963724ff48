import _FuzzSupport

/// libFuzzer's entry point, under the name libFuzzer's own objects refer to: calls `fuzzWireDecoder(_:_:)`.
/// (Defined here, next to its only use as a C function pointer: a debug build emits the C symbol
/// once per file that uses it.)
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzWireDecoder(start, count) }

/// Runs `fuzzerTestOneInput` under libFuzzer, or replays files (see `FuzzDriver`).
@main enum FuzzMain {
    static func main() { FuzzDriver.run(fuzzerTestOneInput) }
}
