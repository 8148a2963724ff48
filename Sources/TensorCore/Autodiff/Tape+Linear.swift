extension Tape {
    /// A fully connected layer `y = x · W + b`.
    ///
    /// - Parameters:
    ///   - x: The input batch, `[batch, in]`.
    ///   - weight: The weights, `[in, out]`.
    ///   - bias: The bias, `[out]`, or `nil`.
    ///   - mask: An optional constant `[in, out]` mask multiplied into the weights (MADE).
    /// - Returns: `[batch, out]`.
    public func linear(_ x: Variable, weight: Variable, bias: Variable?, mask: Tensor? = nil) -> Variable {
        let xv = values[x.index], wv0 = values[weight.index]
        precondition(wv0.rank == 2 && xv.columns == wv0.shape[0],
                     "linear: input \(xv.shape) does not match weights \(wv0.shape)")
        let batch = xv.rows, nIn = wv0.shape[0], nOut = wv0.shape[1]
        let wv: Tensor = mask.map { wv0 * $0 } ?? wv0
        var out = [Float](repeating: 0, count: batch * nOut)
        out.withUnsafeMutableBufferPointer { o in
            if let b = bias {
                values[b.index].scalars.withUnsafeBufferPointer { bb in
                    for r in 0..<batch { for j in 0..<nOut { o[r * nOut + j] = bb[j] } }
                }
            }
            xv.scalars.withUnsafeBufferPointer { xs in
                wv.scalars.withUnsafeBufferPointer { ws in
                    BLAS.gemm(transA: false, transB: false, m: batch, n: nOut, k: nIn,
                              a: xs.baseAddress!, b: ws.baseAddress!, beta: bias == nil ? 0 : 1,
                              c: o.baseAddress!)
                }
            }
        }
        var inputs = [x, weight]
        if let b = bias { inputs.append(b) }
        return record(Tensor(shape: [batch, nOut], scalars: out), inputs: inputs) { tape, g in
            g.withUnsafeBufferPointer { gs in
                if tape.needsGradient(x) {
                    var dx = [Float](repeating: 0, count: batch * nIn)
                    wv.scalars.withUnsafeBufferPointer { ws in
                        dx.withUnsafeMutableBufferPointer { d in
                            BLAS.gemm(transA: false, transB: true, m: batch, n: nIn, k: nOut,
                                      a: gs.baseAddress!, b: ws.baseAddress!, c: d.baseAddress!)
                        }
                    }
                    tape.accumulate(x, dx)
                }
                if tape.needsGradient(weight) {
                    var dw = [Float](repeating: 0, count: nIn * nOut)
                    xv.scalars.withUnsafeBufferPointer { xs in
                        dw.withUnsafeMutableBufferPointer { d in
                            BLAS.gemm(transA: true, transB: false, m: nIn, n: nOut, k: batch,
                                      a: xs.baseAddress!, b: gs.baseAddress!, c: d.baseAddress!)
                            if let m = mask {
                                for k in 0..<d.count { d[k] *= m.scalars[k] }
                            }
                        }
                    }
                    tape.accumulate(weight, dw)
                }
                if let b = bias, tape.needsGradient(b) {
                    var db = [Float](repeating: 0, count: nOut)
                    for r in 0..<batch { for j in 0..<nOut { db[j] += gs[r * nOut + j] } }
                    tape.accumulate(b, db)
                }
            }
        }
    }

    /// The matrix product of two nodes, `[m, k] · [k, n]` → `[m, n]`.
    public func matmul(_ a: Variable, _ b: Variable) -> Variable {
        linear(a, weight: b, bias: nil)
    }
}
