/// Elementwise arithmetic, matrix products and reductions on plain tensors (no gradients).
/// For differentiable versions see ``Tape``.
extension Tensor {
    /// The matrix product `self · other` via OpenBLAS `cblas_sgemm`.
    /// - Parameter other: A `[k, n]` matrix; `self` is `[m, k]`.
    /// - Returns: The `[m, n]` product.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
                     "matmul: shapes \(shape) and \(other.shape) do not chain")
        let m = shape[0], k = shape[1], n = other.shape[1]
        var out = [Float](repeating: 0, count: m * n)
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transA: false, transB: false, m: m, n: n, k: k,
                              a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return Tensor(shape: [m, n], scalars: out)
    }

    /// Elementwise sum; `rhs` may also be a row vector `[columns]` broadcast over rows.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, +) }
    /// Elementwise difference; `rhs` may also be a row vector broadcast over rows.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, -) }
    /// Elementwise product; `rhs` may also be a row vector broadcast over rows.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, *) }
    /// Elementwise quotient; `rhs` may also be a row vector broadcast over rows.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, /) }
    /// Every element times a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 * rhs } }
    /// Every element plus a scalar.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 + rhs } }

    /// Applies `f` to every element.
    @inlinable
    public func mapped(_ f: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(f))
    }

    /// Combines elementwise with a tensor of the same shape or a row vector of `columns` elements
    /// (broadcast over the batch axis).
    @inlinable
    public func combined(with other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if other.count == count {
            var out = scalars
            other.scalars.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = f(o[i], b[i]) }
                }
            }
            return Tensor(shape: shape, scalars: out)
        }
        let c = columns
        precondition(other.count == c, "broadcast: shapes \(shape) and \(other.shape) are incompatible")
        var out = scalars
        other.scalars.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows { for j in 0..<c { o[r * c + j] = f(o[r * c + j], b[j]) } }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// The sum of all elements (accumulated in `Double`).
    public func sum() -> Float {
        var s = 0.0
        for v in scalars { s += Double(v) }
        return Float(s)
    }

    /// The mean of all elements.
    public func mean() -> Float { count == 0 ? .nan : sum() / Float(count) }

    /// Column means of a batch, `[rows, columns]` → `[columns]` (accumulated in `Double`).
    public func meanAlongBatch() -> Tensor {
        let c = columns, r = rows
        var acc = [Double](repeating: 0, count: c)
        for i in 0..<r { for j in 0..<c { acc[j] += Double(scalars[i * c + j]) } }
        return Tensor(shape: [c], scalars: acc.map { Float($0 / Double(max(r, 1))) })
    }

    /// Column standard deviations of a batch (unbiased, `n − 1`), `[rows, columns]` → `[columns]`.
    public func standardDeviationAlongBatch() -> Tensor {
        let c = columns, r = rows
        let m = meanAlongBatch().scalars
        var acc = [Double](repeating: 0, count: c)
        for i in 0..<r {
            for j in 0..<c {
                let d = Double(scalars[i * c + j]) - Double(m[j])
                acc[j] += d * d
            }
        }
        return Tensor(shape: [c], scalars: acc.map { Float(($0 / Double(max(r - 1, 1))).squareRoot()) })
    }

    /// Whether every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// Concatenates along the feature axis: `[n, a]` and `[n, b]` → `[n, a + b]`.
    public func concatenatedColumns(with other: Tensor) -> Tensor {
        precondition(rows == other.rows, "concatenatedColumns: row counts differ")
        let a = columns, b = other.columns
        var out = [Float](repeating: 0, count: rows * (a + b))
        for i in 0..<rows {
            for j in 0..<a { out[i * (a + b) + j] = scalars[i * a + j] }
            for j in 0..<b { out[i * (a + b) + a + j] = other.scalars[i * b + j] }
        }
        return Tensor(shape: [rows, a + b], scalars: out)
    }
}
