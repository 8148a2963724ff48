import TensorCore

/// A multilayer perceptron embedding: linear layers with a nonlinearity after each hidden one.
///
/// sbi's `FCEmbedding` with two hidden layers of 128 units is
/// `MLPEmbedding(inputFeatures: d, hidden: [128, 128], outputFeatures: 20, activation: .relu, using: &rng)`.
public struct MLPEmbedding: EmbeddingNetwork {
    /// The layers.
    public let network: Sequential
    /// Features of one observation.
    public let inputCount: Int
    /// Features of one embedding.
    public let outputCount: Int
    private let hidden: [Int]
    private let activation: Activation

    /// Creates an MLP embedding with random weights.
    /// - Parameters:
    ///   - inputFeatures: Features of one observation.
    ///   - hidden: Hidden layer widths, e.g. `[128, 128]`.
    ///   - outputFeatures: Features of the embedding.
    ///   - activation: The nonlinearity after each hidden layer.
    ///   - rng: The random source for the initial weights.
    public init(inputFeatures: Int, hidden: [Int], outputFeatures: Int, activation: Activation = .relu,
                using rng: inout RandomSource) {
        var layers = [any Layer]()
        var width = inputFeatures
        for (k, h) in hidden.enumerated() {
            layers.append(Linear(inputCount: width, outputCount: h, name: "embedding.layer\(k)", using: &rng))
            layers.append(ActivationLayer(activation))
            width = h
        }
        layers.append(Linear(inputCount: width, outputCount: outputFeatures, name: "embedding.layer\(hidden.count)",
                             using: &rng))
        network = Sequential(layers)
        inputCount = inputFeatures
        outputCount = outputFeatures
        self.hidden = hidden
        self.activation = activation
    }

    /// All weights, layer by layer.
    public var parameters: [TrainableParameter] { network.parameters }
    /// Applies the layers.
    public func embed(_ x: Variable, on tape: Tape) -> Variable { network(x, on: tape) }
    /// `.mlp(...)`.
    public var architecture: EmbeddingArchitecture? {
        .mlp(inputFeatures: inputCount, hidden: hidden, outputFeatures: outputCount, activation: activation)
    }
}
