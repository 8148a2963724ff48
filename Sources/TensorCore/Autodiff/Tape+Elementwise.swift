import RealModule

/// A pointwise nonlinearity.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// `max(0, x)`.
    case relu
    /// `tanh(x)`.
    case tanh
    /// `x` for `x > 0`, `exp(x) − 1` otherwise (Clevert et al. 2016).
    case elu
    /// `x · Φ(x)` with the exact normal CDF (Hendrycks & Gimpel 2016).
    case gelu
    /// `1 / (1 + exp(−x))`.
    case sigmoid
    /// `log(1 + exp(x))`.
    case softplus
    /// The identity.
    case identity
}

extension Tape {
    /// Applies a pointwise nonlinearity.
    /// - Parameters:
    ///   - x: Any shape.
    ///   - kind: The nonlinearity.
    /// - Returns: The same shape as `x`.
    public func activation(_ x: Variable, _ kind: Activation) -> Variable {
        if kind == .identity { return x }
        let xv = values[x.index]
        var out = xv.scalars
        out.withUnsafeMutableBufferPointer { o in Self.applyActivation(kind, o) }
        let y = Tensor(shape: xv.shape, scalars: out)
        return record(y, inputs: [x]) { tape, g in
            var d = g
            d.withUnsafeMutableBufferPointer { dd in
                xv.scalars.withUnsafeBufferPointer { xs in
                    out.withUnsafeBufferPointer { ys in
                        // Base pointers in locals: indexing the captured buffers reloads their
                        // base address every element and keeps the loops scalar and branchy.
                        let count = dd.count
                        guard count > 0 else { return }
                        let dp = dd.baseAddress!, xp = xs.baseAddress!, yp = ys.baseAddress!
                        switch kind {
                        case .relu: for i in 0..<count { let g = dp[i]; dp[i] = xp[i] > 0 ? g : 0 }
                        case .tanh: for i in 0..<count { dp[i] *= 1 - yp[i] * yp[i] }
                        case .elu: for i in 0..<count where xp[i] <= 0 { dp[i] *= yp[i] + 1 }
                        case .sigmoid: for i in 0..<count { dp[i] *= yp[i] * (1 - yp[i]) }
                        case .softplus: for i in 0..<count { dp[i] *= 1 / (1 + Float.exp(-xp[i])) }
                        case .gelu:
                            for i in 0..<count {
                                let v = xp[i]
                                let cdf = 0.5 * (1 + Float.erf(v * 0.70710678))
                                let pdf = 0.39894228 * Float.exp(-0.5 * v * v)
                                dp[i] *= cdf + v * pdf
                            }
                        case .identity: break
                        }
                    }
                }
            }
            tape.accumulate(x, d)
        }
    }

    /// Applies an activation in place to a buffer (no tape); shared with inference code paths.
    @inlinable
    public static func applyActivation(_ kind: Activation, _ o: UnsafeMutableBufferPointer<Float>) {
        switch kind {
        case .relu: for i in 0..<o.count { o[i] = o[i] > 0 ? o[i] : 0 }
        case .tanh: FastMath.tanh(o)
        case .elu: for i in 0..<o.count where o[i] <= 0 { o[i] = Float.exp(o[i]) - 1 }
        case .sigmoid: for i in 0..<o.count { o[i] = 1 / (1 + Float.exp(-o[i])) }
        case .softplus:
            for i in 0..<o.count {
                let v = o[i]
                o[i] = v > 20 ? v : Float.log(onePlus: Float.exp(v))
            }
        case .gelu: for i in 0..<o.count { let v = o[i]; o[i] = 0.5 * v * (1 + Float.erf(v * 0.70710678)) }
        case .identity: break
        }
    }

    /// Elementwise sum of two nodes of the same shape, or of a batch `[n, c]` and a row
    /// vector `[c]` broadcast over the batch.
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        let av = values[a.index], bv = values[b.index]
        let y = av + bv
        let broadcast = bv.count != av.count
        let rows = av.rows, cols = av.columns
        return record(y, inputs: [a, b]) { tape, g in
            tape.accumulate(a, g)
            if broadcast {
                var db = [Float](repeating: 0, count: cols)
                for r in 0..<rows { for j in 0..<cols { db[j] += g[r * cols + j] } }
                tape.accumulate(b, db)
            } else {
                tape.accumulate(b, g)
            }
        }
    }

    /// Elementwise difference of two nodes of the same shape.
    public func subtract(_ a: Variable, _ b: Variable) -> Variable {
        let av = values[a.index], bv = values[b.index]
        precondition(av.count == bv.count, "subtract: shapes \(av.shape) and \(bv.shape) differ")
        return record(av - bv, inputs: [a, b]) { tape, g in
            tape.accumulate(a, g)
            tape.accumulate(b, g.map { -$0 })
        }
    }

    /// Elementwise product of two nodes of the same shape, or of a batch and a row vector.
    public func multiply(_ a: Variable, _ b: Variable) -> Variable {
        let av = values[a.index], bv = values[b.index]
        let broadcast = bv.count != av.count
        let rows = av.rows, cols = av.columns
        return record(av * bv, inputs: [a, b]) { tape, g in
            if tape.needsGradient(a) { tape.accumulate(a, (Tensor(shape: av.shape, scalars: g) * bv).scalars) }
            if tape.needsGradient(b) {
                let prod = zip(g, av.scalars).map { $0 * $1 }
                if broadcast {
                    var db = [Float](repeating: 0, count: cols)
                    for r in 0..<rows { for j in 0..<cols { db[j] += prod[r * cols + j] } }
                    tape.accumulate(b, db)
                } else {
                    tape.accumulate(b, prod)
                }
            }
        }
    }

    /// Multiplies every element by a constant.
    public func scaled(_ a: Variable, by factor: Float) -> Variable {
        record(values[a.index] * factor, inputs: [a]) { tape, g in
            tape.accumulate(a, g.map { $0 * factor })
        }
    }

    /// Elementwise exponential.
    public func exp(_ a: Variable) -> Variable {
        let y = values[a.index].mapped { Float.exp($0) }
        return record(y, inputs: [a]) { tape, g in
            tape.accumulate(a, zip(g, y.scalars).map { $0 * $1 })
        }
    }

    /// Elementwise natural logarithm.
    public func log(_ a: Variable) -> Variable {
        let x = values[a.index]
        return record(x.mapped { Float.log($0) }, inputs: [a]) { tape, g in
            tape.accumulate(a, zip(g, x.scalars).map { $0 / $1 })
        }
    }

    /// Concatenates two batches along the feature axis: `[n, a]`, `[n, b]` → `[n, a + b]`.
    public func concatenatedColumns(_ a: Variable, _ b: Variable) -> Variable {
        let av = values[a.index], bv = values[b.index]
        let ca = av.columns, cb = bv.columns, n = av.rows
        return record(av.concatenatedColumns(with: bv), inputs: [a, b]) { tape, g in
            var da = [Float](repeating: 0, count: n * ca), dbb = [Float](repeating: 0, count: n * cb)
            for r in 0..<n {
                for j in 0..<ca { da[r * ca + j] = g[r * (ca + cb) + j] }
                for j in 0..<cb { dbb[r * cb + j] = g[r * (ca + cb) + ca + j] }
            }
            tape.accumulate(a, da)
            tape.accumulate(b, dbb)
        }
    }

    /// The same values with another shape of equal element count.
    public func reshaped(_ a: Variable, to shape: [Int]) -> Variable {
        record(values[a.index].reshaped(to: shape), inputs: [a]) { tape, g in tape.accumulate(a, g) }
    }
}

extension Tape {
    /// Repeats a one-row batch `[1, c]` into `[count, c]` (its gradient sums over the copies).
    public func repeatingRow(_ a: Variable, count: Int) -> Variable {
        let av = values[a.index]
        let c = av.count
        var out = [Float](repeating: 0, count: count * c)
        for r in 0..<count { for j in 0..<c { out[r * c + j] = av.scalars[j] } }
        return record(Tensor(shape: [count, c], scalars: out), inputs: [a]) { tape, g in
            var d = [Float](repeating: 0, count: c)
            for r in 0..<count { for j in 0..<c { d[j] += g[r * c + j] } }
            tape.accumulate(a, d)
        }
    }
}
