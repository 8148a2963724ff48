import Foundation
import Testing
import TensorCore
@testable import Flows

@Suite struct ReducedBasisEmbeddingTests {
    /// `n` signals per channel that are random combinations of `rank` fixed random vectors:
    /// `[n, channels · length]`.
    static func lowRankSignals(n: Int, channels: Int, length: Int, rank: Int, seed: UInt64) -> Tensor {
        var rng = RandomSource(seed: seed)
        let bases = (0 ..< channels).map { _ in (0 ..< rank).map { _ in (0 ..< length).map { _ in Float(rng.nextNormal()) } } }
        var x = [Float](repeating: 0, count: n * channels * length)
        for r in 0 ..< n {
            for c in 0 ..< channels {
                for b in 0 ..< rank {
                    let a = Float(rng.nextNormal()) * Float(rank - b)
                    for j in 0 ..< length { x[r * channels * length + c * length + j] += a * bases[c][b][j] }
                }
            }
        }
        return Tensor(shape: [n, channels * length], scalars: x)
    }

    @Test(arguments: [3, 8])
    func theSVDInitialisationReproducesALowRankSignalSet(rank: Int) throws {
        let channels = 3, length = 40, basis = 8
        let signals = Self.lowRankSignals(n: 200, channels: channels, length: length, rank: rank, seed: 1)
        var rng = RandomSource(seed: 2)
        let net = ReducedBasisEmbedding(architecture: .reducedBasis(
            channels: channels, lengthPerChannel: length, basisSize: basis, residualWidths: [16], outputFeatures: 4), using: &rng)
        let singular = try net.initializeBasis(fromSignals: signals)
        #expect(singular.count == channels && singular.allSatisfy { $0.count == basis })
        // Beyond the rank, the singular values vanish.
        #expect(singular.allSatisfy { s in s[rank...].allSatisfy { $0 < 1e-6 * s[0] } })
        // Projecting and reconstructing with the layer's weights gives the signals back.
        let t = Tape()
        let coefficients = t.value(net.projection(t.constant(signals), on: t))   // [200, channels · basis]
        var worst: Float = 0, norm: Float = 0
        for c in 0 ..< channels {
            let w = net.projection.weights[c].value.scalars   // [length, basis]
            #expect(net.projection.biases[c].value.scalars.allSatisfy { $0 == 0 })
            for r in 0 ..< 200 {
                for j in 0 ..< length {
                    var value: Float = 0
                    for i in 0 ..< basis { value += coefficients.scalars[r * channels * basis + c * basis + i] * w[j * basis + i] }
                    let original = signals.scalars[r * channels * length + c * length + j]
                    worst = max(worst, abs(value - original))
                    norm = max(norm, abs(original))
                }
            }
        }
        #expect(worst < 1e-4 * norm)
    }

    @Test func aBasisSmallerThanTheRankKeepsTheLargestDirections() throws {
        // Rank 6, basis 2: the reconstruction error is what the discarded singular values leave.
        let signals = Self.lowRankSignals(n: 300, channels: 1, length: 30, rank: 6, seed: 3)
        var rng = RandomSource(seed: 4)
        let net = ReducedBasisEmbedding(architecture: .reducedBasis(
            channels: 1, lengthPerChannel: 30, basisSize: 2, residualWidths: [], outputFeatures: 2), using: &rng)
        let s = try net.initializeBasis(fromSignals: signals)[0]
        #expect(s.count == 2 && s[0] >= s[1] && s[1] > 0)
        let w = net.projection.weights[0].value.scalars
        // The two vectors are orthonormal.
        var dot: Float = 0, n0: Float = 0, n1: Float = 0
        for j in 0 ..< 30 { dot += w[j * 2] * w[j * 2 + 1]; n0 += w[j * 2] * w[j * 2]; n1 += w[j * 2 + 1] * w[j * 2 + 1] }
        #expect(abs(dot) < 1e-5 && abs(n0 - 1) < 1e-5 && abs(n1 - 1) < 1e-5)
    }

    @Test func channelProjectionGradientsMatchFiniteDifferences() {
        var rng = RandomSource(seed: 5)
        let layer = ChannelProjection(channels: 3, lengthPerChannel: 4, outputsPerChannel: 2, name: "p", using: &rng)
        let x = Tensor(randomNormal: [5, 14], using: &rng)   // 2 trailing columns are ignored
        #expect(layerGradientError(layer, input: x) < 1e-2)
    }

    @Test func passthroughFeaturesAreAppendedUnchanged() throws {
        var rng = RandomSource(seed: 6)
        let net = ReducedBasisEmbedding(architecture: .reducedBasis(
            channels: 2, lengthPerChannel: 5, basisSize: 3, residualWidths: [8, 4], outputFeatures: 3, passthroughFeatures: 2),
            using: &rng)
        #expect(net.inputCount == 12 && net.outputCount == 5)
        let x = Tensor(randomNormal: [4, 12], using: &rng)
        let t = Tape()
        let y = t.value(net.embed(t.constant(x), on: t))
        #expect(y.shape == [4, 5])
        for r in 0 ..< 4 { #expect(Array(y.scalars[r * 5 + 3 ..< r * 5 + 5]) == Array(x.scalars[r * 12 + 10 ..< r * 12 + 12])) }
    }

    @Test func invalidSizesThrowClearErrors() {
        #expect(throws: FlowError.invalidArchitecture("embedding basisSize must be ≥ 1, got 0")) {
            try EmbeddingArchitecture.reducedBasis(channels: 2, lengthPerChannel: 5, basisSize: 0, residualWidths: [],
                                                   outputFeatures: 3).validate()
        }
        #expect(throws: FlowError.self) {
            try EmbeddingArchitecture.reducedBasis(channels: Int.max, lengthPerChannel: 5, basisSize: 2, residualWidths: [],
                                                   outputFeatures: 3).validate()
        }
    }

    /// A toy problem: θ ∈ ℝ² sets the amplitudes of two waves in each of two channels.
    static func toyData(n: Int, seed: UInt64) -> (theta: Tensor, x: Tensor) {
        var rng = RandomSource(seed: seed)
        var theta = [Float](), x = [Float]()
        for _ in 0 ..< n {
            let a = Float(rng.nextNormal()), b = Float(rng.nextNormal())
            theta += [a, b]
            for c in 0 ..< 2 {
                for j in 0 ..< 32 {
                    let t = Float(j) / 32
                    x.append(a * Float.sin(Float(2 + c) * 6.283 * t) + b * Float.cos(Float(3 + c) * 6.283 * t) + 0.1 * Float(rng.nextNormal()))
                }
            }
        }
        return (Tensor(shape: [n, 2], scalars: theta), Tensor(shape: [n, 64], scalars: x))
    }

    static func toyFlow() throws -> ConditionalFlow {
        try ConditionalFlow(architecture: FlowArchitecture(
            kind: .maskedAutoregressive, parameterFeatures: 2,
            embedding: .reducedBasis(channels: 2, lengthPerChannel: 32, basisSize: 4, residualWidths: [16, 16], outputFeatures: 8,
                                     normalization: .layer),
            transformCount: 2, hiddenFeatures: 16))
    }

    @Test func gradientsFlowThroughTheProjectionAndTrainingLowersTheLoss() throws {
        let (theta, x) = Self.toyData(n: 512, seed: 7)
        let flow = try Self.toyFlow()
        try flow.fitStandardization(parameters: theta, observations: x)
        try (flow.embedding as! ReducedBasisEmbedding).initializeBasis(fromSignals: flow.observationStandardization.apply(x))
        let before = flow.embedding.parameters[0].value
        let optimizer = Adam(parameters: flow.parameters, learningRate: 3e-3)
        let first = try flow.loss(of: theta, given: x)
        for step in 0 ..< 150 {
            let rows = (0 ..< 64).map { (step * 64 + $0) % 512 }
            flow.parameters.zeroGradients()
            _ = try flow.lossAndGradients(of: theta.gatheringRows(rows), given: x.gatheringRows(rows))
            optimizer.step()
        }
        let last = try flow.loss(of: theta, given: x)
        #expect(last < first - 1)
        // The projection itself was trained.
        #expect(flow.embedding.parameters[0].value != before)
    }

    @Test func aSavedFlowWithTheEmbeddingRoundTrips() throws {
        let (theta, x) = Self.toyData(n: 256, seed: 8)
        let flow = try Self.toyFlow()
        try flow.fitStandardization(parameters: theta, observations: x)
        try (flow.embedding as! ReducedBasisEmbedding).initializeBasis(fromSignals: flow.observationStandardization.apply(x))
        let encoded = try JSONEncoder().encode(try flow.state())
        let restored = try ConditionalFlow(state: try JSONDecoder().decode(ConditionalFlow.State.self, from: encoded))
        #expect(restored.architecture == flow.architecture)
        var a = RandomSource(seed: 9), b = RandomSource(seed: 9)
        let observed = x.gatheringRows([3])
        #expect(try flow.sample(count: 50, given: observed, using: &a) == (try restored.sample(count: 50, given: observed, using: &b)))
    }
}
