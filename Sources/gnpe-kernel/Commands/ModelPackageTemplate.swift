import Foundation

/// The files of a model package made by `gnpe-kernel new-model` (``NewModelCommand``).
struct ModelPackageTemplate {
    /// The package and module name.
    var name: String
    /// The absolute path of the GNPE checkout the package depends on.
    var gnpePath: String

    /// The model's type in the library: `<name>Model` (not `<name>`, which would shadow the module).
    var typeName: String { name + "Model" }

    /// SwiftPM's identity of the GNPE package: the last component of its path, lowercased (what
    /// `.product(name:package:)` names for a path dependency).
    var gnpeIdentity: String { URL(fileURLWithPath: gnpePath).lastPathComponent.lowercased() }

    /// The GNPE checkout: `explicit`, else `GNPE_PACKAGE_DIR`, else the package whose build folder
    /// holds this binary (`<checkout>/.build/<configuration>/gnpe-kernel`), else the checkout this
    /// file was compiled from.
    /// - Parameter explicit: `--gnpe-path`, if given.
    /// - Returns: The checkout's absolute URL.
    /// - Throws: An error naming where it looked when no folder holds GNPE's Package.swift.
    static func gnpeCheckout(explicit: String?) throws -> URL {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let environment = ProcessInfo.processInfo.environment["GNPE_PACKAGE_DIR"], !environment.isEmpty {
            candidates.append(URL(fileURLWithPath: environment))
        }
        var folder = URL(fileURLWithPath: KernelSpec.currentExecutablePath()).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        // Sources/gnpe-kernel/Commands/ModelPackageTemplate.swift → the checkout.
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent())
        let checked = explicit != nil ? Array(candidates.prefix(1)) : candidates
        for candidate in checked {
            let manifest = candidate.appendingPathComponent("Package.swift")
            if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"GNPE\"") {
                return candidate.standardizedFileURL
            }
        }
        throw TemplateError(
            description: "no GNPE checkout found (a folder whose Package.swift declares the package GNPE); looked in "
                + checked.map(\.path).joined(separator: ", ") + "; pass --gnpe-path or set GNPE_PACKAGE_DIR")
    }

    /// An error while creating the package.
    struct TemplateError: Error, CustomStringConvertible {
        /// The message.
        var description: String
    }

    /// The files: path relative to the package folder, and contents.
    var files: [(String, String)] {
        [
            ("Package.swift", packageManifest),
            (".gitignore", ".build/\n.swiftpm/\nPackage.resolved\n"),
            ("README.md", readme),
            ("Sources/\(name)/\(name).swift", library),
            ("Sources/simulate/Simulate.swift", simulate),
            ("Sources/train/Train.swift", train),
            ("Tests/\(name)Tests/\(name)Tests.swift", tests),
        ]
    }

    var packageManifest: String {
        """
        // swift-tools-version: 6.0
        // Made by `gnpe-kernel new-model \(name)`.

        import PackageDescription

        let package = Package(
            name: "\(name)",
            platforms: [.macOS(.v14)],
            products: [
                .library(name: "\(name)", targets: ["\(name)"]),
                .executable(name: "simulate", targets: ["simulate"]),
                .executable(name: "train", targets: ["train"]),
            ],
            dependencies: [
                // The GNPE checkout the kernel that made this package was built from.
                .package(path: "\(gnpePath)"),
                .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
            ],
            targets: [
                .target(name: "\(name)", dependencies: [.product(name: "GNPE", package: "\(gnpeIdentity)")]),
                .executableTarget(
                    name: "simulate",
                    dependencies: [
                        "\(name)", .product(name: "GNPE", package: "\(gnpeIdentity)"),
                        .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    ]),
                .executableTarget(
                    name: "train",
                    dependencies: [
                        "\(name)", .product(name: "GNPE", package: "\(gnpeIdentity)"),
                        .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    ]),
                .testTarget(name: "\(name)Tests", dependencies: ["\(name)", .product(name: "GNPE", package: "\(gnpeIdentity)")]),
            ],
            swiftLanguageModes: [.v5]
        )

        """
    }

    var library: String {
        """
        import Foundation
        import GNPE

        /// The model of this package, declared with GNPE's model DSL.
        ///
        /// TO CHANGE: the parameters and their priors, the simulator (it returns `outputLength`
        /// values for one θ; draw its randomness from `rng` only, so that simulations are
        /// reproducible and shardable), the noise model — and bump `version` whenever the
        /// simulator's output changes: shards record the name, the version and a fingerprint of
        /// the model, and loading refuses shards of another model.
        public enum \(typeName) {
            /// The model's name, recorded in every shard.
            public static let name = "\(name)"
            /// The model's version, recorded in every shard.
            public static let version = "0.1.0"

            /// The observation times: 100 points in [0, 10).
            public static let times: [Double] = (0..<100).map { 0.1 * Double($0) }

            /// A damped oscillator x(t) = A·exp(−βt)·sin(ωt) + 𝒩(0, 0.1²) (the example to replace).
            /// - Returns: The model.
            /// - Throws: `ModelError` if a declaration is invalid.
            public static func model() throws -> SimulationModel {
                try SimulationModel {
                    Parameter("omega", Uniform(0.5, 3))
                    Parameter("beta", Uniform(0.05, 0.5))
                    Parameter("amplitude", Uniform(0.5, 2))
                    Simulator(outputLength: times.count) { θ, _ in
                        times.map { t in θ[2] * exp(-θ[1] * t) * sin(θ[0] * t) }
                    }
                    NoiseModel.gaussian(sigma: 0.1)
                }
            }
        }

        """
    }

    var simulate: String {
        """
        import ArgumentParser
        import Foundation
        import GNPE
        import \(name)

        /// Simulates shard `--shard` of `--shards` of the run (`--count`, `--seed`) and writes it
        /// to `--out` (two .npy files and a JSON manifest). The shards of a run, loaded with
        /// `appendSimulations(from:)`, equal one `appendSimulations(count:seed:)` bit for bit.
        @main
        struct Simulate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Simulate one shard of a simulation run of the \(name) model.")

            @Option(help: "The simulations of the whole run.")
            var count: Int
            @Option(help: "The run's seed.")
            var seed: UInt64
            @Option(help: "This shard's index, 0 ..< shards.")
            var shard: Int = 0
            @Option(help: "The number of shards of the run.")
            var shards: Int = 1
            @Option(help: "The directory the run's shards are written to.")
            var out: String

            func run() throws {
                let model = try \(typeName).model()
                let result = try model.simulateShard(shard, of: shards, count: count, seed: seed)
                let manifest = try result.write(
                    to: URL(fileURLWithPath: out), modelName: \(typeName).name, modelVersion: \(typeName).version)
                let rate = result.seconds > 0 ? Double(result.rows.count) / result.seconds : 0
                print("shard \\(shard) of \\(shards): rows \\(result.rows.lowerBound)..<\\(result.rows.upperBound), "
                    + "kept \\(result.parameters.rows), dropped \\(result.droppedRows.count), "
                    + "\\(String(format: "%.3f", result.seconds)) s (\\(Int(rate)) simulations/s) -> \\(manifest.path)")
            }
        }

        """
    }

    var train: String {
        """
        import ArgumentParser
        import Foundation
        import GNPE
        import \(name)

        /// Trains a small NPE on a run simulated in shards (`--from DIR`) or in this process
        /// (`--count`, `--seed`), then samples the posterior for an observation simulated at a fixed
        /// θ and writes the samples to `--samples-out`.
        @main
        struct Train: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Train a small NPE on the \(name) model's simulations and sample its posterior.")

            @Option(help: "A directory of shards written by simulate.")
            var from: String?
            @Option(help: "Simulate this many in this process instead.")
            var count: Int?
            @Option(help: "The seed of the in-process simulations.")
            var seed: UInt64 = 1
            @Option(help: "Training epochs.")
            var epochs: Int = 5
            @Option(help: "Posterior samples to draw.")
            var samples: Int = 200
            @Option(help: "Where to write the samples (.npy), if anywhere.")
            var samplesOut: String?

            func validate() throws {
                if (from == nil) == (count == nil) { throw ValidationError("Give either --from DIR or --count N.") }
            }

            func run() throws {
                let model = try \(typeName).model()
                let npe = NPE(model: model)
                npe.architecture.transformCount = 2
                npe.architecture.hiddenFeatures = 32
                npe.architecture.embedding = .identity(features: model.outputLength)
                npe.settings.maximumEpochs = epochs
                npe.settings.seed = 3
                if let from {
                    try npe.appendSimulations(from: URL(fileURLWithPath: from))
                } else if let count {
                    try npe.appendSimulations(count: count, seed: seed)
                }
                let history = try npe.train()
                var rng = RandomSource(seed: 2024)
                let truth = model.prior.sample(using: &rng)
                let observation = try model.simulate(truth, using: &rng)
                let theta = try npe.posterior.sample(count: samples, given: observation, seed: 7)
                if let samplesOut { try NumPyArray(theta).write(to: URL(fileURLWithPath: samplesOut)) }
                print("trained on \\(npe.simulationCount) simulations, \\(history.epochCount) epochs, "
                    + "last training loss \\(history.trainingLoss.last ?? .nan); true θ \\(truth), posterior mean \\(theta.columnMeans)")
            }
        }

        """
    }

    var tests: String {
        """
        import GNPE
        import Testing
        import \(name)

        @Test func theModelValidates() throws {
            let model = try \(typeName).model()
            #expect(model.parameterCount == model.parameterNames.count && model.parameterCount > 0)
            #expect(model.outputLength == \(typeName).times.count)
        }

        @Test func simulateReturnsTheOutputLength() throws {
            let model = try \(typeName).model()
            var rng = RandomSource(seed: 1)
            let theta = model.prior.sample(using: &rng)
            let x = try model.simulate(theta, using: &rng)
            let finite = x.allSatisfy { $0.isFinite }
            #expect(x.count == model.outputLength)
            #expect(finite)
        }

        @Test func shardsEqualOneRun() throws {
            let model = try \(typeName).model()
            let one = try model.simulateShard(0, of: 1, count: 100, seed: 1)
            let parts = try (0..<3).map { try model.simulateShard($0, of: 3, count: 100, seed: 1) }
            let joined = parts.flatMap { $0.data.storage }
            #expect(joined == one.data.storage)
        }

        """
    }

    var readme: String {
        """
        # \(name)

        A simulation model for GNPE, made by `gnpe-kernel new-model \(name)`. Edit
        `Sources/\(name)/\(name).swift` (the parameters, the simulator, the noise; bump `version`
        when the simulator's output changes).

        ```sh
        swift build -c release && swift test
        # shard i of k of a run of N simulations with seed S (run the k shards anywhere):
        .build/release/simulate --count 100000 --seed 1 --shard 0 --shards 8 --out sims
        # train a small NPE on the shards (or --count N --seed S to simulate in-process):
        .build/release/train --from sims --samples-out samples.npy
        ```

        In a notebook: `npe.appendSimulations(from: URL(fileURLWithPath: "sims"))` loads the shards
        (refusing missing, duplicated, truncated or foreign ones). GNPE's `scripts/ray-simulate`
        runs the shards as Ray tasks; `scripts/slurm-simulate.sbatch` as a Slurm job array.

        """
    }
}
