import Flows
import Foundation
import TensorCore
import Testing

@testable import Inference

@Suite struct SimulationShardTests {
    /// A one-θ simulator with noise from its stream and a Gaussian noise model; θ near the top
    /// of a's prior gives NaN (dropped rows must stay dropped in the shards).
    static func oneThetaModel(shift: Double = 0) throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Parameter("b", Normal(0, 1))
            Simulator(outputLength: 4) { θ, rng in
                θ[0] > 0.98
                    ? [.nan, 0, 0, 0] : (0..<4).map { θ[0] * Double($0) + θ[1] + shift + 0.1 * rng.nextNormal() }
            }
            NoiseModel.gaussian(sigma: 0.3)
        }
    }

    /// A batch simulator (streams per chunk of 64 rows).
    static func batchModel() throws -> SimulationModel {
        try SimulationModel {
            Parameter("mu", Normal(0, 1))
            Simulator.batched(outputLength: 3) { θ, rng in
                var x = SampleMatrix(rows: θ.rows, columns: 3)
                for i in 0..<θ.rows { for j in 0..<3 { x[i, j] = θ[i, 0] + Double(j) + 0.01 * rng.nextNormal() } }
                return x
            }
            NoiseModel.gaussian(sigma: 0.1)
        }
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func writeShards(
        _ model: SimulationModel, count: Int, seed: UInt64, shards: Int, to directory: URL, only: [Int]? = nil,
        name: String = "test-model"
    ) throws {
        for i in only ?? Array(0..<shards) {
            try model.simulateShard(i, of: shards, count: count, seed: seed).write(
                to: directory, modelName: name, modelVersion: "1")
        }
    }

    static func bits(_ m: SampleMatrix) -> [UInt64] { m.storage.map(\.bitPattern) }

    @Test func shardRowsCoverTheRunInOrder() throws {
        for batched in [false, true] {
            for count in [0, 1, 63, 64, 65, 1001, 10_000] {
                for k in [1, 2, 3, 7, 8, 200] {
                    var next = 0
                    for i in 0..<k {
                        let rows = try SimulationShard.rows(ofShard: i, of: k, count: count, batched: batched)
                        #expect(rows.lowerBound == next, "count \(count), shard \(i) of \(k)")
                        if batched { #expect(rows.lowerBound % 64 == 0 || rows.lowerBound == count) }
                        next = rows.upperBound
                    }
                    #expect(next == count, "count \(count), \(k) shards, batched \(batched)")
                }
            }
        }
        // Even split of single rows: 10 rows in 3 shards are 3, 3, 4.
        #expect(
            try (0..<3).map { try SimulationShard.rows(ofShard: $0, of: 3, count: 10, batched: false).count } == [
                3, 3, 4,
            ])
        #expect(throws: SimulationShardError.self) {
            try SimulationShard.rows(ofShard: 3, of: 3, count: 10, batched: false)
        }
        #expect(throws: SimulationShardError.self) {
            try SimulationShard.rows(ofShard: -1, of: 3, count: 10, batched: false)
        }
        #expect(throws: SimulationShardError.self) {
            try SimulationShard.rows(ofShard: 0, of: 0, count: 10, batched: false)
        }
        #expect(throws: SimulationShardError.self) {
            try SimulationShard.rows(ofShard: 0, of: 1, count: -5, batched: false)
        }
        // Extreme sizes do not overflow.
        let last = try SimulationShard.rows(ofShard: Int.max - 1, of: Int.max, count: Int.max - 3, batched: false)
        #expect(last.upperBound == Int.max - 3)
    }

    /// k = 1, 3, 8 shards (1001 simulations: no k divides it), read back through
    /// `appendSimulations(from:)`, equal one run of `appendSimulations(count:seed:)` bit for bit,
    /// dropped rows included; also for a batch simulator, and with more shards than chunks.
    @Test(arguments: [(false, 1), (false, 3), (false, 8), (true, 1), (true, 3), (true, 8), (true, 20)])
    func shardsConcatenateToTheWholeRun(batched: Bool, shards: Int) throws {
        let model = try batched ? Self.batchModel() : Self.oneThetaModel()
        let count = 1001
        let seed: UInt64 = 42
        let whole = NPE(model: model)
        try whole.appendSimulations(count: count, seed: seed)
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeShards(model, count: count, seed: seed, shards: shards, to: directory)
        let sharded = NPE(model: model)
        let appended = try sharded.appendSimulations(from: directory)
        #expect(appended == whole.simulationCount)
        #expect(Self.bits(sharded.parameters) == Self.bits(whole.parameters))
        #expect(Self.bits(sharded.data) == Self.bits(whole.data))
        if !batched { #expect(whole.discardedSimulationCount > 0, "the test model should drop some rows") }
        let set = try SimulationShardSet(directory: directory, expecting: nil)
        #expect(set.manifests.count == shards && set.droppedCount == whole.discardedSimulationCount)
        #expect(set.manifests.map(\.shardIndex) == Array(0..<shards))
    }

    /// The checks every refusal shares: the error's case and the file it names, and nothing appended.
    func expectRefusal(
        _ directory: URL, model: SimulationModel, naming file: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: (SimulationShardError) -> Bool
    ) {
        let npe = NPE(model: model)
        do {
            try npe.appendSimulations(from: directory)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch let error as SimulationShardError {
            #expect(matches(error), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(file), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
        #expect(npe.simulationCount == 0, sourceLocation: sourceLocation)
    }

    @Test func missingDuplicateForeignMismatchedAndTruncatedShardsAreRefused() throws {
        let model = try Self.oneThetaModel()
        let fm = FileManager.default

        // Missing.
        let missing = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: missing) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: missing, only: [0, 2])
        expectRefusal(missing, model: model, naming: "shard-0001-of-0003.json") {
            if case .missingShards(1, 3, let files) = $0 {
                return files == ["shard-0001-of-0003.json"]
            } else {
                return false
            }
        }

        // Duplicate (a copy of a manifest under another name).
        let duplicate = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: duplicate) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: duplicate)
        try fm.copyItem(
            at: duplicate.appendingPathComponent("shard-0001-of-0003.json"),
            to: duplicate.appendingPathComponent("shard-0001-of-0003 copy.json"))
        expectRefusal(duplicate, model: model, naming: "shard-0001-of-0003 copy.json") {
            if case .duplicateShard(1, _) = $0 { return true } else { return false }
        }

        // Foreign: the same parameters and output length, another simulator.
        let foreign = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: foreign) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: foreign, only: [0, 1])
        try Self.writeShards(Self.oneThetaModel(shift: 1e-9), count: 300, seed: 1, shards: 3, to: foreign, only: [2])
        expectRefusal(foreign, model: model, naming: "shard-0002-of-0003.json") {
            if case .foreignShard = $0 { return true } else { return false }
        }
        // … and a model with other parameters.
        expectRefusal(foreign, model: try Self.batchModel(), naming: "shard-0000-of-0003.json") {
            if case .foreignShard(_, let reason) = $0 { return reason.contains("parameters") } else { return false }
        }

        // Shards of different runs: another seed, another count.
        let seeds = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: seeds) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: seeds, only: [0, 1])
        try Self.writeShards(model, count: 300, seed: 2, shards: 3, to: seeds, only: [2])
        expectRefusal(seeds, model: model, naming: "shard-0002-of-0003.json") {
            if case .mismatchedShards(_, let reason) = $0 {
                return reason.contains("seed 1 vs 2")
            } else {
                return false
            }
        }
        let counts = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: counts) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: counts, only: [0, 1])
        try Self.writeShards(model, count: 301, seed: 1, shards: 3, to: counts, only: [2])
        expectRefusal(counts, model: model, naming: "shard-0002-of-0003.json") {
            if case .mismatchedShards(_, let reason) = $0 {
                return reason.contains("count 300 vs 301")
            } else {
                return false
            }
        }
        // Different shard counts, and another model name.
        let shardCounts = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: shardCounts) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: shardCounts)
        try Self.writeShards(model, count: 300, seed: 1, shards: 4, to: shardCounts, only: [3])
        expectRefusal(shardCounts, model: model, naming: "shard-0003-of-0004.json") {
            if case .mismatchedShards(_, let reason) = $0 {
                return reason.contains("3 shards vs 4")
            } else {
                return false
            }
        }
        let names = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: names) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 2, to: names, only: [0])
        try Self.writeShards(model, count: 300, seed: 1, shards: 2, to: names, only: [1], name: "other-model")
        expectRefusal(names, model: model, naming: "shard-0001-of-0002.json") {
            if case .mismatchedShards = $0 { return true } else { return false }
        }

        // Truncated and changed data files.
        let truncated = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: truncated) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 3, to: truncated)
        let x2 = truncated.appendingPathComponent("shard-0002-of-0003.x.npy")
        let bytes = try Data(contentsOf: x2)
        try bytes.prefix(bytes.count - 100).write(to: x2)
        expectRefusal(truncated, model: model, naming: "shard-0002-of-0003.x.npy") {
            if case .damagedShard(_, let reason) = $0 { return reason.contains("truncated") } else { return false }
        }
        var changed = bytes
        changed[changed.count - 1] ^= 0x01
        try changed.write(to: x2)
        expectRefusal(truncated, model: model, naming: "shard-0002-of-0003.x.npy") {
            if case .damagedShard(_, let reason) = $0 { return reason.contains("CRC-32") } else { return false }
        }
        // A missing data file, an unreadable manifest, an empty directory.
        try fm.removeItem(at: x2)
        expectRefusal(truncated, model: model, naming: "shard-0002-of-0003.x.npy") {
            if case .damagedShard = $0 { return true } else { return false }
        }
        try Data("{not json".utf8).write(to: truncated.appendingPathComponent("shard-0001-of-0003.json"))
        expectRefusal(truncated, model: model, naming: "shard-0001-of-0003.json") {
            if case .damagedShard = $0 { return true } else { return false }
        }
        let empty = Self.temporaryDirectory()
        defer { try? fm.removeItem(at: empty) }
        expectRefusal(empty, model: model, naming: empty.lastPathComponent) {
            if case .noShards = $0 { return true } else { return false }
        }
    }

    /// Absurd numbers in a damaged manifest (a shard count of 10¹⁵, a row count of Int.max) are
    /// refused with a message, not a trap or a huge allocation.
    @Test func absurdManifestNumbersAreRefused() throws {
        let model = try Self.oneThetaModel()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeShards(model, count: 300, seed: 1, shards: 2, to: directory)
        let url = directory.appendingPathComponent("shard-0000-of-0002.json")
        let original = try Data(contentsOf: url)
        func rewrite(_ change: (inout SimulationShardManifest) -> Void) throws {
            var manifest = try JSONDecoder().decode(SimulationShardManifest.self, from: original)
            change(&manifest)
            try JSONEncoder().encode(manifest).write(to: url)
        }
        try rewrite { $0.shardCount = 1_000_000_000_000_000 }
        expectRefusal(directory, model: model, naming: "shard-0000-of-0002.json") {
            if case .mismatchedShards = $0 { return true } else { return false }
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("shard-0001-of-0002.json"))
        expectRefusal(directory, model: model, naming: "shard-0000-of-0002.json") {
            if case .damagedShard = $0 { return true } else { return false }
        }
        try rewrite {
            $0.shardCount = 1
            $0.count = 150
            $0.rows = [0, 150]
            $0.parameters.shape = [Int.max, 2]
            $0.droppedRows = [1]
        }
        expectRefusal(directory, model: model, naming: "shard-0000-of-0002.json") {
            if case .damagedShard = $0 { return true } else { return false }
        }
    }

    /// x is written as float32 (the store's type); float64 files are read too.
    @Test func float64DataFilesAreRead() throws {
        let model = try Self.batchModel()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shard = try model.simulateShard(0, of: 1, count: 100, seed: 3)
        let manifestURL = try shard.write(to: directory, modelName: "m", modelVersion: "1")
        var manifest = try JSONDecoder().decode(SimulationShardManifest.self, from: Data(contentsOf: manifestURL))
        #expect(manifest.data.dtype == "<f4" && manifest.parameters.dtype == "<f8")
        let bytes = NumPyArray(shard.data).npyData(as: .float64)
        try bytes.write(to: directory.appendingPathComponent(manifest.data.name))
        manifest.data.dtype = "<f8"
        manifest.data.bytes = bytes.count
        manifest.data.crc32 = SimulationShardManifest.checksum(bytes)
        try JSONEncoder().encode(manifest).write(to: manifestURL)
        let npe = NPE(model: model)
        #expect(try npe.appendSimulations(from: directory) == 100)
        #expect(Self.bits(npe.data) == Self.bits(shard.data))
        #expect(Self.bits(npe.parameters) == Self.bits(shard.parameters))
    }

    /// An estimator built from a prior only checks the parameters and the output length.
    @Test func anEstimatorWithoutModelChecksParametersAndLength() throws {
        let model = try Self.oneThetaModel()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeShards(model, count: 200, seed: 5, shards: 2, to: directory)
        let npe = try NPE(prior: model.prior, observationLength: 4)
        #expect(try npe.appendSimulations(from: directory) > 190)
        let wrong = try NPE(prior: model.prior, observationLength: 5)
        #expect(throws: SimulationShardError.self) { try wrong.appendSimulations(from: directory) }
    }

    /// A GNPE estimator trained from 3 shards equals one trained on a single-process run with
    /// the same seed: the same loss history and the same posterior samples.
    @Test func gnpeTrainedFromShardsEqualsASingleProcessRun() throws {
        let model = try GNPETests.locationModel(exact: true)
        func estimator() throws -> GNPEEstimator {
            let gnpe = try GNPEEstimator(model: model)
            gnpe.architecture = FlowArchitecture(
                kind: .maskedAutoregressive, parameterFeatures: 2, embedding: .identity(features: 10),
                transformCount: 2,
                hiddenFeatures: 16)
            gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, maximumEpochs: 3, seed: 4)
            return gnpe
        }
        let single = try estimator()
        try single.appendSimulations(count: 600, seed: 7)
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeShards(model, count: 600, seed: 7, shards: 3, to: directory)
        let sharded = try estimator()
        try sharded.appendSimulations(from: directory)
        let a = try single.train()
        let b = try sharded.train()
        #expect(a.trainingLoss.map(\.bitPattern) == b.trainingLoss.map(\.bitPattern))
        #expect(a.validationLoss.map(\.bitPattern) == b.validationLoss.map(\.bitPattern))
        let x = GNPETests.location.ramp.map { 1.5 + 0.2 * $0 }
        let sa = try single.posterior.sample(count: 50, given: x, seed: 11)
        let sb = try sharded.posterior.sample(count: 50, given: x, seed: 11)
        #expect(Self.bits(sa) == Self.bits(sb))
    }
}
