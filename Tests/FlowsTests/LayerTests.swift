import Testing
import TensorCore
@testable import Flows

/// Largest relative error of a layer's parameter and input gradients against finite differences.
func layerGradientError(_ layer: any Layer, input: Tensor, training: Bool = false) -> Float {
    func tape() -> Tape { Tape(isTraining: training, random: RandomSource(seed: 4)) }
    var worst = GradientCheck.maximumError(inputs: [input], makeTape: tape) { t, v in layer(v[0], on: t) }
    let ps = layer.parameters
    let saved = ps.values()
    func loss() -> Float {
        let t = tape()
        return t.value(layer(t.constant(input), on: t)).scalars.enumerated().reduce(0) { $0 + $1.element * Float($1.offset % 5 + 1) }
    }
    ps.zeroGradients()
    let t = tape()
    let out = layer(t.constant(input), on: t)
    let n = t.value(out).count
    let w = t.constant(Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 5 + 1) }))
    t.backward(from: t.sum(t.multiply(t.reshaped(out, to: [n]), w)))
    for p in ps {
        for k in stride(from: 0, to: p.count, by: max(1, p.count / 6)) {
            let v = p.value.scalars[k]
            p.value.scalars[k] = v + 1e-2
            let up = loss()
            p.value.scalars[k] = v - 1e-2
            let down = loss()
            p.value.scalars[k] = v
            let numeric = (up - down) / 2e-2
            worst = max(worst, abs(numeric - p.gradient.scalars[k]) / max(1, abs(numeric)))
        }
    }
    try? ps.setValues(saved)
    return worst
}

@Suite struct LayerTests {
    @Test(arguments: Normalization.allCases)
    func residualBlockGradients(_ normalization: Normalization) {
        var rng = RandomSource(seed: 1)
        let block = ResidualBlock(features: 6, activation: .tanh, normalization: normalization, dropoutRate: 0.2,
                                  name: "b", using: &rng)
        // Make the residual branch non-trivial.
        for p in block.parameters { p.value = p.value + Tensor(randomUniform: p.value.shape, low: -0.5, high: 0.5, using: &rng) }
        let x = Tensor(randomNormal: [5, 6], using: &rng)
        #expect(layerGradientError(block, input: x, training: true) < 3e-2)
        #expect(layerGradientError(block, input: x, training: false) < 3e-2)
    }

    @Test func batchNormUsesRunningStatisticsOutsideTraining() {
        let bn = BatchNorm(features: 2, name: "bn")
        var rng = RandomSource(seed: 2)
        let x = Tensor(randomNormal: [400, 2], using: &rng) * 3 + 5
        for _ in 0..<100 { let t = Tape(isTraining: true); _ = bn(t.constant(x), on: t) }
        #expect(abs(bn.runningMean.value.scalars[0] - x.meanAlongBatch().scalars[0]) < 1e-3)
        let t = Tape()
        let y = t.value(bn(t.constant(x), on: t))
        #expect(abs(y.meanAlongBatch().scalars[1]) < 1e-2)
        #expect(abs(y.standardDeviationAlongBatch().scalars[1] - 1) < 1e-2)
    }

    @Test func convolutionIsTranslationEquivariant() {
        var rng = RandomSource(seed: 3)
        let conv = Convolution1D(inChannels: 2, outChannels: 3, kernelSize: 3, name: "c", using: &rng)
        var x = Tensor(zeros: [1, 2, 20])
        for c in 0..<2 { for i in 5..<10 { x.scalars[c * 20 + i] = Float(rng.nextNormal()) } }
        var shifted = Tensor(zeros: [1, 2, 20])
        for c in 0..<2 { for i in 0..<17 { shifted.scalars[c * 20 + i + 3] = x.scalars[c * 20 + i] } }
        let t = Tape()
        let y = t.value(conv(t.constant(x), on: t)), ys = t.value(conv(t.constant(shifted), on: t))
        for c in 0..<3 { for i in 1..<16 { #expect(abs(ys.scalars[c * 20 + i + 3] - y.scalars[c * 20 + i]) < 1e-5) } }
    }

    static let embeddings: [EmbeddingArchitecture] = [
        .identity(features: 12),
        .mlp(inputFeatures: 12, hidden: [10, 10], outputFeatures: 4, activation: .gelu),
        .residual(inputFeatures: 12, hiddenFeatures: 8, blockCount: 2, outputFeatures: 4, activation: .elu,
                  normalization: .layer, dropoutRate: 0),
        .residual(inputFeatures: 12, hiddenFeatures: 8, blockCount: 1, outputFeatures: 4, activation: .relu,
                  normalization: .batch, dropoutRate: 0.1),
        .convolutional(channels: 2, length: 6, convolutionChannels: [3, 4], kernelSize: 3, poolSize: 2, hidden: [8],
                       outputFeatures: 4, activation: .relu),
    ]

    @Test(arguments: embeddings)
    func flowLossGradientsWithEmbedding(_ embedding: EmbeddingArchitecture) throws {
        let flow = try ConditionalFlow(architecture: FlowArchitecture(
            kind: .maskedAutoregressive, parameterFeatures: 2, embedding: embedding, transformCount: 2, hiddenFeatures: 8))
        var rng = RandomSource(seed: 5)
        let theta = Tensor(randomNormal: [6, 2], using: &rng), x = Tensor(randomNormal: [6, 12], using: &rng)
        flow.parameters.zeroGradients()
        try flow.lossAndGradients(of: theta, given: x)  // evaluation mode: no dropout, running statistics
        var worst: Float = 0
        for p in flow.embedding.parameters {
            for k in stride(from: 0, to: p.count, by: max(1, p.count / 5)) {
                let v = p.value.scalars[k]
                p.value.scalars[k] = v + 1e-2
                let up = try flow.loss(of: theta, given: x)
                p.value.scalars[k] = v - 1e-2
                let down = try flow.loss(of: theta, given: x)
                p.value.scalars[k] = v
                worst = max(worst, abs((up - down) / 2e-2 - p.gradient.scalars[k]) / max(1, abs((up - down) / 2e-2)))
            }
        }
        #expect(worst < 3e-2)
        // Rebuild from the saved state gives the same densities (buffers included).
        try flow.lossAndGradients(of: theta, given: x, random: RandomSource(seed: 1))  // updates running stats
        let copy = try ConditionalFlow(state: try flow.state())
        #expect(try copy.logProbability(of: theta, given: x) == flow.logProbability(of: theta, given: x))
    }
}
