import TensorCore

extension MADE {
    /// Masked weights and scratch buffers for repeated gradient-free evaluations (sampling
    /// makes one pass per feature).
    final class InferencePlan {
        let inputWeight: [Float]      // [d, h], masked
        let hiddenWeights: [[Float]]  // [h, h], masked
        let hiddenBiases: [[Float]]
        let outputWeight: [Float]     // [h, d·p], masked
        let outputBias: [Float]
        let contextTerm: [Float]      // [rows, h]
        let contextRows: Int
        let activation: Activation
        let d: Int, h: Int, p: Int
        var a: [Float] = [], b: [Float] = []

        init(_ made: MADE, context: Tensor?) {
            inputWeight = made.inputLayer.effectiveWeight.scalars
            hiddenWeights = made.hiddenLayers.map { $0.effectiveWeight.scalars }
            hiddenBiases = made.hiddenLayers.map { $0.bias!.value.scalars }
            outputWeight = made.outputLayer.effectiveWeight.scalars
            outputBias = made.outputLayer.bias!.value.scalars
            let term = made.contextTerm(context)
            contextTerm = term.scalars
            contextRows = term.rows
            activation = made.activation
            d = made.featureCount
            h = made.inputLayer.outputCount
            p = made.parametersPerFeature
        }

        /// The `p` outputs of feature `i` for `n` rows of `x` (`[n, d]`), into `out` (`[n, p]`).
        /// Context rows are shared when the plan has one context row.
        func evaluate(feature i: Int, x: UnsafePointer<Float>, rows n: Int, into out: UnsafeMutablePointer<Float>) {
            if a.count < n * h { a = [Float](repeating: 0, count: n * h); b = a }
            let h = h, d = d, p = p
            a.withUnsafeMutableBufferPointer { ab in
                b.withUnsafeMutableBufferPointer { bb in
                    var cur = ab.baseAddress!, other = bb.baseAddress!
                    contextTerm.withUnsafeBufferPointer { ct in
                        if contextRows == 1 {
                            for r in 0..<n { (cur + r * h).update(from: ct.baseAddress!, count: h) }
                        } else {
                            cur.update(from: ct.baseAddress!, count: n * h)
                        }
                    }
                    inputWeight.withUnsafeBufferPointer { w in
                        BLAS.gemm(transA: false, transB: false, m: n, n: h, k: d, a: x, lda: d, b: w.baseAddress!, ldb: h,
                                  beta: 1, c: cur, ldc: h)
                    }
                    Tape.applyActivation(activation, UnsafeMutableBufferPointer(start: cur, count: n * h))
                    for (k, w) in hiddenWeights.enumerated() {
                        hiddenBiases[k].withUnsafeBufferPointer { bias in
                            for r in 0..<n { (other + r * h).update(from: bias.baseAddress!, count: h) }
                        }
                        w.withUnsafeBufferPointer { wb in
                            BLAS.gemm(transA: false, transB: false, m: n, n: h, k: h, a: cur, lda: h, b: wb.baseAddress!,
                                      ldb: h, beta: 1, c: other, ldc: h)
                        }
                        Tape.applyActivation(activation, UnsafeMutableBufferPointer(start: other, count: n * h))
                        swap(&cur, &other)
                    }
                    outputBias.withUnsafeBufferPointer { bias in
                        for r in 0..<n { (out + r * p).update(from: bias.baseAddress! + i * p, count: p) }
                    }
                    outputWeight.withUnsafeBufferPointer { w in
                        BLAS.gemm(transA: false, transB: false, m: n, n: p, k: h, a: cur, lda: h,
                                  b: w.baseAddress! + i * p, ldb: d * p, beta: 1, c: out, ldc: p)
                    }
                }
            }
        }

        /// Runs the autoregressive inversion: for each feature in order, computes its
        /// parameters from the features already inverted and calls `invert(i, params, n)` to
        /// fill column `i` of `x`. With one shared context row, feature 0's parameters (which
        /// depend on the context only) are computed once.
        func invert(rows n: Int, x: inout [Float],
                    _ invert: (_ feature: Int, _ params: UnsafePointer<Float>, _ shared: Bool, _ x: UnsafeMutablePointer<Float>) -> Void) {
            var params = [Float](repeating: 0, count: n * p)
            x.withUnsafeMutableBufferPointer { xb in
                params.withUnsafeMutableBufferPointer { pb in
                    for i in 0..<d {
                        let shared = i == 0 && contextRows == 1
                        evaluate(feature: i, x: xb.baseAddress!, rows: shared ? 1 : n, into: pb.baseAddress!)
                        invert(i, pb.baseAddress!, shared, xb.baseAddress!)
                    }
                }
            }
        }
    }
}
