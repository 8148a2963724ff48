import Testing
import TensorCore
@testable import Flows

/// The flow's public boundary refuses hostile contexts, counts and architectures with a
/// ``FlowError`` (or `InsufficientMemoryError`) instead of trapping.
@Suite struct FlowInputTests {
    static func flow() throws -> ConditionalFlow {
        try ConditionalFlow(architecture: FlowArchitecture(
            kind: .neuralSpline, parameterFeatures: 2, embedding: .identity(features: 3), transformCount: 1, hiddenFeatures: 8))
    }

    @Test(arguments: [
        ("NaN", [Float.nan, 0, 0], "x[0, 0]"),
        ("+∞", [0, Float.infinity, 0], "x[0, 1]"),
        ("−∞", [0, 0, -Float.infinity], "x[0, 2]"),
    ])
    func aNonFiniteContextIsNamed(name: String, values: [Float], position: String) throws {
        let flow = try Self.flow()
        var rng = RandomSource(seed: 1)
        let x = Tensor(shape: [1, 3], scalars: values)
        let sampling = #expect(throws: FlowError.self) { try flow.sample(count: 5, given: x, using: &rng) }
        #expect(sampling?.description.contains(position) == true, "\(name): \(String(describing: sampling))")
        #expect(throws: FlowError.self) { try flow.logProbability(of: Tensor(shape: [1, 2], scalars: [0, 0]), given: x) }
        #expect(throws: FlowError.self) { try flow.sample(given: x, using: &rng) }
    }

    @Test func shapesAndCountsAreChecked() throws {
        let flow = try Self.flow()
        var rng = RandomSource(seed: 1)
        let x = Tensor(shape: [1, 3], scalars: [0, 0, 0])
        #expect(throws: FlowError.self) { try flow.sample(count: 5, given: Tensor(shape: [1, 2], scalars: [0, 0]), using: &rng) }
        #expect(throws: FlowError.self) { try flow.sample(count: -1, given: x, using: &rng) }
        #expect(throws: InsufficientMemoryError.self) { try flow.sample(count: 1 << 40, given: x, using: &rng) }
        #expect(try flow.sample(count: 0, given: x, using: &rng).count == 0)
        let nanTheta = Tensor(shape: [2, 2], scalars: [0, 0, 0, .nan])
        let density = #expect(throws: FlowError.self) { try flow.logProbability(of: nanTheta, given: x) }
        #expect(density?.description.contains("θ[1, 1]") == true)
        #expect(try flow.logProbability(of: Tensor(shape: [0, 2], scalars: []), given: x).count == 0)
        // forward/inverse with mismatched rows used to reach a tape precondition.
        let z = Tensor(shape: [3, 2], scalars: Array(repeating: 0, count: 6))
        let twoContexts = Tensor(shape: [2, 3], scalars: Array(repeating: 0, count: 6))
        #expect(throws: FlowError.self) { try flow.inverse(z, given: twoContexts) }
        #expect(throws: FlowError.self) { try flow.forward(z, given: twoContexts) }
        #expect(throws: FlowError.self) { try flow.forward(Tensor(shape: [3, 5], scalars: Array(repeating: 0, count: 15)), given: x) }
    }

    @Test(arguments: [
        EmbeddingArchitecture.convolutional(channels: 1, length: 1, convolutionChannels: [4, 4], kernelSize: 2, poolSize: 2,
                                            hidden: [8], outputFeatures: 4, activation: .relu),
        .convolutional(channels: 1, length: 16, convolutionChannels: [4], kernelSize: 0, poolSize: 2, hidden: [8], outputFeatures: 4,
                       activation: .relu),
        .convolutional(channels: 1, length: 16, convolutionChannels: [-4], kernelSize: 3, poolSize: 2, hidden: [8], outputFeatures: 4,
                       activation: .relu),
        .mlp(inputFeatures: 3, hidden: [0], outputFeatures: 4, activation: .relu),
        .mlp(inputFeatures: 3, hidden: [8], outputFeatures: -1, activation: .relu),
        .residual(inputFeatures: 3, hiddenFeatures: 8, blockCount: -1, outputFeatures: 4, activation: .relu,
                  normalization: .none, dropoutRate: 0),
        .residual(inputFeatures: 3, hiddenFeatures: 8, blockCount: 1, outputFeatures: 4, activation: .relu,
                  normalization: .none, dropoutRate: 1.5),
        .identity(features: -2),
    ])
    func anImpossibleEmbeddingIsRefusedWhenTheFlowIsBuilt(_ embedding: EmbeddingArchitecture) {
        #expect(throws: FlowError.self) {
            try ConditionalFlow(architecture: FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2, embedding: embedding))
        }
    }

    @Test func aValidConvolutionalEmbeddingStillBuildsAndRuns() throws {
        let flow = try ConditionalFlow(architecture: FlowArchitecture(
            kind: .maskedAutoregressive, parameterFeatures: 2,
            embedding: .convolutional(channels: 1, length: 8, convolutionChannels: [4], kernelSize: 3, poolSize: 2, hidden: [8],
                                      outputFeatures: 4, activation: .relu)))
        var rng = RandomSource(seed: 1)
        let samples = try flow.sample(count: 3, given: Tensor(shape: [1, 8], scalars: Array(repeating: 0.5, count: 8)), using: &rng)
        #expect(samples.shape == [3, 2] && samples.isFinite)
    }

    /// A diverged network (NaN weights) used to trap in `FastMath.exp`; now its samples are NaN.
    @Test(arguments: [FlowArchitecture.Kind.maskedAutoregressive, .neuralSpline])
    func aFlowWithNaNWeightsDoesNotTrap(kind: FlowArchitecture.Kind) throws {
        let flow = try ConditionalFlow(architecture: FlowArchitecture(
            kind: kind, parameterFeatures: 2, embedding: .identity(features: 3), transformCount: 2, hiddenFeatures: 8))
        for parameter in flow.parameters { parameter.value.scalars[0] = .nan }
        var rng = RandomSource(seed: 1)
        let x = Tensor(shape: [1, 3], scalars: [0.1, 0.2, 0.3])
        let samples = try flow.sample(count: 8, given: x, using: &rng)
        #expect(samples.shape == [8, 2])
        let density = try flow.logProbability(of: Tensor(shape: [1, 2], scalars: [0, 0]), given: x)
        #expect(density.count == 1)
    }

    @Test func anArchitectureTooLargeForMemoryIsRefusedBeforeAllocating() {
        var architecture = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2, embedding: .identity(features: 3))
        #expect(architecture.estimatedTrainingBytes < 10 << 20)
        architecture.hiddenFeatures = 5_000_000  // 25 TB of hidden-to-hidden weights per transform
        #expect(throws: InsufficientMemoryError.self) { try ConditionalFlow(architecture: architecture) }
        architecture.hiddenFeatures = Int.max
        #expect(architecture.estimatedTrainingBytes == Int.max)
        #expect(throws: InsufficientMemoryError.self) { try ConditionalFlow(architecture: architecture) }
    }
}
