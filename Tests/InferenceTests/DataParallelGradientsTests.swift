import Flows
import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct DataParallelGradientsTests {
    /// A neural spline flow over 3 parameters on 40-long observations.
    static func flow(embedding: EmbeddingArchitecture, seed: UInt64 = 3) throws -> ConditionalFlow {
        try ConditionalFlow(architecture: FlowArchitecture(
            kind: .neuralSpline, parameterFeatures: 3, embedding: embedding, transformCount: 2, hiddenFeatures: 24,
            seed: seed))
    }

    static func batch(rows: Int, seed: UInt64) -> (theta: Tensor, x: Tensor) {
        var rng = RandomSource(seed: seed)
        let theta = Tensor(randomUniform: [rows, 3], low: -1, high: 1, using: &rng)
        var x = Tensor(zeros: [rows, 40])
        for i in 0..<rows {
            for j in 0..<40 { x.scalars[i * 40 + j] = theta[i, j % 3] * Float(j) / 40 + 0.1 * Float(rng.nextNormal()) }
        }
        return (theta, x)
    }

    static func gradients(_ flow: ConditionalFlow) -> [[Float]] { flow.parameters.map(\.gradient.scalars) }

    /// The largest |a − b| over all gradients, relative to the largest |b|.
    static func relativeDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        var difference: Float = 0, scale: Float = 0
        for (u, v) in zip(a, b) {
            for (p, q) in zip(u, v) {
                difference = max(difference, abs(p - q))
                scale = max(scale, abs(q))
            }
        }
        return difference / scale
    }

    @Test(arguments: [2, 3, 4])
    func averagedGradientIsTheWholeBatchsGradient(parts: Int) throws {
        // Without batch norm or dropout the rows do not interact: the parts' row-weighted mean
        // gradient is the full batch's, whatever the cut (101 rows do not divide evenly).
        let embedding = EmbeddingArchitecture.mlp(inputFeatures: 40, hidden: [32], outputFeatures: 8, activation: .relu)
        let data = Self.batch(rows: 101, seed: 1)
        let serial = try Self.flow(embedding: embedding)
        let parallelFlow = try Self.flow(embedding: embedding)
        let random = RandomSource(seed: 9)
        serial.parameters.zeroGradients()
        let expectedLoss = try serial.lossAndGradients(of: data.theta, given: data.x, random: random)
        let parallel = try #require(DataParallelGradients(flow: parallelFlow, parts: parts))
        #expect(parallel.boundaries(rows: 101).count == parts + 1)
        parallelFlow.parameters.zeroGradients()
        let loss = try parallel.lossAndGradients(of: data.theta, given: data.x, random: random)
        #expect(abs(loss - expectedLoss) < 1e-5 * max(1, abs(expectedLoss)), "loss \(loss) against \(expectedLoss)")
        let difference = Self.relativeDifference(Self.gradients(parallelFlow), Self.gradients(serial))
        #expect(difference < 1e-5, "largest gradient difference \(difference) of the largest gradient")
        // The validation loss agrees too.
        let validation = try parallel.loss(of: data.theta, given: data.x)
        let expectedValidation = try serial.loss(of: data.theta, given: data.x)
        #expect(abs(validation - expectedValidation) < 1e-5 * max(1, abs(expectedValidation)))
    }

    @Test func batchNormStatisticsAreThePartsAverage() throws {
        // With batch norm each part normalises with its own statistics (as DistributedDataParallel
        // without SyncBatchNorm): the gradient is the mean of each half's gradient computed alone,
        // and the running statistics are the mean of what each half alone would leave.
        let embedding = EmbeddingArchitecture.reducedBasis(
            channels: 2, lengthPerChannel: 20, basisSize: 6, residualWidths: [16, 16], outputFeatures: 8)
        let data = Self.batch(rows: 64, seed: 2)
        let random = RandomSource(seed: 5)
        let halves = [0..<32, 32..<64]
        var expectedGradients: [[Float]]? = nil
        var expectedBuffers: [[Float]]? = nil
        for (k, half) in halves.enumerated() {
            let alone = try Self.flow(embedding: embedding)
            alone.parameters.zeroGradients()
            try alone.lossAndGradients(
                of: data.theta.slicingRows(half), given: data.x.slicingRows(half), random: k == 0 ? random : random.stream(k))
            let g = Self.gradients(alone).map { $0.map { $0 / 2 } }
            let b = alone.buffers.map(\.value.scalars).map { $0.map { $0 / 2 } }
            expectedGradients = expectedGradients.map { zip($0, g).map { zip($0, $1).map(+) } } ?? g
            expectedBuffers = expectedBuffers.map { zip($0, b).map { zip($0, $1).map(+) } } ?? b
        }
        let flow = try Self.flow(embedding: embedding)
        #expect(!flow.buffers.isEmpty)
        let before = flow.buffers.map(\.value.scalars)
        let parallel = try #require(DataParallelGradients(flow: flow, parts: 2))
        flow.parameters.zeroGradients()
        _ = try parallel.lossAndGradients(of: data.theta, given: data.x, random: random)
        let gradientDifference = Self.relativeDifference(Self.gradients(flow), try #require(expectedGradients))
        #expect(gradientDifference < 1e-5, "gradient difference \(gradientDifference)")
        let after = flow.buffers.map(\.value.scalars)
        #expect(after != before, "the running statistics moved")
        let bufferDifference = Self.relativeDifference(after, try #require(expectedBuffers))
        #expect(bufferDifference < 1e-5, "running statistics difference \(bufferDifference)")
    }

    @Test func smallBatchesUseFewerPartsAndOnePartNeedsNoReplica() throws {
        let flow = try Self.flow(embedding: .identity(features: 40))
        #expect(DataParallelGradients(flow: flow, parts: 1) == nil)
        let parallel = try #require(DataParallelGradients(flow: flow, parts: 4))
        #expect(parallel.boundaries(rows: 256) == [0, 64, 128, 192, 256])
        #expect(parallel.boundaries(rows: 40) == [0, 20, 40])     // parts of at least 16 rows
        #expect(parallel.boundaries(rows: 5) == [0, 5])           // one part: the flow alone
        let data = Self.batch(rows: 5, seed: 4)
        flow.parameters.zeroGradients()
        let loss = try parallel.lossAndGradients(of: data.theta, given: data.x, random: RandomSource(seed: 1))
        #expect(loss.isFinite)
    }

    @Test func aPartsErrorIsThrownNotLost() throws {
        let flow = try Self.flow(embedding: .identity(features: 40))
        let parallel = try #require(DataParallelGradients(flow: flow, parts: 2))
        let data = Self.batch(rows: 64, seed: 6)
        // Observations of the wrong width, or not one per row: a clear error, no trap.
        #expect(throws: FlowError.self) {
            try parallel.lossAndGradients(of: data.theta, given: data.x.reshaped(to: [32, 80]), random: RandomSource(seed: 1))
        }
        #expect(throws: FlowError.self) {
            try parallel.lossAndGradients(of: data.theta, given: data.x.slicingRows(0..<40), random: RandomSource(seed: 1))
        }
        #expect(throws: FlowError.self) { try parallel.loss(of: data.theta, given: data.x.slicingRows(0..<40)) }
        // Parameters of the wrong width fail in every part; the lowest part's error is thrown.
        #expect(throws: FlowError.self) {
            try parallel.lossAndGradients(of: data.theta.reshaped(to: [96, 2]).slicingRows(0..<64), given: data.x,
                                          random: RandomSource(seed: 1))
        }
    }

    @Test func trainingOnSeveralThreadsLearnsAsWellAndIsReproducible() throws {
        let data = FlowTrainerTests.conditionalGaussian(count: 2000, seed: 11)
        func run(threads: Int) throws -> TrainingHistory {
            var settings = TrainingSettings(batchSize: 100, learningRate: 5e-3, maximumEpochs: 25, seed: 3)
            settings.threadCount = threads
            return try FlowTrainer(settings: settings).train(try FlowTrainerTests.smallFlow(), exampleCount: 2000) { rows, _, _ in
                (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
            }
        }
        // (The BLAS thread count the trainer lowers and restores is process-wide, and other suites
        // train at the same time, so it is not checked here.)
        let serial = try run(threads: 1)
        let parallel = try run(threads: 2)
        let again = try run(threads: 2)
        #expect(parallel.validationLoss == again.validationLoss, "same thread count, same run")
        // θ | x ~ 𝒩(2x, 0.5²): the entropy of 𝒩(·, 0.5²) is the lowest expected loss; both get near it.
        let entropy = 0.5 * log(2 * Double.pi * 0.25) + 0.5
        for history in [serial, parallel] {
            let best = try #require(history.bestValidationLoss)
            #expect(abs(best - entropy) < 0.1, "best validation loss \(best), analytic \(entropy)")
        }
    }

    @Test func aThreadCountBelowOneIsRefusedAndAHugeOneIsCapped() throws {
        var settings = TrainingSettings()
        settings.threadCount = 0
        #expect(throws: TrainingError.self) { try settings.validate() }
        // A million threads: no more parts than the batch has 16-row pieces for (here 2), so
        // training neither builds a million copies of the flow nor traps.
        let data = FlowTrainerTests.conditionalGaussian(count: 200, seed: 3)
        settings = TrainingSettings(batchSize: 32, maximumEpochs: 2)
        settings.threadCount = 1_000_000
        let history = try FlowTrainer(settings: settings).train(try FlowTrainerTests.smallFlow(), exampleCount: 200) { rows, _, _ in
            (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
        }
        #expect(history.epochCount == 2 && history.validationLoss.allSatisfy(\.isFinite))
    }
}
