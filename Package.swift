// swift-tools-version: 6.0
//
// GNPE: a Jupyter kernel for Swift and a library for (group equivariant) neural posterior
// estimation. See README.md and ../shared/DESIGN.md for the architecture.

import PackageDescription

/// Settings shared by every target of this package.
///
/// The library and the cells compile in the Swift 5 language mode (cells need mutable globals,
/// which Swift 6 mode rejects). `-enable-testing` is on in release builds as well, so that the
/// test suite runs against the same optimised build the kernel uses (one build, not two).
let swiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-enable-testing"]),
]

let package = Package(
    name: "GNPE",
    platforms: [.macOS(.v14)],
    products: [
        // The notebook-facing library. Dynamic: cells and the worker share one copy of it.
        .library(name: "GNPE", type: .dynamic, targets: ["GNPE"]),
        .executable(name: "gnpe-kernel", targets: ["gnpe-kernel"]),
        .executable(name: "gnpe-worker", targets: ["gnpe-worker"]),
        // libFuzzer targets (scripts/fuzz); see "Fuzzing" below.
        .executable(name: "fuzz-wire-decoder", targets: ["fuzz-wire-decoder"]),
        .executable(name: "fuzz-cell-splitter", targets: ["fuzz-cell-splitter"]),
        .executable(name: "fuzz-npy-reader", targets: ["fuzz-npy-reader"]),
        .executable(name: "fuzz-estimator-file", targets: ["fuzz-estimator-file"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "602.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: - C system libraries (module.modulemap + shim.h only)

        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f"),

        // MARK: - Numerical library

        .target(
            name: "TensorCore",
            dependencies: ["COpenBLAS", .product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: swiftSettings),
        .target(name: "Flows", dependencies: ["TensorCore"], swiftSettings: swiftSettings),
        .target(name: "Spectral", dependencies: ["CFFTW", "TensorCore"], swiftSettings: swiftSettings),
        .target(name: "Inference", dependencies: ["TensorCore", "Flows"], swiftSettings: swiftSettings),
        .target(name: "Plotting", swiftSettings: swiftSettings),
        .target(
            name: "GravitationalWaves",
            dependencies: [
                "Spectral", "Inference", "Flows", "TensorCore",
                .product(name: "Numerics", package: "swift-numerics"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "GNPE",
            dependencies: ["TensorCore", "Flows", "Spectral", "Inference", "Plotting", "GravitationalWaves"],
            swiftSettings: swiftSettings),

        // MARK: - Kernel

        .target(
            name: "JupyterProtocol",
            dependencies: ["CZeroMQ", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        .target(
            name: "CellCompiler",
            dependencies: [
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "KernelRuntime",
            dependencies: ["CellCompiler", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "gnpe-kernel",
            dependencies: [
                "JupyterProtocol", "KernelRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // Depends on no GNPE module on purpose: it dlopens libGNPE.so (see DESIGN.md).
        .executableTarget(name: "gnpe-worker", swiftSettings: swiftSettings),

        // MARK: - Benchmarks

        .executableTarget(
            name: "flows-benchmark", dependencies: ["Flows"], path: "benchmarks/flows-benchmark",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "corner-plot-benchmark", dependencies: ["Plotting"],
            path: "benchmarks/CornerPlotBenchmark", swiftSettings: swiftSettings),
        .executableTarget(
            name: "conv-benchmark", dependencies: ["Flows"], path: "benchmarks/conv-benchmark",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "simulation-benchmark", dependencies: ["Inference", "TensorCore"],
            path: "benchmarks/SimulationBenchmark", swiftSettings: swiftSettings),
        .executableTarget(
            name: "oscillator-study-benchmark", dependencies: ["Flows", "Inference"],
            path: "benchmarks/OscillatorStudy", swiftSettings: swiftSettings),
        .executableTarget(
            name: "scale-benchmark", dependencies: ["Flows", "Inference", "TensorCore"],
            path: "benchmarks/ScaleBenchmark", swiftSettings: swiftSettings),
        .executableTarget(
            name: "gw-waveforms-benchmark", dependencies: ["GravitationalWaves"],
            path: "benchmarks/GWWaveforms", swiftSettings: swiftSettings),
        .executableTarget(
            name: "gw-simulation-benchmark", dependencies: ["GravitationalWaves", "Inference", "Spectral", "TensorCore"],
            path: "benchmarks/GWSimulation", swiftSettings: swiftSettings),
        .executableTarget(
            name: "gw-benchmark", dependencies: ["GravitationalWaves", "Inference", "Flows", "TensorCore"],
            path: "benchmarks/GWBenchmark", swiftSettings: swiftSettings),

        // MARK: - Fuzzing

        // One libFuzzer target per parser, each depending only on the module it fuzzes (and the
        // tiny driver below). `scripts/fuzz` builds them with `-sanitize=fuzzer,address -DFUZZING`;
        // in any other build each is a replay tool: `fuzz-npy-reader crash-… corpus-dir/` runs
        // the same entry point over files, so a normal build still links them.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(name: "_FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/_FuzzSupport",
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-wire-decoder", dependencies: ["JupyterProtocol", "_FuzzSupport"],
            path: "Fuzz/WireDecoder", swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-cell-splitter", dependencies: ["CellCompiler", "_FuzzSupport"],
            path: "Fuzz/CellSplitter", swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-npy-reader", dependencies: ["Inference", "_FuzzSupport"],
            path: "Fuzz/NumPyReader", swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-estimator-file", dependencies: ["Inference", "_FuzzSupport"],
            path: "Fuzz/EstimatorFile", swiftSettings: swiftSettings),

        // MARK: - Tests

        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], swiftSettings: swiftSettings),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"], swiftSettings: swiftSettings),
        .testTarget(name: "SpectralTests", dependencies: ["Spectral"], swiftSettings: swiftSettings),
        .testTarget(name: "InferenceTests", dependencies: ["Inference"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PlottingTests", dependencies: ["Plotting"], resources: [.copy("Golden")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "GravitationalWavesTests",
            dependencies: ["GravitationalWaves", "Spectral", "Inference", "TensorCore"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "GNPETests", dependencies: ["GNPE"], swiftSettings: swiftSettings),
        .testTarget(name: "JupyterProtocolTests", dependencies: ["JupyterProtocol"], swiftSettings: swiftSettings),
        .testTarget(name: "CellCompilerTests", dependencies: ["CellCompiler"], swiftSettings: swiftSettings),
        .testTarget(name: "KernelRuntimeTests", dependencies: ["KernelRuntime"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v5]
)
