import Testing
import TensorCore

/// `convolved1D` and `maxPooled1D` (values and all gradients) against the direct formulas.
@Suite struct ConvolutionTests {
    /// Backpropagates the upstream gradient `upstream` (the shape of `y`) from `y`: the loss is
    /// `Σ y · upstream`.
    static func backward(from y: Variable, upstream: Tensor, on tape: Tape) {
        let yv = tape.value(y)
        let dot = zip(yv.scalars, upstream.scalars).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let loss = tape.record(Tensor(shape: [1], scalars: [dot]), inputs: [y]) { tape, g in
            tape.accumulate(y, upstream.scalars.map { $0 * g[0] })
        }
        tape.backward(from: loss)
    }

    /// The largest `|a − b| / (1 + |b|)`.
    static func worst(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
    }

    @Test(arguments: [
        // (batch, inChannels, outChannels, length, kernel, padding)
        (1, 1, 1, 1, 1, 0), (3, 2, 5, 7, 1, 0), (2, 3, 4, 9, 3, 0), (4, 1, 8, 20, 5, 2),
        (5, 8, 16, 12, 5, 2), (2, 3, 2, 6, 4, 3), (3, 2, 3, 5, 5, 0), (7, 4, 3, 11, 2, 1),
        // Long signals: the batch is split into several blocks of samples (a partial last one),
        // and one sample longer than a block.
        (3, 2, 3, 2000, 3, 1), (5, 1, 2, 1500, 5, 0), (2, 1, 2, 5000, 3, 1),
    ])
    func matchesDirectConvolution(shape: (Int, Int, Int, Int, Int, Int)) {
        let (n, cin, cout, len, k, p) = shape
        let lout = len + 2 * p - k + 1
        let seed = UInt64(n * 1000 + cin * 100 + k * 10 + p)
        let x = GradientTests.random([n, cin, len], seed: seed)
        let w = GradientTests.random([cout, cin * k], seed: seed + 1)
        let b = GradientTests.random([cout], seed: seed + 2)
        let upstream = GradientTests.random([n, cout, lout], seed: seed + 3)

        let tape = Tape()
        let (xv, wv, bv) = (tape.variable(x), tape.variable(w), tape.variable(b))
        let y = tape.convolved1D(xv, weight: wv, bias: bv, kernelSize: k, padding: p)
        #expect(tape.shape(y) == [n, cout, lout])
        Self.backward(from: y, upstream: upstream, on: tape)

        // y[s, o, i] = b[o] + Σ_{c, t} w[o, c·k + t] · x[s, c, i + t − p]; the gradients by the
        // chain rule on the same sum (accumulated in Double: the long signals sum thousands of terms).
        var yRef = [Double](repeating: 0, count: n * cout * lout)
        var dx = [Double](repeating: 0, count: n * cin * len)
        var dw = [Double](repeating: 0, count: cout * cin * k)
        var db = [Double](repeating: 0, count: cout)
        let xs = x.scalars.map(Double.init), ws = w.scalars.map(Double.init)
        for s in 0..<n { for o in 0..<cout { for i in 0..<lout {
            let g = Double(upstream.scalars[(s * cout + o) * lout + i])
            var sum = Double(b.scalars[o])
            db[o] += g
            for c in 0..<cin { for t in 0..<k {
                let j = i + t - p
                guard j >= 0 && j < len else { continue }
                let xi = (s * cin + c) * len + j, wi = o * cin * k + c * k + t
                sum += ws[wi] * xs[xi]
                dx[xi] += g * ws[wi]
                dw[wi] += g * xs[xi]
            } }
            yRef[(s * cout + o) * lout + i] = sum
        } } }
        #expect(Self.worst(tape.value(y).scalars, yRef) < 1e-5)
        #expect(Self.worst(tape.gradient(of: xv)!.scalars, dx) < 1e-5)
        // dW and db sum batch · length' terms in Float: allow rounding growing like √terms.
        let tolerance = max(1e-5, 1e-6 * Double(n * lout).squareRoot())
        #expect(Self.worst(tape.gradient(of: wv)!.scalars, dw) < tolerance)
        #expect(Self.worst(tape.gradient(of: bv)!.scalars, db) < tolerance)
    }

    @Test func constantInputGetsNoGradientButWeightsDo() {
        let x = GradientTests.random([3, 2, 10], seed: 40), w = GradientTests.random([4, 2 * 3], seed: 41)
        let tape = Tape()
        let input = tape.constant(x), weight = tape.variable(w)
        let y = tape.convolved1D(input, weight: weight, bias: tape.variable(GradientTests.random([4], seed: 42)),
                                 kernelSize: 3, padding: 1)
        Self.backward(from: y, upstream: GradientTests.random([3, 4, 10], seed: 43), on: tape)
        #expect(tape.gradient(of: input) == nil)
        #expect(tape.gradient(of: weight)!.scalars.contains { $0 != 0 })
    }

    @Test(arguments: [(2, 3, 9, 2), (1, 2, 8, 4), (3, 1, 7, 3), (2, 2, 5, 1)])
    func maxPoolingMatchesDirectMaximum(shape: (Int, Int, Int, Int)) {
        let (n, c, len, size) = shape
        let lout = len / size
        let x = GradientTests.random([n, c, len], seed: UInt64(50 + len))
        let upstream = GradientTests.random([n, c, lout], seed: UInt64(60 + len))
        let tape = Tape()
        let xv = tape.variable(x)
        let y = tape.maxPooled1D(xv, size: size)
        #expect(tape.shape(y) == [n, c, lout])
        Self.backward(from: y, upstream: upstream, on: tape)
        var yRef = [Float](repeating: 0, count: n * c * lout), dx = [Float](repeating: 0, count: n * c * len)
        for row in 0..<n * c { for o in 0..<lout {
            let window = (0..<size).map { row * len + o * size + $0 }
            let best = window.max { x.scalars[$0] < x.scalars[$1] }!
            yRef[row * lout + o] = x.scalars[best]
            dx[best] += upstream.scalars[row * lout + o]
        } }
        #expect(tape.value(y).scalars == yRef)
        #expect(tape.gradient(of: xv)!.scalars == dx)
    }
}
