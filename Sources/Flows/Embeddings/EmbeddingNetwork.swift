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
///     var parameters: [TrainableParameter] { body.parameters }
///     func embed(_ x: Variable, on tape: Tape) -> Variable { body(x, on: tape) }
/// }
/// ```
public protocol EmbeddingNetwork {
    /// Features of one observation (flattened).
    var inputCount: Int { get }
    /// Features of one embedding.
    var outputCount: Int { get }
    /// The trainable parameters, in a fixed order.
    var parameters: [TrainableParameter] { get }
    /// Non-trainable state saved with the weights (batch-norm running statistics).
    var buffers: [TrainableParameter] { get }
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
    /// No buffers by default.
    public var buffers: [TrainableParameter] { [] }
}

/// The serialisable description of a built-in embedding network.
public enum EmbeddingArchitecture: Codable, Sendable, Equatable {
    /// No embedding: the flow sees the (z-scored) observation itself.
    case identity(features: Int)
    /// A multilayer perceptron: `hidden` layer widths with `activation` after each, then a linear
    /// layer to `outputFeatures`.
    case mlp(inputFeatures: Int, hidden: [Int], outputFeatures: Int, activation: Activation)
    /// A residual network: a linear layer to `hiddenFeatures`, `blockCount` ``ResidualBlock``s,
    /// a linear layer to `outputFeatures`.
    case residual(inputFeatures: Int, hiddenFeatures: Int, blockCount: Int, outputFeatures: Int,
                  activation: Activation, normalization: Normalization, dropoutRate: Float)
    /// A 1-D convolutional network over `[channels, length]` observations: per entry of
    /// `convolutionChannels` a same-padded convolution, the activation and max pooling by
    /// `poolSize`; then the flattened features through an MLP with `hidden` widths to
    /// `outputFeatures`. Translation-equivariant up to pooling (the baseline of Dax et al. 2022).
    case convolutional(channels: Int, length: Int, convolutionChannels: [Int], kernelSize: Int, poolSize: Int,
                       hidden: [Int], outputFeatures: Int, activation: Activation)
    /// DINGO's embedding (Dax et al., PRL 127, 241103, 2021), a ``ReducedBasisEmbedding``: per
    /// channel (detector) a linear projection of its `lengthPerChannel` values onto `basisSize`
    /// reduced-basis coefficients — initialised by the estimators from an SVD of up to
    /// `basisSignalCount` simulated noise-free signals, then trained — followed by a dense
    /// residual network (a ``ResidualBlock`` per entry of `residualWidths`, DINGO's ELU and batch
    /// norm by default) to `outputFeatures`. The last `passthroughFeatures` inputs (GNPE's
    /// proxies) are appended to the output unchanged. Input: `channels · lengthPerChannel +
    /// passthroughFeatures` features.
    case reducedBasis(channels: Int, lengthPerChannel: Int, basisSize: Int, residualWidths: [Int], outputFeatures: Int,
                      activation: Activation = .elu, normalization: Normalization = .batch, dropoutRate: Float = 0,
                      passthroughFeatures: Int = 0, basisSignalCount: Int = 2_000)

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
        case .residual, .convolutional:
            return SequentialEmbedding(architecture: self, using: &rng)
        case .reducedBasis:
            return ReducedBasisEmbedding(architecture: self, using: &rng)
        }
    }

    /// Checks every size of the description, so that building and running the network cannot
    /// trap (negative widths, a kernel longer than the padded data, a dropout rate outside [0, 1)).
    /// - Throws: ``FlowError/invalidArchitecture(_:)`` naming the field and its value.
    public func validate() throws {
        func positive(_ value: Int, _ name: String) throws {
            guard value >= 1 else { throw FlowError.invalidArchitecture("embedding \(name) must be ≥ 1, got \(value)") }
        }
        switch self {
        case .identity(let n):
            guard n >= 0 else { throw FlowError.invalidArchitecture("identity embedding features must be ≥ 0, got \(n)") }
        case let .mlp(inputFeatures, hidden, outputFeatures, _):
            try positive(inputFeatures, "inputFeatures")
            for (k, width) in hidden.enumerated() { try positive(width, "hidden[\(k)]") }
            try positive(outputFeatures, "outputFeatures")
        case let .residual(inputFeatures, hiddenFeatures, blockCount, outputFeatures, _, _, dropoutRate):
            try positive(inputFeatures, "inputFeatures")
            try positive(hiddenFeatures, "hiddenFeatures")
            guard blockCount >= 0 else { throw FlowError.invalidArchitecture("embedding blockCount must be ≥ 0, got \(blockCount)") }
            try positive(outputFeatures, "outputFeatures")
            guard dropoutRate >= 0, dropoutRate < 1 else {
                throw FlowError.invalidArchitecture("embedding dropoutRate must lie in [0, 1), got \(dropoutRate)")
            }
        case let .convolutional(channels, length, convolutionChannels, kernelSize, poolSize, hidden, outputFeatures, _):
            try positive(channels, "channels")
            try positive(length, "length")
            try positive(kernelSize, "kernelSize")
            try positive(poolSize, "poolSize")
            for (k, width) in convolutionChannels.enumerated() { try positive(width, "convolutionChannels[\(k)]") }
            for (k, width) in hidden.enumerated() { try positive(width, "hidden[\(k)]") }
            try positive(outputFeatures, "outputFeatures")
            try Self.validateConvolution(length: length, convolutionChannels: convolutionChannels, kernelSize: kernelSize,
                                         poolSize: poolSize)
        case let .reducedBasis(channels, lengthPerChannel, basisSize, residualWidths, outputFeatures, _, _, dropoutRate,
                               passthroughFeatures, basisSignalCount):
            try positive(channels, "channels")
            try positive(lengthPerChannel, "lengthPerChannel")
            try positive(basisSize, "basisSize")
            for (k, width) in residualWidths.enumerated() { try positive(width, "residualWidths[\(k)]") }
            try positive(outputFeatures, "outputFeatures")
            try positive(basisSignalCount, "basisSignalCount")
            guard passthroughFeatures >= 0 else {
                throw FlowError.invalidArchitecture("embedding passthroughFeatures must be ≥ 0, got \(passthroughFeatures)")
            }
            guard dropoutRate >= 0, dropoutRate < 1 else {
                throw FlowError.invalidArchitecture("embedding dropoutRate must lie in [0, 1), got \(dropoutRate)")
            }
            // Sizes whose products overflow would trap when the layers are allocated.
            let (inputs, overflow) = channels.multipliedReportingOverflow(by: lengthPerChannel)
            guard !overflow, inputs <= Int(Int32.max) / 8, MemoryBudget.bytes(inputs, basisSize) <= Int(Int32.max) else {
                throw FlowError.invalidArchitecture(
                    "embedding of \(channels) channels × \(lengthPerChannel) values onto \(basisSize) coefficients is too large")
            }
        }
    }

    /// Checks that every convolution of a convolutional embedding gets data at least as long as
    /// its kernel.
    private static func validateConvolution(length: Int, convolutionChannels: [Int], kernelSize: Int, poolSize: Int) throws {
        // Walk the layers as SequentialEmbedding builds them: every convolution needs data at
        // least as long as its kernel (after same-padding).
        var len = length
        for k in convolutionChannels.indices {
            let afterConvolution = len + 2 * ((kernelSize - 1) / 2) - kernelSize + 1
            guard afterConvolution >= 1 else {
                throw FlowError.invalidArchitecture(
                    "embedding convolution \(k) gets data of length \(len), too short for kernelSize \(kernelSize)")
            }
            len = poolSize > 1 && afterConvolution >= poolSize ? afterConvolution / poolSize : afterConvolution
        }
    }

    /// Features of one observation.
    public var inputFeatures: Int {
        switch self {
        case .identity(let n): return n
        case .mlp(let n, _, _, _): return n
        case .residual(let n, _, _, _, _, _, _): return n
        case let .convolutional(channels, length, _, _, _, _, _, _): return channels * length
        case let .reducedBasis(channels, lengthPerChannel, _, _, _, _, _, _, passthroughFeatures, _):
            return channels * lengthPerChannel + passthroughFeatures
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
    public var parameters: [TrainableParameter] { [] }
    /// Returns `x`.
    public func embed(_ x: Variable, on tape: Tape) -> Variable { x }
    /// `.identity(features:)`.
    public var architecture: EmbeddingArchitecture? { .identity(features: features) }
}
