extension Tape {
    /// One-dimensional cross-correlation (stride 1) with zero padding, via im2col and sgemm.
    ///
    /// The batch is processed in blocks of samples (about ``ConvolutionGeometry/blockColumns``
    /// output positions each). For a block the im2col matrix is `[inChannels · kernelSize,
    /// samples · length']` (row `c·K + t`, column `s·length' + o` holds `x[s, c, o + t − padding]`),
    /// so one sgemm gives the block's outputs `[outChannels, samples · length']`; the backward
    /// pass rebuilds the block's im2col matrix (a few contiguous copies) and needs one sgemm for
    /// the weight gradient and one for the input gradient. The buffers are block-sized and stay
    /// in cache, and nothing batch-sized besides the output is kept on the tape.
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
        let geometry = ConvolutionGeometry(batch: n, inChannels: cin, length: len, kernelSize: k, padding: padding)
        let rowsCol = geometry.columnRows, blockSamples = geometry.blockSamples
        let blockCapacity = blockSamples * lout

        let y = [Float](unsafeUninitializedCapacity: n * cout * lout) { buffer, count in
            let cols = UnsafeMutablePointer<Float>.allocate(capacity: rowsCol * blockCapacity)
            let yT = UnsafeMutablePointer<Float>.allocate(capacity: cout * blockCapacity)
            defer { cols.deallocate(); yT.deallocate() }
            xv.scalars.withUnsafeBufferPointer { xs in
                wv.scalars.withUnsafeBufferPointer { w in
                    bv.scalars.withUnsafeBufferPointer { b in
                        let dst = buffer.baseAddress!
                        for first in stride(from: 0, to: n, by: blockSamples) {
                            let samples = first..<Swift.min(n, first + blockSamples)
                            let columns = samples.count * lout
                            geometry.im2col(x: xs.baseAddress!, samples: samples, cols: cols)
                            // yT = W · cols: [cout, samples·lout].
                            BLAS.gemm(transA: false, transB: false, m: cout, n: columns, k: rowsCol,
                                      a: w.baseAddress!, b: cols, c: yT)
                            // y[s, c, o] = yT[c, (s − first)·lout + o] + b[c].
                            for s in samples {
                                for c in 0..<cout {
                                    let from = yT + c * columns + (s - first) * lout, to = dst + (s * cout + c) * lout
                                    let bc = b[c]
                                    for o in 0..<lout { to[o] = from[o] + bc }
                                }
                            }
                        }
                    }
                }
            }
            count = n * cout * lout
        }
        return record(Tensor(shape: [n, cout, lout], scalars: y), inputs: [x, weight, bias]) { tape, g in
            let needsInput = tape.needsGradient(x), needsWeight = tape.needsGradient(weight)
            var db = [Float](repeating: 0, count: cout)
            var dw = [Float](repeating: 0, count: needsWeight ? cout * rowsCol : 0)
            var dx = [Float](repeating: 0, count: needsInput ? n * cin * len : 0)
            let gT = UnsafeMutablePointer<Float>.allocate(capacity: cout * blockCapacity)
            let cols = UnsafeMutablePointer<Float>.allocate(capacity: needsWeight ? rowsCol * blockCapacity : 0)
            let dcols = UnsafeMutablePointer<Float>.allocate(capacity: needsInput ? rowsCol * blockCapacity : 0)
            defer { gT.deallocate(); cols.deallocate(); dcols.deallocate() }
            g.withUnsafeBufferPointer { gg in
            xv.scalars.withUnsafeBufferPointer { xs in
            wv.scalars.withUnsafeBufferPointer { w in
            db.withUnsafeMutableBufferPointer { dbb in
            dw.withUnsafeMutableBufferPointer { dww in
            dx.withUnsafeMutableBufferPointer { dxx in
                let src = gg.baseAddress!, dbp = dbb.baseAddress!
                for first in stride(from: 0, to: n, by: blockSamples) {
                    let samples = first..<Swift.min(n, first + blockSamples)
                    let columns = samples.count * lout
                    // gT: [cout, samples·lout], the block's output gradient channel-first; db = its row sums.
                    for s in samples {
                        for c in 0..<cout {
                            let from = src + (s * cout + c) * lout, to = gT + c * columns + (s - first) * lout
                            var sum: Float = 0
                            for o in 0..<lout { let v = from[o]; to[o] = v; sum += v }
                            dbp[c] += sum
                        }
                    }
                    if needsWeight {
                        // dW += gT · colsᵀ: [cout, cin·k].
                        geometry.im2col(x: xs.baseAddress!, samples: samples, cols: cols)
                        BLAS.gemm(transA: false, transB: true, m: cout, n: rowsCol, k: columns,
                                  a: gT, b: cols, beta: 1, c: dww.baseAddress!)
                    }
                    if needsInput {
                        // dcols = Wᵀ · gT: [cin·k, samples·lout], then added back onto dx.
                        BLAS.gemm(transA: true, transB: false, m: rowsCol, n: columns, k: cout,
                                  a: w.baseAddress!, b: gT, c: dcols)
                        geometry.col2im(cols: dcols, samples: samples, x: dxx.baseAddress!)
                    }
                }
            } } } } } }
            if needsInput { tape.accumulate(x, dx) }
            if needsWeight { tape.accumulate(weight, dw) }
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
/// The column matrix of a block of samples `first..<last` is `[inChannels · kernelSize,
/// (last − first) · length']`: row `c·K + t`, column `(s − first)·length' + o` holds
/// `x[s, c, o + t − padding]` (zero outside `0..<length`). For a fixed row and sample the valid
/// outputs `o` form one contiguous run, so both passes are plain copies (or additions) with no
/// per-element bounds test.
struct ConvolutionGeometry {
    let batch: Int, inChannels: Int, length: Int, kernelSize: Int, padding: Int

    /// Output positions per block: large enough for efficient sgemm calls, small enough that a
    /// block's column matrix (`inChannels · kernelSize` rows) stays in the L2 cache.
    static let blockColumns = 4096

    /// The output length.
    var outputLength: Int { length + 2 * padding - kernelSize + 1 }
    /// Rows of the column matrix.
    var columnRows: Int { inChannels * kernelSize }
    /// Samples per block (at least one).
    var blockSamples: Int { Swift.max(1, Swift.min(batch, Self.blockColumns / Swift.max(outputLength, 1))) }

    /// The outputs `o` of tap `t` that read inside the signal: `0 ≤ o + t − padding < length`.
    @inline(__always)
    func validOutputs(tap t: Int) -> Range<Int> {
        let lower = Swift.min(Swift.max(0, padding - t), outputLength)
        let upper = Swift.max(lower, Swift.min(outputLength, length + padding - t))
        return lower..<upper
    }

    /// Writes every element of the column matrix of `samples` (`[inChannels · kernelSize,
    /// samples.count · length']`) from `x` (`[batch, inChannels, length]`).
    func im2col(x: UnsafePointer<Float>, samples: Range<Int>, cols: UnsafeMutablePointer<Float>) {
        let lout = outputLength, columns = samples.count * lout
        for c in 0..<inChannels {
            for t in 0..<kernelSize {
                let valid = validOutputs(tap: t), shift = t - padding
                let row = cols + (c * kernelSize + t) * columns
                for s in samples {
                    let dst = row + (s - samples.lowerBound) * lout, signal = x + (s * inChannels + c) * length
                    if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                    if !valid.isEmpty {
                        (dst + valid.lowerBound).update(from: signal + (valid.lowerBound + shift), count: valid.count)
                    }
                    if valid.upperBound < lout { (dst + valid.upperBound).update(repeating: 0, count: lout - valid.upperBound) }
                }
            }
        }
    }

    /// Adds the column matrix of `samples` back onto `x` (`[batch, inChannels, length]`), the
    /// adjoint of ``im2col(x:samples:cols:)``.
    func col2im(cols: UnsafePointer<Float>, samples: Range<Int>, x: UnsafeMutablePointer<Float>) {
        let lout = outputLength, columns = samples.count * lout
        for c in 0..<inChannels {
            for t in 0..<kernelSize {
                let valid = validOutputs(tap: t), shift = t - padding
                guard !valid.isEmpty else { continue }
                let row = cols + (c * kernelSize + t) * columns
                for s in samples {
                    let src = row + (s - samples.lowerBound) * lout + valid.lowerBound
                    let dst = x + (s * inChannels + c) * length + (valid.lowerBound + shift)
                    for o in 0..<valid.count { dst[o] += src[o] }
                }
            }
        }
    }
}
