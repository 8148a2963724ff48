import TensorCore

/// A 1-D convolution layer (stride 1, zero padding), translation-equivariant along the
/// sequence axis. Input `[batch, inChannels, length]`, output `[batch, outChannels, length']`.
public struct Convolution1D: Layer {
    /// Kernel, `[outChannels, inChannels · kernelSize]`.
    public let weight: TrainableParameter
    /// Bias, `[outChannels]`.
    public let bias: TrainableParameter
    /// Taps.
    public let kernelSize: Int
    /// Zeros added on each side.
    public let padding: Int

    /// Creates a convolution with PyTorch's default initialisation (uniform `±1/√(in·K)`).
    /// - Parameters:
    ///   - inChannels: Input channels.
    ///   - outChannels: Output channels.
    ///   - kernelSize: Taps.
    ///   - padding: Zeros per side; `nil` keeps the length (`(K − 1)/2`, odd `K`).
    ///   - name: TrainableParameter name prefix.
    ///   - rng: The random source.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, padding: Int? = nil, name: String,
                using rng: inout RandomSource) {
        let bound = 1 / Float(inChannels * kernelSize).squareRoot()
        weight = TrainableParameter(name: name + ".weight", value: Tensor(randomUniform: [outChannels, inChannels * kernelSize],
                                                                 low: -bound, high: bound, using: &rng))
        bias = TrainableParameter(name: name + ".bias", value: Tensor(randomUniform: [outChannels], low: -bound, high: bound, using: &rng))
        self.kernelSize = kernelSize
        self.padding = padding ?? (kernelSize - 1) / 2
    }

    /// Weight, bias.
    public var parameters: [TrainableParameter] { [weight, bias] }

    /// Convolves `[batch, inChannels, length]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.convolved1D(x, weight: tape.parameter(weight), bias: tape.parameter(bias), kernelSize: kernelSize, padding: padding)
    }
}

/// Non-overlapping max pooling along the sequence axis.
public struct MaxPool1D: Layer {
    /// Window (and stride).
    public var size: Int
    /// Creates a pooling layer.
    public init(size: Int) { self.size = size }
    /// None.
    public var parameters: [TrainableParameter] { [] }
    /// Pools `[batch, channels, length]` to `[batch, channels, length / size]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable { tape.maxPooled1D(x, size: size) }
}

/// Reshapes each sample, keeping the batch axis: e.g. `[batch, 200]` ↔ `[batch, 1, 200]`.
public struct Reshape: Layer {
    /// The per-sample shape.
    public var sampleShape: [Int]
    /// Creates a reshape to `[batch] + sampleShape`.
    public init(_ sampleShape: [Int]) { self.sampleShape = sampleShape }
    /// None.
    public var parameters: [TrainableParameter] { [] }
    /// Reshapes.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.reshaped(x, to: [tape.value(x).rows] + sampleShape)
    }
}
