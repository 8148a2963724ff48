import TensorCore

/// A network that maps observations `x` to the context features a conditional flow sees.
///
/// It is trained jointly with the flow. Conform a type to compose your own embedding from
/// ``Layer``s and ``Tape`` operations; to be rebuildable from a saved
/// ``FlowArchitecture``, use a built-in ``EmbeddingArchitecture`` instead.
///
/// ```swift
/// struct MyEmbedding: EmbeddingNetwork {
///     var body: Sequential
///     var inputCount: Int { 200 }
///     var outputCount: Int { 16 }
///     var parameters: [Parameter] { body.parameters }
///     func embed(_ x: Variable, on tape: Tape) -> Variable { body(x, on: tape) }
/// }
/// ```
public protocol EmbeddingNetwork {
    /// Features of one observation (flattened).
    var inputCount: Int { get }
    /// Features of one embedding.
    var outputCount: Int { get }
    /// The trainable parameters, in a fixed order.
    var parameters: [Parameter] { get }
    /// Embeds a batch.
    /// - Parameters:
    ///   - x: Observations, `[batch, inputCount]`.
    ///   - tape: The tape that records the operations.
    /// - Returns: `[batch, outputCount]`.
    func embed(_ x: Variable, on tape: Tape) -> Variable
    /// The serialisable description this network was built from, or `nil` for a custom network.
    var architecture: EmbeddingArchitecture? { get }
}

extension EmbeddingNetwork {
    /// Custom networks have no serialisable description by default.
    public var architecture: EmbeddingArchitecture? { nil }
}

/// The serialisable description of a built-in embedding network.
public enum EmbeddingArchitecture: Codable, Sendable, Equatable {
    /// No embedding: the flow sees the (z-scored) observation itself.
    case identity(features: Int)
    /// A multilayer perceptron: `hidden` layer widths with `activation` after each, then a linear
    /// layer to `outputFeatures`.
    case mlp(inputFeatures: Int, hidden: [Int], outputFeatures: Int, activation: Activation)

    /// Builds the network with fresh random weights.
    /// - Parameter rng: The random source for the initial weights.
    /// - Returns: The network.
    public func makeNetwork(using rng: inout RandomSource) -> any EmbeddingNetwork {
        switch self {
        case .identity(let n):
            return IdentityEmbedding(features: n)
        case let .mlp(inputFeatures, hidden, outputFeatures, activation):
            return MLPEmbedding(inputFeatures: inputFeatures, hidden: hidden, outputFeatures: outputFeatures,
                                activation: activation, using: &rng)
        }
    }

    /// Features of one observation.
    public var inputFeatures: Int {
        switch self {
        case .identity(let n): return n
        case .mlp(let n, _, _, _): return n
        }
    }
}

/// The embedding that passes observations through unchanged.
public struct IdentityEmbedding: EmbeddingNetwork {
    /// Features in and out.
    public let features: Int
    /// Creates an identity embedding of `features` features.
    public init(features: Int) { self.features = features }
    /// `features`.
    public var inputCount: Int { features }
    /// `features`.
    public var outputCount: Int { features }
    /// None.
    public var parameters: [Parameter] { [] }
    /// Returns `x`.
    public func embed(_ x: Variable, on tape: Tape) -> Variable { x }
    /// `.identity(features:)`.
    public var architecture: EmbeddingArchitecture? { .identity(features: features) }
}
