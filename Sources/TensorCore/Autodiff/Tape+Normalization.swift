import RealModule

extension Tape {
    /// Layer normalization over the features of each row (Ba et al., 2016):
    /// `γ ⊙ (x − mean) / √(var + ε) + β`.
    /// - Parameters:
    ///   - x: `[batch, features]`.
    ///   - scale: `γ`, `[features]`.
    ///   - offset: `β`, `[features]`.
    ///   - epsilon: Added to the variance.
    /// - Returns: `[batch, features]`.
    public func layerNormalized(_ x: Variable, scale: Variable, offset: Variable, epsilon: Float = 1e-5) -> Variable {
        let xv = value(x), g = value(scale).scalars, b = value(offset).scalars
        let n = xv.rows, c = xv.columns
        var xhat = [Float](repeating: 0, count: n * c), inv = [Float](repeating: 0, count: n)
        var y = [Float](repeating: 0, count: n * c)
        for r in 0..<n {
            var m: Float = 0
            for j in 0..<c { m += xv.scalars[r * c + j] }
            m /= Float(c)
            var v: Float = 0
            for j in 0..<c { let d = xv.scalars[r * c + j] - m; v += d * d }
            let s = 1 / (v / Float(c) + epsilon).squareRoot()
            inv[r] = s
            for j in 0..<c {
                let h = (xv.scalars[r * c + j] - m) * s
                xhat[r * c + j] = h
                y[r * c + j] = h * g[j] + b[j]
            }
        }
        return record(Tensor(shape: xv.shape, scalars: y), inputs: [x, scale, offset]) { tape, gy in
            var dg = [Float](repeating: 0, count: c), db = dg
            var dx = [Float](repeating: 0, count: n * c)
            for r in 0..<n {
                var meanD: Float = 0, meanDX: Float = 0
                for j in 0..<c {
                    let k = r * c + j
                    dg[j] += gy[k] * xhat[k]
                    db[j] += gy[k]
                    let dh = gy[k] * g[j]
                    meanD += dh
                    meanDX += dh * xhat[k]
                }
                meanD /= Float(c)
                meanDX /= Float(c)
                for j in 0..<c {
                    let k = r * c + j
                    dx[k] = inv[r] * (gy[k] * g[j] - meanD - xhat[k] * meanDX)
                }
            }
            tape.accumulate(x, dx)
            tape.accumulate(scale, dg)
            tape.accumulate(offset, db)
        }
    }

    /// Batch normalization (Ioffe & Szegedy, 2015) over the batch axis with batch statistics:
    /// `γ ⊙ (x − mean_batch) / √(var_batch + ε) + β`.
    /// - Parameters:
    ///   - x: `[batch, features]`.
    ///   - scale: `γ`, `[features]`.
    ///   - offset: `β`, `[features]`.
    ///   - epsilon: Added to the variance.
    /// - Returns: The output and the batch mean and (biased) variance, `[features]` each, for
    ///   running averages.
    public func batchNormalized(_ x: Variable, scale: Variable, offset: Variable, epsilon: Float = 1e-5)
        -> (output: Variable, mean: [Float], variance: [Float])
    {
        let xv = value(x), g = value(scale).scalars, b = value(offset).scalars
        let n = xv.rows, c = xv.columns
        var mean = [Float](repeating: 0, count: c), variance = mean
        for r in 0..<n { for j in 0..<c { mean[j] += xv.scalars[r * c + j] } }
        for j in 0..<c { mean[j] /= Float(n) }
        for r in 0..<n { for j in 0..<c { let d = xv.scalars[r * c + j] - mean[j]; variance[j] += d * d } }
        for j in 0..<c { variance[j] /= Float(n) }
        let inv = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var xhat = [Float](repeating: 0, count: n * c), y = xhat
        for r in 0..<n { for j in 0..<c {
            let k = r * c + j
            xhat[k] = (xv.scalars[k] - mean[j]) * inv[j]
            y[k] = xhat[k] * g[j] + b[j]
        } }
        let out = record(Tensor(shape: xv.shape, scalars: y), inputs: [x, scale, offset]) { tape, gy in
            var dg = [Float](repeating: 0, count: c), db = dg, meanD = dg, meanDX = dg
            for r in 0..<n { for j in 0..<c {
                let k = r * c + j
                dg[j] += gy[k] * xhat[k]
                db[j] += gy[k]
                meanD[j] += gy[k] * g[j]
                meanDX[j] += gy[k] * g[j] * xhat[k]
            } }
            var dx = [Float](repeating: 0, count: n * c)
            for r in 0..<n { for j in 0..<c {
                let k = r * c + j
                dx[k] = inv[j] * (gy[k] * g[j] - meanD[j] / Float(n) - xhat[k] * meanDX[j] / Float(n))
            } }
            tape.accumulate(x, dx)
            tape.accumulate(scale, dg)
            tape.accumulate(offset, db)
        }
        return (out, mean, variance)
    }

    /// Inverted dropout (Srivastava et al., 2014): in training mode each element is zeroed with
    /// probability `rate` and the rest scaled by `1/(1 − rate)`; otherwise the identity.
    /// - Parameters:
    ///   - x: Any shape.
    ///   - rate: The drop probability in `[0, 1)`.
    /// - Returns: The same shape.
    public func dropout(_ x: Variable, rate: Float) -> Variable {
        guard isTraining, rate > 0 else { return x }
        let xv = value(x)
        let keep = 1 - rate
        var mask = [Float](repeating: 0, count: xv.count)
        for i in 0..<mask.count where Float(random.nextUniform()) < keep { mask[i] = 1 / keep }
        return record(xv * Tensor(shape: xv.shape, scalars: mask), inputs: [x]) { tape, g in
            tape.accumulate(x, zip(g, mask).map { $0 * $1 })
        }
    }
}
