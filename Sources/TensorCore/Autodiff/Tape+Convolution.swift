extension Tape {
    /// One-dimensional cross-correlation (stride 1) with zero padding, via im2col and sgemm.
    ///
    /// The im2col matrix of the whole batch is built at once, `[inChannels · kernelSize,
    /// batch · length']` (row `c·K + t`, column `s·length' + o` holds `x[s, c, o + t − padding]`),
    /// so that one matrix product gives every output, `[outChannels, batch · length']`; the
    /// backward pass likewise needs one product for the weight gradient and one for the input
    /// gradient, whatever the batch size.
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
        precondition(k >= 1 && padding >= 0, "convolved1D: kernel size \(k) and padding \(padding)")
        precondition(wv.shape[1] == cin * k, "convolved1D: weight \(wv.shape) for \(cin) channels × \(k) taps")
        precondition(bv.count == cout, "convolved1D: bias \(bv.shape) for \(cout) output channels")
        let lout = len + 2 * padding - k + 1
        precondition(lout >= 1, "convolved1D: output length would be \(lout)")
        let rowsCol = cin * k, columns = n * lout
        let geometry = ConvolutionGeometry(batch: n, inChannels: cin, length: len, kernelSize: k, padding: padding)

        // cols: [cin·k, n·lout]; every element is written (copied or zeroed).
        let cols = [Float](unsafeUninitializedCapacity: rowsCol * columns) { buffer, count in
            xv.scalars.withUnsafeBufferPointer { geometry.im2col(x: $0.baseAddress!, cols: buffer.baseAddress!) }
            count = rowsCol * columns
        }
        // yT = W · cols: [cout, n·lout], then y[s, c, o] = yT[c, s·lout + o] + b[c].
        var yT = [Float](unsafeUninitializedCapacity: cout * columns) { buffer, count in
            wv.scalars.withUnsafeBufferPointer { w in
                cols.withUnsafeBufferPointer { cl in
                    BLAS.gemm(transA: false, transB: false, m: cout, n: columns, k: rowsCol,
                              a: w.baseAddress!, b: cl.baseAddress!, c: buffer.baseAddress!)
                }
            }
            count = cout * columns
        }
        let y = [Float](unsafeUninitializedCapacity: n * cout * lout) { buffer, count in
            yT.withUnsafeMutableBufferPointer { src in
                bv.scalars.withUnsafeBufferPointer { b in
                    let dst = buffer.baseAddress!, source = src.baseAddress!
                    for s in 0..<n {
                        for c in 0..<cout {
                            let from = source + c * columns + s * lout, to = dst + (s * cout + c) * lout
                            let bc = b[c]
                            for o in 0..<lout { to[o] = from[o] + bc }
                        }
                    }
                }
            }
            count = n * cout * lout
        }
        yT = []
        return record(Tensor(shape: [n, cout, lout], scalars: y), inputs: [x, weight, bias]) { tape, g in
            // gT: [cout, n·lout], the output gradient with the channel axis first; db = row sums.
            var db = [Float](repeating: 0, count: cout)
            let gT = [Float](unsafeUninitializedCapacity: cout * columns) { buffer, count in
                g.withUnsafeBufferPointer { gg in
                    db.withUnsafeMutableBufferPointer { d in
                        let src = gg.baseAddress!, dst = buffer.baseAddress!
                        for s in 0..<n {
                            for c in 0..<cout {
                                let from = src + (s * cout + c) * lout, to = dst + c * columns + s * lout
                                var sum: Float = 0
                                for o in 0..<lout { to[o] = from[o]; sum += from[o] }
                                d[c] += sum
                            }
                        }
                    }
                }
                count = cout * columns
            }
            let needsInput = tape.needsGradient(x)
            var dw = [Float](repeating: 0, count: cout * rowsCol)
            gT.withUnsafeBufferPointer { gg in
                if tape.needsGradient(weight) {
                    // dW = gT · colsᵀ: [cout, cin·k].
                    cols.withUnsafeBufferPointer { cl in
                        dw.withUnsafeMutableBufferPointer { d in
                            BLAS.gemm(transA: false, transB: true, m: cout, n: rowsCol, k: columns,
                                      a: gg.baseAddress!, b: cl.baseAddress!, c: d.baseAddress!)
                        }
                    }
                }
                guard needsInput else { return }
                // dcols = Wᵀ · gT: [cin·k, n·lout], then col2im.
                var dcols = [Float](unsafeUninitializedCapacity: rowsCol * columns) { buffer, count in
                    wv.scalars.withUnsafeBufferPointer { w in
                        BLAS.gemm(transA: true, transB: false, m: rowsCol, n: columns, k: cout,
                                  a: w.baseAddress!, b: gg.baseAddress!, c: buffer.baseAddress!)
                    }
                    count = rowsCol * columns
                }
                var dx = [Float](repeating: 0, count: n * cin * len)
                dcols.withUnsafeMutableBufferPointer { dc in
                    dx.withUnsafeMutableBufferPointer { d in geometry.col2im(cols: dc.baseAddress!, x: d.baseAddress!) }
                }
                dcols = []
                tape.accumulate(x, dx)
            }
            tape.accumulate(weight, dw)
            tape.accumulate(bias, db)
        }
    }

    /// Non-overlapping max pooling along the last axis: `[batch, channels, length]` →
    /// `[batch, channels, length / size]` (a trailing remainder is dropped).
    public func maxPooled1D(_ x: Variable, size: Int) -> Variable {
        let xv = value(x)
        precondition(xv.rank == 3 && size >= 1, "maxPooled1D: input \(xv.shape), window \(size)")
        let n = xv.shape[0], c = xv.shape[1], len = xv.shape[2], lout = len / size
        let outputs = n * c * lout
        // arg: the position of each window's maximum in `x` (the first on ties).
        var arg = [Int32](repeating: 0, count: outputs)
        precondition(xv.count <= Int(Int32.max), "maxPooled1D: \(xv.count) elements")
        let y = [Float](unsafeUninitializedCapacity: outputs) { buffer, count in
            xv.scalars.withUnsafeBufferPointer { xs in
                arg.withUnsafeMutableBufferPointer { a in
                    let src = xs.baseAddress!, dst = buffer.baseAddress!, at = a.baseAddress!
                    for row in 0..<n * c {
                        let base = row * len, out = row * lout
                        if size == 2 {
                            // The common window, branch-free.
                            for o in 0..<lout {
                                let i = base + 2 * o
                                let a = src[i], b = src[i + 1], second = b > a
                                dst[out + o] = second ? b : a
                                at[out + o] = Int32(truncatingIfNeeded: second ? i + 1 : i)
                            }
                            continue
                        }
                        for o in 0..<lout {
                            var bi = base + o * size
                            var best = src[bi]
                            for i in (bi + 1)..<(bi + size) where src[i] > best { best = src[i]; bi = i }
                            dst[out + o] = best
                            at[out + o] = Int32(truncatingIfNeeded: bi)
                        }
                    }
                }
            }
            count = outputs
        }
        return record(Tensor(shape: [n, c, lout], scalars: y), inputs: [x]) { tape, g in
            var dx = [Float](repeating: 0, count: xv.count)
            dx.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gg in
                    arg.withUnsafeBufferPointer { a in
                        for j in 0..<outputs { d[Int(a[j])] += gg[j] }
                    }
                }
            }
            tape.accumulate(x, dx)
        }
    }
}

/// The index arithmetic of a stride-1, zero-padded 1-D convolution over a batch, shared by the
/// im2col gather of the forward pass and the col2im scatter of the backward pass.
///
/// The column matrix is `[inChannels · kernelSize, batch · length']`: row `c·K + t`, column
/// `s·length' + o` holds `x[s, c, o + t − padding]` (zero outside `0..<length`). For a fixed row
/// and sample the valid outputs `o` form one contiguous run, so both passes are plain strided
/// copies (or additions) with no per-element bounds test.
struct ConvolutionGeometry {
    let batch: Int, inChannels: Int, length: Int, kernelSize: Int, padding: Int
    var outputLength: Int { length + 2 * padding - kernelSize + 1 }

    /// The outputs `o` of tap `t` that read inside the signal: `0 ≤ o + t − padding < length`.
    @inline(__always)
    func validOutputs(tap t: Int) -> Range<Int> {
        let lower = Swift.min(Swift.max(0, padding - t), outputLength)
        let upper = Swift.max(lower, Swift.min(outputLength, length + padding - t))
        return lower..<upper
    }

    /// Writes every element of `cols` (`[inChannels · kernelSize, batch · length']`) from `x`
    /// (`[batch, inChannels, length]`).
    func im2col(x: UnsafePointer<Float>, cols: UnsafeMutablePointer<Float>) {
        let lout = outputLength, columns = batch * lout
        for c in 0..<inChannels {
            for t in 0..<kernelSize {
                let valid = validOutputs(tap: t), shift = t - padding
                let row = cols + (c * kernelSize + t) * columns
                for s in 0..<batch {
                    let dst = row + s * lout, signal = x + (s * inChannels + c) * length
                    if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                    if !valid.isEmpty {
                        (dst + valid.lowerBound).update(from: signal + (valid.lowerBound + shift), count: valid.count)
                    }
                    if valid.upperBound < lout { (dst + valid.upperBound).update(repeating: 0, count: lout - valid.upperBound) }
                }
            }
        }
    }

    /// Adds `cols` (`[inChannels · kernelSize, batch · length']`) back onto `x`
    /// (`[batch, inChannels, length]`), the adjoint of ``im2col(x:cols:)``.
    func col2im(cols: UnsafePointer<Float>, x: UnsafeMutablePointer<Float>) {
        let lout = outputLength, columns = batch * lout
        for c in 0..<inChannels {
            for t in 0..<kernelSize {
                let valid = validOutputs(tap: t), shift = t - padding
                let row = cols + (c * kernelSize + t) * columns
                for s in 0..<batch {
                    guard !valid.isEmpty else { continue }
                    let src = row + s * lout + valid.lowerBound
                    let dst = x + (s * inChannels + c) * length + (valid.lowerBound + shift)
                    for o in 0..<valid.count { dst[o] += src[o] }
                }
            }
        }
    }
}
