import TensorCore

/// A pre-activation residual block `h + Linear(drop(act(norm(Linear(act(norm(h)))))))`
/// (He et al., ECCV 2016; as nflows' `ResidualBlock`), with optional batch or layer
/// normalization and dropout. The second linear layer starts near zero so that the block
/// starts near the identity.
public struct ResidualBlock: Layer {
    let norms: [any Layer]
    let first: Linear
    let second: Linear
    let activation: Activation
    let dropout: Dropout

    /// Creates a residual block.
    /// - Parameters:
    ///   - features: Width in and out.
    ///   - activation: The nonlinearity.
    ///   - normalization: `.none`, `.batch` or `.layer`.
    ///   - dropoutRate: Dropout probability before the second linear layer.
    ///   - name: TrainableParameter name prefix.
    ///   - rng: The random source.
    public init(features: Int, activation: Activation = .relu, normalization: Normalization = .none,
                dropoutRate: Float = 0, name: String, using rng: inout RandomSource) {
        switch normalization {
        case .none: norms = []
        case .batch: norms = [BatchNorm(features: features, name: name + ".norm0"), BatchNorm(features: features, name: name + ".norm1")]
        case .layer: norms = [LayerNorm(features: features, name: name + ".norm0"), LayerNorm(features: features, name: name + ".norm1")]
        }
        first = Linear(inputCount: features, outputCount: features, name: name + ".linear0", using: &rng)
        second = Linear(inputCount: features, outputCount: features, name: name + ".linear1", using: &rng)
        second.weight.value = second.weight.value * 1e-3
        second.bias!.value = second.bias!.value * 1e-3
        self.activation = activation
        dropout = Dropout(rate: dropoutRate)
    }

    /// Norm, first linear, norm, second linear parameters in order.
    public var parameters: [TrainableParameter] {
        (norms.first?.parameters ?? []) + first.parameters + (norms.last?.parameters ?? []) + second.parameters
    }

    /// Running statistics of batch norms.
    public var buffers: [TrainableParameter] { norms.flatMap { ($0 as? BatchNorm)?.buffers ?? [] } }

    /// Applies the block to `[batch, features]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        var h = x
        if let n = norms.first { h = n(h, on: tape) }
        h = first(tape.activation(h, activation), on: tape)
        if let n = norms.last { h = n(h, on: tape) }
        h = second(dropout(tape.activation(h, activation), on: tape), on: tape)
        return tape.add(x, h)
    }
}
