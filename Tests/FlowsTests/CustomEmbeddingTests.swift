import Foundation
import Testing
import TensorCore
@testable import Flows

/// A user-written embedding: a linear map followed by tanh, written against the protocol.
struct TanhProjection: EmbeddingNetwork {
    let layer: Linear
    init(seed: UInt64) {
        var rng = RandomSource(seed: seed)
        layer = Linear(inputCount: 5, outputCount: 3, name: "embedding.projection", using: &rng)
    }
    var inputCount: Int { 5 }
    var outputCount: Int { 3 }
    var parameters: [TrainableParameter] { layer.parameters }
    func embed(_ x: Variable, on tape: Tape) -> Variable { tape.activation(layer(x, on: tape), .tanh) }
}

@Suite struct CustomEmbeddingTests {
    func makeFlow(seed: UInt64) throws -> ConditionalFlow {
        try ConditionalFlow(
            architecture: FlowArchitecture(kind: .neuralSpline, parameterFeatures: 2, embedding: .identity(features: 5),
                                           transformCount: 2, hiddenFeatures: 12),
            embedding: TanhProjection(seed: seed))
    }

    @Test func gradientsReachACustomEmbedding() throws {
        let flow = try makeFlow(seed: 1)
        #expect(flow.parameters.prefix(2).map(\.name) == ["embedding.projection.weight", "embedding.projection.bias"])
        let theta = randomTensor([6, 2], seed: 2), x = randomTensor([6, 5], seed: 3)
        flow.parameters.zeroGradients()
        try flow.lossAndGradients(of: theta, given: x)
        let w = flow.parameters[0]
        for k in [0, 4, 9, 14] {
            let v = w.value.scalars[k]
            w.value.scalars[k] = v + 1e-2
            let up = try flow.loss(of: theta, given: x)
            w.value.scalars[k] = v - 1e-2
            let down = try flow.loss(of: theta, given: x)
            w.value.scalars[k] = v
            let numeric = (up - down) / 2e-2
            #expect(abs(numeric - w.gradient.scalars[k]) / max(1, abs(numeric)) < 2e-2)
        }
    }

    @Test func customStateNeedsTheEmbeddingToRebuild() throws {
        let flow = try makeFlow(seed: 1)
        let state = try JSONDecoder().decode(ConditionalFlow.State.self, from: JSONEncoder().encode(try flow.state()))
        #expect(state.customEmbedding == "TanhProjection")
        #expect(throws: FlowError.self) { try ConditionalFlow(state: state) }
        let copy = try ConditionalFlow(state: state, embedding: TanhProjection(seed: 99))
        let theta = randomTensor([4, 2], seed: 5), x = randomTensor([4, 5], seed: 6)
        #expect(try copy.logProbability(of: theta, given: x) == flow.logProbability(of: theta, given: x))
    }
}
