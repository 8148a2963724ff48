import Flows
import Foundation
import TensorCore
import Testing

@testable import Inference

/// Simulated x stored as Float32; old float64 checkpoints; DINGO's reduced-basis embedding built
/// by the estimators from their stored simulations.
@Suite struct SimulationStorageTests {
    @Test func dataAreStoredAsFloat32() throws {
        let model = try SimulationTests.noisyModel()
        var rng = RandomSource(seed: 3)
        let expected = try model.simulateFromPrior(count: 300, using: &rng)
        let npe = NPE(model: model)
        try npe.appendSimulations(count: 300, seed: 3)
        #expect(npe.parameters == expected.parameters)
        #expect(npe.float32Data == expected.data.storage.map { Float($0) })
        #expect(npe.data.storage == expected.data.storage.map { Double(Float($0)) })
        // The memory estimate counts 8 bytes per θ value and 4 per x value.
        let bytes = SimulationMemory.requiredBytes(count: 1, existing: 0, parameterCount: 11, outputLength: 1300)
        let perSimulation: Double = 8 * 11 + 4 * 1300
        #expect(bytes == 8 * 11 + 2 * perSimulation)
    }

    @Test func valuesBeyondFloat32AreDroppedLikeNaN() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in [θ[0], θ[0] > 0.5 ? 1e300 : 1] }
        }
        let npe = NPE(model: model)
        let kept = try npe.appendSimulations(count: 200, seed: 1)
        #expect(kept > 50 && kept < 150 && npe.discardedSimulationCount == 200 - kept)
        #expect(npe.simulations.dataValues.allSatisfy { $0.isFinite })
        let appended = try npe.appendSimulations(
            parameters: try SampleMatrix(rows: 2, columns: 1, storage: [0.1, 0.2]),
            data: try SampleMatrix(rows: 2, columns: 2, storage: [1, 2, 3, 1e39]))
        #expect(appended == 1)
    }

    @Test func aCheckpointWrittenWithFloat64DataStillResumes() throws {
        let model = try SessionTests.model()
        let reference = NPE(model: model)
        try reference.appendSimulations(count: 3000, seed: 3)
        let directory = try SessionTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let done = try SessionStore.withDirectory(directory, checkpointInterval: 0) { () throws -> Int in
            let first = NPE(model: model)
            #expect(throws: InterruptedError.self) {
                try SimulationRun.$interruptionRowForTesting.withValue(2000) { try first.appendSimulations(count: 3000, seed: 3) }
            }
            return first.simulationCount
        }
        let folder = directory.appendingPathComponent("kept/\(SimulationRunIdentity(model: model, count: 3000, seed: 3).id)")
        // Rewrite every data part as float64, as checkpoints were written before x became Float32.
        var rewritten = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("data-") {
            let url = folder.appendingPathComponent(name)
            let array = try NumPyArray(contentsOf: url)
            #expect(array.elementType == .float32)
            try array.write(to: url, as: .float64)
            #expect(try NumPyArray(contentsOf: url).elementType == .float64)
            rewritten += 1
        }
        #expect(rewritten >= 1 && done > 500)
        try SessionStore.withDirectory(directory, checkpointInterval: 0) { () throws -> Void in
            let second = NPE(model: model)
            let kept = try second.appendSimulations(count: 3000, seed: 3)
            #expect(kept == 3000)
            #expect(second.parameters == reference.parameters && second.simulations.dataValues == reference.simulations.dataValues)
        }
    }

    /// Two channels of 24 values: two waves whose amplitudes are θ, Gaussian noise σ = 0.2.
    static func twoChannelModel() throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(-1, 1))
            Parameter("b", Uniform(-1, 1))
            Simulator(outputLength: 48) { θ, _ in
                (0 ..< 48).map { k in
                    let c = Double(k / 24), t = Double(k % 24) / 24
                    return θ[0] * sin((2 + c) * 2 * .pi * t) + θ[1] * cos((3 + c) * 2 * .pi * t)
                }
            }
            NoiseModel.gaussian(sigma: 0.2)
        }
    }

    static func reducedBasis() -> EmbeddingArchitecture {
        .reducedBasis(channels: 2, lengthPerChannel: 24, basisSize: 4, residualWidths: [16, 16], outputFeatures: 6,
                      normalization: .layer, basisSignalCount: 300)
    }

    @Test(arguments: [TrainingNoise.fixed, .freshEachEpoch])
    func npeInitialisesTheBasisFromNoiseFreeSignals(noise: TrainingNoise) throws {
        let npe = NPE(model: try Self.twoChannelModel())
        npe.settings.noise = noise
        npe.architecture.embedding = Self.reducedBasis()
        // One epoch at a negligible learning rate: the projection stays the SVD basis.
        npe.settings.maximumEpochs = 1
        npe.settings.learningRate = 1e-12
        try npe.appendSimulations(count: 400, seed: 2)
        try npe.train()
        let net = try #require(npe.flow?.embedding as? ReducedBasisEmbedding)
        // The noise-free signals have rank 2 per channel: the two leading basis vectors span them
        // and are orthonormal.
        for c in 0 ..< 2 {
            let w = net.projection.weights[c].value.scalars   // [24, 4]
            for i in 0 ..< 2 {
                for k in 0 ..< 2 {
                    var dot: Float = 0
                    for j in 0 ..< 24 { dot += w[j * 4 + i] * w[j * 4 + k] }
                    #expect(abs(dot - (i == k ? 1 : 0)) < 1e-3)
                }
            }
        }
    }

    @Test func npeWithTheReducedBasisEmbeddingTrainsAndRoundTripsThroughAFile() throws {
        let npe = NPE(model: try Self.twoChannelModel())
        npe.settings.noise = .freshEachEpoch
        npe.architecture.embedding = Self.reducedBasis()
        npe.architecture.transformCount = 2
        npe.settings.maximumEpochs = 12
        try npe.appendSimulations(count: 1500, seed: 2)
        let history = try npe.train()
        #expect(history.validationLoss.min()! < history.validationLoss[0] - 0.5)
        let observation = (0 ..< 48).map { k -> Double in
            let c = Double(k / 24), t = Double(k % 24) / 24
            return 0.5 * sin((2 + c) * 2 * .pi * t) - 0.3 * cos((3 + c) * 2 * .pi * t)
        }
        let samples = try npe.posterior.sample(count: 2000, given: observation, seed: 4)
        let mean = samples.columnMeans
        #expect(abs(mean[0] - 0.5) < 0.15 && abs(mean[1] + 0.3) < 0.15)
        let directory = try SessionTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("rb.npe")
        try npe.save(to: url)
        let loaded = try NPE.load(from: url)
        #expect(loaded.architecture == npe.architecture && loaded.settings == npe.settings)
        #expect(try loaded.posterior.sample(count: 2000, given: observation, seed: 4) == samples)
    }

    @Test func gnpeBuildsTheEmbeddingOnStandardisedSignals() throws {
        let model = try GNPETests.locationModel(exact: false)
        let gnpe = try GNPEEstimator(model: model)
        let length = model.outputLength
        gnpe.architecture.embedding = .reducedBasis(
            channels: 1, lengthPerChannel: length, basisSize: 4, residualWidths: [16], outputFeatures: 6, normalization: .layer,
            passthroughFeatures: 1, basisSignalCount: 200)
        gnpe.architecture.transformCount = 2
        gnpe.settings.maximumEpochs = 3
        try gnpe.appendSimulations(count: 600, seed: 1)
        try gnpe.train()
        #expect(gnpe.flow?.embedding is ReducedBasisEmbedding)
        // The initialisation network gets the same kind of embedding over the raw data.
        if case let .reducedBasis(_, _, _, _, _, _, _, _, passthrough, _) = gnpe.initialNetworkFlowArchitecture().embedding {
            #expect(passthrough == 0)
        } else {
            Issue.record("the initialisation network lost the reduced-basis embedding")
        }
        #expect(gnpe.initialNetwork?.embedding is ReducedBasisEmbedding)
    }
}
