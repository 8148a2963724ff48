import TensorCore

/// DINGO's embedding network (Dax et al., "Real-time gravitational-wave science with neural
/// posterior estimation", PRL 127, 241103, 2021; the `LinearProjectionRB` and `DenseResidualNet`
/// of the DINGO code): per channel (detector) a linear projection of the channel's data onto
/// `basisSize` reduced-basis coefficients, initialised from an SVD of simulated noise-free
/// signals (``initializeBasis(fromSignals:)``) and trained with the rest; then a dense residual
/// network — a linear layer to `residualWidths[0]`, per width a ``ResidualBlock`` (with a linear
/// resize between blocks of different widths), a linear layer to `outputFeatures`.
///
/// The input is `[batch, channels · lengthPerChannel + passthroughFeatures]`: channel c's values
/// are the block `c · lengthPerChannel ..< (c + 1) · lengthPerChannel` (for frequency-domain
/// strain, e.g. a detector's real parts then its imaginary parts; any fixed order works, since
/// the projection is dense). The last `passthroughFeatures` values (GNPE's proxies for an
/// approximate equivariance) skip the network and are appended to its output, as DINGO appends
/// them to the embedding. DINGO projects complex strain on `n` complex basis vectors (2n real
/// outputs); the real SVD of the (re, im) values used here spans the same kind of subspace, so
/// `basisSize = 2n` corresponds to DINGO's `n`.
///
/// ```swift
/// var rng = RandomSource(seed: 0)
/// let net = ReducedBasisEmbedding(architecture: .reducedBasis(
///     channels: 3, lengthPerChannel: 434, basisSize: 64, residualWidths: [256, 256, 128], outputFeatures: 64), using: &rng)
/// try net.initializeBasis(fromSignals: signals)   // [n, 1302], noise-free
/// ```
public struct ReducedBasisEmbedding: EmbeddingNetwork {
    /// The per-channel projection onto the reduced basis.
    public let projection: ChannelProjection
    /// The dense residual network after the projection.
    public let network: Sequential
    private let described: EmbeddingArchitecture
    private let passthroughFeatures: Int
    private let outputFeatures: Int

    /// Builds the network with random weights from a `.reducedBasis` description.
    /// - Parameters:
    ///   - architecture: A `.reducedBasis` description (validated by the caller; another case
    ///     builds a minimal network).
    ///   - rng: The random source for the initial weights.
    public init(architecture: EmbeddingArchitecture, using rng: inout RandomSource) {
        guard case let .reducedBasis(channels, length, basisSize, widths, out, activation, normalization, dropout, passthrough, _)
            = architecture else {
            self.init(channels: 1, length: 1, basisSize: 1, widths: [], out: 1, activation: .elu, normalization: .none,
                      dropout: 0, passthrough: 0, description: architecture, using: &rng)
            return
        }
        self.init(channels: channels, length: length, basisSize: basisSize, widths: widths, out: out, activation: activation,
                  normalization: normalization, dropout: dropout, passthrough: passthrough, description: architecture, using: &rng)
    }

    private init(channels: Int, length: Int, basisSize: Int, widths: [Int], out: Int, activation: Activation,
                 normalization: Normalization, dropout: Float, passthrough: Int, description: EmbeddingArchitecture,
                 using rng: inout RandomSource) {
        projection = ChannelProjection(channels: channels, lengthPerChannel: length, outputsPerChannel: basisSize,
                                       name: "embedding.projection", using: &rng)
        var layers = [any Layer]()
        var width = channels * basisSize
        for (k, w) in widths.enumerated() {
            if k == 0 || w != width {  // DINGO: an input layer, and a resize only between different widths
                layers.append(Linear(inputCount: width, outputCount: w, name: k == 0 ? "embedding.input" : "embedding.resize\(k)",
                                     using: &rng))
            }
            layers.append(ResidualBlock(features: w, activation: activation, normalization: normalization, dropoutRate: dropout,
                                        name: "embedding.block\(k)", using: &rng))
            width = w
        }
        layers.append(Linear(inputCount: width, outputCount: out, name: "embedding.output", using: &rng))
        network = Sequential(layers)
        described = description
        passthroughFeatures = passthrough
        outputFeatures = out
    }

    /// `channels · lengthPerChannel + passthroughFeatures`.
    public var inputCount: Int { projection.channels * projection.lengthPerChannel + passthroughFeatures }
    /// `outputFeatures + passthroughFeatures`.
    public var outputCount: Int { outputFeatures + passthroughFeatures }
    /// The projection's, then the residual network's parameters.
    public var parameters: [TrainableParameter] { projection.parameters + network.parameters }
    /// Batch-norm running statistics of the residual blocks.
    public var buffers: [TrainableParameter] { network.buffers }
    /// The `.reducedBasis` description.
    public var architecture: EmbeddingArchitecture? { described }

    /// Embeds `[batch, inputCount]` into `[batch, outputCount]`.
    public func embed(_ x: Variable, on tape: Tape) -> Variable {
        let h = network(projection(x, on: tape), on: tape)
        guard passthroughFeatures > 0 else { return h }
        return tape.concatenatedColumns(h, Self.trailingColumns(x, count: passthroughFeatures, on: tape))
    }

    /// Sets every channel's projection to the top right singular vectors of the signals (the
    /// reduced basis of Dax et al. 2021): per channel, the SVD of the `[n, lengthPerChannel]`
    /// block of `signals` (LAPACK `dgesdd`); output i of channel c becomes ⟨x_c, v_{c,i}⟩.
    /// Outputs beyond the signals' rank (`basisSize > min(n, lengthPerChannel)`) keep their
    /// random weights. Pass signals as the network sees them (z-scored like the observations).
    /// - Parameter signals: Noise-free signals, `[n, inputCount]` (passthrough columns are ignored).
    /// - Returns: Per channel, the singular values (descending), e.g. to judge the basis size.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` for a wrong width or no rows;
    ///   `TensorError` if the SVD fails (non-finite values).
    @discardableResult
    public func initializeBasis(fromSignals signals: Tensor) throws -> [[Double]] {
        let n = signals.rows, width = signals.count / max(n, 1)
        let c = projection.channels, l = projection.lengthPerChannel
        guard n >= 1, width == inputCount else {
            throw FlowError.shapeMismatch("signals must be [n ≥ 1, \(inputCount)], got \(signals.shape)")
        }
        var values: [[Double]] = []
        for channel in 0 ..< c {
            var block = [Double](repeating: 0, count: n * l)
            signals.scalars.withUnsafeBufferPointer { s in
                for r in 0 ..< n { for j in 0 ..< l { block[r * l + j] = Double(s[r * width + channel * l + j]) } }
            }
            let (vectors, singular) = try LAPACK.rightSingularVectors(of: block, rows: n, columns: l,
                                                                       count: projection.outputsPerChannel)
            try projection.setBasis(vectors.map { Float($0) }, channel: channel)
            values.append(singular)
        }
        return values
    }

    /// The last `count` columns of `[batch, width]`, on the tape.
    static func trailingColumns(_ x: Variable, count: Int, on tape: Tape) -> Variable {
        let xv = tape.value(x)
        let batch = xv.rows, width = xv.count / max(batch, 1)
        var out = [Float](repeating: 0, count: batch * count)
        for r in 0 ..< batch { for j in 0 ..< count { out[r * count + j] = xv.scalars[r * width + width - count + j] } }
        return tape.record(Tensor(shape: [batch, count], scalars: out), inputs: [x]) { tape, g in
            var dx = [Float](repeating: 0, count: batch * width)
            for r in 0 ..< batch { for j in 0 ..< count { dx[r * width + width - count + j] = g[r * count + j] } }
            tape.accumulate(x, dx)
        }
    }
}
