import TensorCore

/// A differentiable building block of a network: a function of a batch recorded on a ``Tape``.
///
/// Conform your own types to compose custom networks; the parameters are returned in a fixed
/// order so that weights can be read and restored.
public protocol Layer {
    /// The trainable parameters, in a fixed order.
    var parameters: [TrainableParameter] { get }
    /// Non-trainable state saved with the weights (batch-norm running statistics); `[]` by default.
    var buffers: [TrainableParameter] { get }
    /// Applies the layer to a batch.
    /// - Parameters:
    ///   - x: The input node, `[batch, features...]`.
    ///   - tape: The tape that records the operation.
    /// - Returns: The output node.
    func callAsFunction(_ x: Variable, on tape: Tape) -> Variable
}

/// A chain of layers applied in order.
public struct Sequential: Layer {
    /// The layers, first applied first.
    public var layers: [any Layer]
    /// Creates a chain of layers.
    public init(_ layers: [any Layer]) { self.layers = layers }
    /// All parameters of all layers, in order.
    public var parameters: [TrainableParameter] { layers.flatMap(\.parameters) }
    /// All buffers of all layers, in order.
    public var buffers: [TrainableParameter] { layers.flatMap(\.buffers) }
    /// Applies every layer in order.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        layers.reduce(x) { h, layer in layer(h, on: tape) }
    }
}

/// A pointwise nonlinearity as a layer.
public struct ActivationLayer: Layer {
    /// The nonlinearity.
    public var kind: Activation
    /// Creates an activation layer.
    public init(_ kind: Activation) { self.kind = kind }
    /// None.
    public var parameters: [TrainableParameter] { [] }
    /// Applies the nonlinearity.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable { tape.activation(x, kind) }
}
