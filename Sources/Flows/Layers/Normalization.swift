import TensorCore

/// The normalization inside a ``ResidualBlock``.
public enum Normalization: String, Codable, Sendable, CaseIterable {
    /// None.
    case none
    /// ``BatchNorm``.
    case batch
    /// ``LayerNorm``.
    case layer
}

/// Layer normalization with a learned scale and offset (Ba, Kiros & Hinton, 2016).
public struct LayerNorm: Layer {
    /// `γ`, `[features]`, initially 1.
    public let scale: TrainableParameter
    /// `β`, `[features]`, initially 0.
    public let offset: TrainableParameter

    /// Creates a layer norm over `features` features.
    public init(features: Int, name: String) {
        scale = TrainableParameter(name: name + ".scale", value: Tensor(repeating: 1, shape: [features]))
        offset = TrainableParameter(name: name + ".offset", value: Tensor(zeros: [features]))
    }

    /// Scale, offset.
    public var parameters: [TrainableParameter] { [scale, offset] }

    /// Normalizes each row of `[batch, features]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        tape.layerNormalized(x, scale: tape.parameter(scale), offset: tape.parameter(offset))
    }
}

/// Batch normalization (Ioffe & Szegedy, ICML 2015): batch statistics in training mode (and
/// running averages updated with momentum 0.1, as PyTorch), running averages otherwise.
public struct BatchNorm: Layer {
    /// `γ`, `[features]`, initially 1.
    public let scale: TrainableParameter
    /// `β`, `[features]`, initially 0.
    public let offset: TrainableParameter
    /// Running mean (not trained; saved with the weights).
    public let runningMean: TrainableParameter
    /// Running (unbiased) variance (not trained; saved with the weights).
    public let runningVariance: TrainableParameter
    /// Weight of the newest batch in the running averages.
    public var momentum: Float = 0.1

    /// Creates a batch norm over `features` features.
    public init(features: Int, name: String) {
        scale = TrainableParameter(name: name + ".scale", value: Tensor(repeating: 1, shape: [features]))
        offset = TrainableParameter(name: name + ".offset", value: Tensor(zeros: [features]))
        runningMean = TrainableParameter(name: name + ".runningMean", value: Tensor(zeros: [features]))
        runningVariance = TrainableParameter(name: name + ".runningVariance", value: Tensor(repeating: 1, shape: [features]))
    }

    /// Scale, offset.
    public var parameters: [TrainableParameter] { [scale, offset] }
    /// Running mean, running variance.
    public var buffers: [TrainableParameter] { [runningMean, runningVariance] }

    /// Normalizes each column of `[batch, features]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        let g = tape.parameter(scale), b = tape.parameter(offset)
        if tape.isTraining && tape.value(x).rows > 1 {
            let (y, mean, variance) = tape.batchNormalized(x, scale: g, offset: b)
            let n = Float(tape.value(x).rows)
            for j in 0..<mean.count {
                runningMean.value.scalars[j] = (1 - momentum) * runningMean.value.scalars[j] + momentum * mean[j]
                runningVariance.value.scalars[j] = (1 - momentum) * runningVariance.value.scalars[j]
                    + momentum * variance[j] * n / (n - 1)
            }
            return y
        }
        let inv = runningVariance.value.mapped { 1 / ($0 + 1e-5).squareRoot() }
        let shift = tape.constant(Tensor(shape: [inv.count], scalars: zip(runningMean.value.scalars, inv.scalars).map { -$0 * $1 }))
        let normalized = tape.add(tape.multiply(x, tape.constant(inv)), shift)
        return tape.add(tape.multiply(normalized, g), b)
    }
}

/// Inverted dropout (Srivastava et al., JMLR 2014), active only in training mode.
public struct Dropout: Layer {
    /// The drop probability.
    public var rate: Float
    /// Creates a dropout layer.
    public init(rate: Float) { self.rate = rate }
    /// None.
    public var parameters: [TrainableParameter] { [] }
    /// Drops elements on a training tape.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable { tape.dropout(x, rate: rate) }
}

extension Layer {
    /// Non-trainable state saved with the weights (batch-norm running statistics); none by default.
    public var buffers: [TrainableParameter] { [] }
}
