extension Tape {
    /// Sums each row: `[batch, features]` → `[batch]`.
    public func sumAlongColumns(_ a: Variable) -> Variable {
        let av = values[a.index]
        let n = av.rows, c = av.columns
        var out = [Float](repeating: 0, count: n)
        for r in 0..<n { var s: Float = 0; for j in 0..<c { s += av.scalars[r * c + j] }; out[r] = s }
        return record(Tensor(shape: [n], scalars: out), inputs: [a]) { tape, g in
            var d = [Float](repeating: 0, count: n * c)
            for r in 0..<n { for j in 0..<c { d[r * c + j] = g[r] } }
            tape.accumulate(a, d)
        }
    }

    /// The mean of all elements, as a one-element node.
    public func mean(_ a: Variable) -> Variable {
        let av = values[a.index]
        let n = av.count
        return record(Tensor(shape: [1], scalars: [av.mean()]), inputs: [a]) { tape, g in
            tape.accumulate(a, [Float](repeating: g[0] / Float(n), count: n))
        }
    }

    /// The sum of all elements, as a one-element node.
    public func sum(_ a: Variable) -> Variable {
        let av = values[a.index]
        let n = av.count
        return record(Tensor(shape: [1], scalars: [av.sum()]), inputs: [a]) { tape, g in
            tape.accumulate(a, [Float](repeating: g[0], count: n))
        }
    }

    /// The log density of a standard normal for each row: `[batch, d]` → `[batch]`,
    /// `−½‖z‖² − (d/2)·log 2π`.
    public func standardNormalLogDensity(_ z: Variable) -> Variable {
        let zv = values[z.index]
        let n = zv.rows, d = zv.columns
        let constant = -0.5 * Float(d) * 1.8378770664093453
        var out = [Float](repeating: 0, count: n)
        zv.scalars.withUnsafeBufferPointer { zs in
            for r in 0..<n {
                var s: Float = 0
                for j in 0..<d { s += zs[r * d + j] * zs[r * d + j] }
                out[r] = constant - 0.5 * s
            }
        }
        return record(Tensor(shape: [n], scalars: out), inputs: [z]) { tape, g in
            var dz = [Float](repeating: 0, count: n * d)
            for r in 0..<n { for j in 0..<d { dz[r * d + j] = -g[r] * zv.scalars[r * d + j] } }
            tape.accumulate(z, dz)
        }
    }
}
