extension Tape {
    /// One-dimensional cross-correlation (stride 1) with zero padding, via im2col and sgemm.
    ///
    /// - Parameters:
    ///   - x: `[batch, inChannels, length]`.
    ///   - weight: `[outChannels, inChannels · kernelSize]` (kernel taps fastest).
    ///   - bias: `[outChannels]`.
    ///   - kernelSize: Taps `K`.
    ///   - padding: Zeros added on each side (`(K − 1)/2` keeps the length for odd `K`).
    /// - Returns: `[batch, outChannels, length + 2·padding − K + 1]`.
    public func convolved1D(_ x: Variable, weight: Variable, bias: Variable, kernelSize: Int, padding: Int) -> Variable {
        let xv = value(x), wv = value(weight), bv = value(bias)
        precondition(xv.rank == 3, "convolved1D: input must be [batch, channels, length], got \(xv.shape)")
        let n = xv.shape[0], cin = xv.shape[1], len = xv.shape[2], k = kernelSize
        let cout = wv.shape[0]
        precondition(wv.shape[1] == cin * k, "convolved1D: weight \(wv.shape) for \(cin) channels × \(k) taps")
        let lout = len + 2 * padding - k + 1
        precondition(lout >= 1, "convolved1D: output length would be \(lout)")
        // cols: per sample [cin·k, lout]
        let rowsCol = cin * k
        var cols = [Float](repeating: 0, count: n * rowsCol * lout)
        for s in 0..<n { for c in 0..<cin { for t in 0..<k { for o in 0..<lout {
            let i = o + t - padding
            if i >= 0 && i < len { cols[s * rowsCol * lout + (c * k + t) * lout + o] = xv.scalars[(s * cin + c) * len + i] }
        } } } }
        var y = [Float](repeating: 0, count: n * cout * lout)
        for s in 0..<n { for c in 0..<cout { for o in 0..<lout { y[(s * cout + c) * lout + o] = bv.scalars[c] } } }
        wv.scalars.withUnsafeBufferPointer { w in
            cols.withUnsafeBufferPointer { cl in
                y.withUnsafeMutableBufferPointer { yy in
                    for s in 0..<n {
                        BLAS.gemm(transA: false, transB: false, m: cout, n: lout, k: rowsCol,
                                  a: w.baseAddress!, b: cl.baseAddress! + s * rowsCol * lout, beta: 1,
                                  c: yy.baseAddress! + s * cout * lout)
                    }
                }
            }
        }
        return record(Tensor(shape: [n, cout, lout], scalars: y), inputs: [x, weight, bias]) { tape, g in
            var dw = [Float](repeating: 0, count: cout * rowsCol)
            var db = [Float](repeating: 0, count: cout)
            var dcols = [Float](repeating: 0, count: rowsCol * lout)
            var dx = [Float](repeating: 0, count: tape.needsGradient(x) ? n * cin * len : 0)
            for s in 0..<n { for c in 0..<cout { for o in 0..<lout { db[c] += g[(s * cout + c) * lout + o] } } }
            g.withUnsafeBufferPointer { gg in
                cols.withUnsafeBufferPointer { cl in
                    wv.scalars.withUnsafeBufferPointer { w in
                        for s in 0..<n {
                            dw.withUnsafeMutableBufferPointer { d in
                                BLAS.gemm(transA: false, transB: true, m: cout, n: rowsCol, k: lout,
                                          a: gg.baseAddress! + s * cout * lout, b: cl.baseAddress! + s * rowsCol * lout,
                                          beta: 1, c: d.baseAddress!)
                            }
                            guard !dx.isEmpty else { continue }
                            dcols.withUnsafeMutableBufferPointer { d in
                                BLAS.gemm(transA: true, transB: false, m: rowsCol, n: lout, k: cout,
                                          a: w.baseAddress!, b: gg.baseAddress! + s * cout * lout, c: d.baseAddress!)
                            }
                            for c in 0..<cin { for t in 0..<k { for o in 0..<lout {
                                let i = o + t - padding
                                if i >= 0 && i < len { dx[(s * cin + c) * len + i] += dcols[(c * k + t) * lout + o] }
                            } } }
                        }
                    }
                }
            }
            if !dx.isEmpty { tape.accumulate(x, dx) }
            tape.accumulate(weight, dw)
            tape.accumulate(bias, db)
        }
    }

    /// Non-overlapping max pooling along the last axis: `[batch, channels, length]` →
    /// `[batch, channels, length / size]` (a trailing remainder is dropped).
    public func maxPooled1D(_ x: Variable, size: Int) -> Variable {
        let xv = value(x)
        let n = xv.shape[0], c = xv.shape[1], len = xv.shape[2], lout = len / size
        var y = [Float](repeating: 0, count: n * c * lout)
        var arg = [Int](repeating: 0, count: n * c * lout)
        for s in 0..<n * c { for o in 0..<lout {
            var best = -Float.infinity, bi = 0
            for t in 0..<size {
                let i = s * len + o * size + t
                if xv.scalars[i] > best { best = xv.scalars[i]; bi = i }
            }
            y[s * lout + o] = best
            arg[s * lout + o] = bi
        } }
        return record(Tensor(shape: [n, c, lout], scalars: y), inputs: [x]) { tape, g in
            var dx = [Float](repeating: 0, count: xv.count)
            for k in 0..<g.count { dx[arg[k]] += g[k] }
            tape.accumulate(x, dx)
        }
    }
}
