import TensorCore

/// An embedding network made of a ``Sequential`` chain of layers; the built-in residual and
/// convolutional embeddings are instances, and users can wrap their own chain.
///
/// ```swift
/// var rng = RandomSource(seed: 0)
/// let custom = SequentialEmbedding(inputCount: 200, outputCount: 8, layers: [
///     Reshape([1, 200]),
///     Convolution1D(inChannels: 1, outChannels: 4, kernelSize: 5, name: "conv", using: &rng),
///     ActivationLayer(.relu), MaxPool1D(size: 4), Reshape([200]),
///     Linear(inputCount: 200, outputCount: 8, name: "head", using: &rng),
/// ])
/// ```
public struct SequentialEmbedding: EmbeddingNetwork {
    /// The layers.
    public let network: Sequential
    /// Features of one observation.
    public let inputCount: Int
    /// Features of one embedding.
    public let outputCount: Int
    /// The built-in description, or `nil` for a custom chain.
    public let architecture: EmbeddingArchitecture?

    /// Wraps a custom chain of layers (not serialisable by architecture).
    /// - Parameters:
    ///   - inputCount: Features of one observation; the chain receives `[batch, inputCount]`.
    ///   - outputCount: Features the chain returns per sample.
    ///   - layers: The layers.
    public init(inputCount: Int, outputCount: Int, layers: [any Layer]) {
        network = Sequential(layers)
        self.inputCount = inputCount
        self.outputCount = outputCount
        architecture = nil
    }

    /// Builds a residual or convolutional embedding from its description.
    init(architecture: EmbeddingArchitecture, using rng: inout RandomSource) {
        var layers = [any Layer]()
        switch architecture {
        case let .residual(inputFeatures, hiddenFeatures, blockCount, outputFeatures, activation, normalization, dropoutRate):
            layers.append(Linear(inputCount: inputFeatures, outputCount: hiddenFeatures, name: "embedding.input", using: &rng))
            for b in 0..<blockCount {
                layers.append(ResidualBlock(features: hiddenFeatures, activation: activation, normalization: normalization,
                                            dropoutRate: dropoutRate, name: "embedding.block\(b)", using: &rng))
            }
            layers.append(ActivationLayer(activation))
            layers.append(Linear(inputCount: hiddenFeatures, outputCount: outputFeatures, name: "embedding.output", using: &rng))
            inputCount = inputFeatures
            outputCount = outputFeatures
        case let .convolutional(channels, length, convolutionChannels, kernelSize, poolSize, hidden, outputFeatures, activation):
            layers.append(Reshape([channels, length]))
            var c = channels, len = length
            for (k, out) in convolutionChannels.enumerated() {
                layers.append(Convolution1D(inChannels: c, outChannels: out, kernelSize: kernelSize,
                                            name: "embedding.conv\(k)", using: &rng))
                layers.append(ActivationLayer(activation))
                let lenAfterConv = len + 2 * ((kernelSize - 1) / 2) - kernelSize + 1
                if poolSize > 1 && lenAfterConv >= poolSize {
                    layers.append(MaxPool1D(size: poolSize))
                    len = lenAfterConv / poolSize
                } else {
                    len = lenAfterConv
                }
                c = out
            }
            layers.append(Reshape([c * len]))
            var width = c * len
            for (k, h) in hidden.enumerated() {
                layers.append(Linear(inputCount: width, outputCount: h, name: "embedding.dense\(k)", using: &rng))
                layers.append(ActivationLayer(activation))
                width = h
            }
            layers.append(Linear(inputCount: width, outputCount: outputFeatures, name: "embedding.output", using: &rng))
            inputCount = channels * length
            outputCount = outputFeatures
        case .identity, .mlp, .reducedBasis:
            preconditionFailure("SequentialEmbedding(architecture:) builds residual and convolutional embeddings only")
        }
        network = Sequential(layers)
        self.architecture = architecture
    }

    /// All layer parameters, in order.
    public var parameters: [TrainableParameter] { network.parameters }
    /// All layer buffers, in order.
    public var buffers: [TrainableParameter] { network.buffers }
    /// Applies the chain.
    public func embed(_ x: Variable, on tape: Tape) -> Variable { network(x, on: tape) }
}
