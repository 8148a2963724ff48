import TensorCore

/// One linear map per channel: the input `[batch, channels · lengthPerChannel (+ more)]` is read
/// as `channels` consecutive blocks of `lengthPerChannel` values, and block c is mapped by its own
/// weights `[lengthPerChannel, outputsPerChannel]` and bias; the outputs are concatenated,
/// `[batch, channels · outputsPerChannel]`. Columns after the blocks are ignored.
///
/// The first layer of DINGO's embedding (`LinearProjectionRB`, Dax et al., PRL 127, 241103,
/// 2021): per detector, a projection of the whitened strain onto a reduced basis, which
/// ``setBasis(_:channel:)`` initialises from an SVD and training then adapts. Each block is one
/// strided BLAS product, so the layer costs what `channels` separate linear layers cost.
public struct ChannelProjection: Layer {
    /// The number of channels (e.g. detectors).
    public let channels: Int
    /// Input values per channel.
    public let lengthPerChannel: Int
    /// Output values per channel (the basis size).
    public let outputsPerChannel: Int
    /// Per channel, the weights `[lengthPerChannel, outputsPerChannel]`.
    public let weights: [TrainableParameter]
    /// Per channel, the bias `[outputsPerChannel]`.
    public let biases: [TrainableParameter]

    /// Creates the layer with random weights (PyTorch's `nn.Linear` initialisation per channel).
    /// - Parameters:
    ///   - channels: Channels (≥ 1).
    ///   - lengthPerChannel: Input values per channel (≥ 1).
    ///   - outputsPerChannel: Output values per channel (≥ 1).
    ///   - name: The parameter name prefix.
    ///   - rng: The random source.
    public init(channels: Int, lengthPerChannel: Int, outputsPerChannel: Int, name: String, using rng: inout RandomSource) {
        self.channels = channels
        self.lengthPerChannel = lengthPerChannel
        self.outputsPerChannel = outputsPerChannel
        let bound = 1 / Float(max(lengthPerChannel, 1)).squareRoot()
        var w: [TrainableParameter] = [], b: [TrainableParameter] = []
        for c in 0 ..< channels {
            let weight = Tensor(randomUniform: [lengthPerChannel, outputsPerChannel], low: -bound, high: bound, using: &rng)
            w.append(TrainableParameter(name: "\(name).channel\(c).weight", value: weight))
            b.append(TrainableParameter(name: "\(name).channel\(c).bias",
                                        value: Tensor(randomUniform: [outputsPerChannel], low: -bound, high: bound, using: &rng)))
        }
        weights = w
        biases = b
    }

    /// Per channel, its weights then its bias.
    public var parameters: [TrainableParameter] { zip(weights, biases).flatMap { [$0, $1] } }

    /// Sets channel `channel`'s map to the projection onto `basis` (output i = ⟨x_c, vᵢ⟩, bias 0).
    /// Outputs beyond the basis keep their weights.
    /// - Parameters:
    ///   - basis: Up to `outputsPerChannel` vectors of `lengthPerChannel` values, row-major
    ///     `[k, lengthPerChannel]`.
    ///   - channel: The channel.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` for a wrong size or channel.
    public func setBasis(_ basis: [Float], channel: Int) throws {
        let l = lengthPerChannel, n = outputsPerChannel
        guard channel >= 0, channel < channels, basis.count % l == 0, basis.count / l <= n else {
            throw FlowError.shapeMismatch(
                "a basis for channel \(channel) of \(channels) must hold at most \(n) vectors of \(l) values, "
                    + "got \(basis.count) values")
        }
        let k = basis.count / l
        var w = weights[channel].value.scalars
        for i in 0 ..< k { for j in 0 ..< l { w[j * n + i] = basis[i * l + j] } }
        weights[channel].value = Tensor(shape: [l, n], scalars: w)
        var bias = biases[channel].value.scalars
        for i in 0 ..< k { bias[i] = 0 }
        biases[channel].value = Tensor(shape: [n], scalars: bias)
    }

    /// Applies the per-channel maps to `[batch, ≥ channels · lengthPerChannel]`.
    public func callAsFunction(_ x: Variable, on tape: Tape) -> Variable {
        let xv = tape.value(x)
        let batch = xv.rows, width = xv.count / max(batch, 1)
        let c = channels, l = lengthPerChannel, n = outputsPerChannel
        precondition(width >= c * l, "ChannelProjection: input of \(width) features, needs \(c * l)")
        let w = weights.map { tape.parameter($0) }, b = biases.map { tape.parameter($0) }
        let wv = w.map { tape.value($0) }
        var out = [Float](repeating: 0, count: batch * c * n)
        out.withUnsafeMutableBufferPointer { o in
            for k in 0 ..< c {
                let bias = tape.value(b[k]).scalars
                for r in 0 ..< batch { for i in 0 ..< n { o[r * c * n + k * n + i] = bias[i] } }
                xv.scalars.withUnsafeBufferPointer { xs in
                    wv[k].scalars.withUnsafeBufferPointer { ws in
                        BLAS.gemm(transA: false, transB: false, m: batch, n: n, k: l, a: xs.baseAddress! + k * l, lda: width,
                                  b: ws.baseAddress!, ldb: n, beta: 1, c: o.baseAddress! + k * n, ldc: c * n)
                    }
                }
            }
        }
        var inputs = [x]
        for k in 0 ..< c { inputs += [w[k], b[k]] }
        return tape.record(Tensor(shape: [batch, c * n], scalars: out), inputs: inputs) { tape, g in
            g.withUnsafeBufferPointer { gs in
                if tape.needsGradient(x) {
                    var dx = [Float](repeating: 0, count: xv.count)
                    dx.withUnsafeMutableBufferPointer { d in
                        for k in 0 ..< c {
                            wv[k].scalars.withUnsafeBufferPointer { ws in
                                BLAS.gemm(transA: false, transB: true, m: batch, n: l, k: n, a: gs.baseAddress! + k * n, lda: c * n,
                                          b: ws.baseAddress!, ldb: n, c: d.baseAddress! + k * l, ldc: width)
                            }
                        }
                    }
                    tape.accumulate(x, dx)
                }
                for k in 0 ..< c {
                    if tape.needsGradient(w[k]) {
                        var dw = [Float](repeating: 0, count: l * n)
                        xv.scalars.withUnsafeBufferPointer { xs in
                            dw.withUnsafeMutableBufferPointer { d in
                                BLAS.gemm(transA: true, transB: false, m: l, n: n, k: batch, a: xs.baseAddress! + k * l, lda: width,
                                          b: gs.baseAddress! + k * n, ldb: c * n, c: d.baseAddress!, ldc: n)
                            }
                        }
                        tape.accumulate(w[k], dw)
                    }
                    if tape.needsGradient(b[k]) {
                        var db = [Float](repeating: 0, count: n)
                        for r in 0 ..< batch { for i in 0 ..< n { db[i] += gs[r * c * n + k * n + i] } }
                        tape.accumulate(b[k], db)
                    }
                }
            }
        }
    }
}
