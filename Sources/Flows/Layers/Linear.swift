import RealModule
import TensorCore

/// A fully connected layer `y = x · W + b`, with `W` stored `[in, out]`.
///
/// Initialised as PyTorch's `nn.Linear`: weights and bias uniform in `±1/√in`.
public struct Linear: Layer {
    /// The weights, `[inputCount, outputCount]`.
    public let weight: TrainableParameter
    /// The bias, `[outputCount]`, or `nil`.
    public let bias: TrainableParameter?
    /// An optional constant mask multiplied into the weights (MADE's autoregressive masks).
    public let mask: Tensor?

    /// Creates a linear layer with random weights.
    /// - Parameters:
    ///   - inputCount: Input features.
    ///   - outputCount: Output features.
    ///   - hasBias: Whether to add a bias.
    ///   - mask: A constant `[inputCount, outputCount]` 0/1 mask, or `nil`.
    ///   - name: The parameter name prefix.
    ///   - rng: The random source for the initial weights.
    public init(inputCount: Int, outputCount: Int, hasBias: Bool = true, mask: Tensor? = nil,
                name: String = "linear", using rng: inout RandomSource) {
        let bound = 1 / Float(max(inputCount, 1)).squareRoot()
        var w = Tensor(randomUniform: [inputCount, outputCount], low: -bound, high: bound, using: &rng)
        if let mask { w = w * mask }
        weight = TrainableParameter(name: name + ".weight", value: w)
        bias = hasBias
            ? TrainableParameter(name: name + ".bias",
                        value: Tensor(randomUniform: [outputCount], low: -bound, high: bound, using: &rng))
            : nil
        self.mask = mask
    }

    /// Input features.
    public var inputCount: Int { weight.value.shape[0] }
    /// Output features.
    public var outputCount: Int { weight.value.shape[1] }

    /// The weights and then the bias.
    public var parameters: [TrainableParameter] { bias.map { [weight, $0] } ?? [weight] }

    /// `x · (W ⊙ mask) + b` on the tape; `x` is `[batch, inputCount]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.linear(x, weight: tape.parameter(weight), bias: bias.map { tape.parameter($0) }, mask: mask)
    }

    /// The weights with the mask applied (for inference kernels).
    public var effectiveWeight: Tensor { mask.map { weight.value * $0 } ?? weight.value }
}
