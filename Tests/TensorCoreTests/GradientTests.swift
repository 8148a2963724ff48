import Testing
import TensorCore

/// Every tape operation against central finite differences.
@Suite struct GradientTests {
    static func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
        var rng = RandomSource(seed: seed)
        return Tensor(randomUniform: shape, low: low, high: high, using: &rng)
    }

    @Test func linearWithBias() {
        let err = GradientCheck.maximumError(inputs: [Self.random([4, 3], seed: 1), Self.random([3, 5], seed: 2),
                                                      Self.random([5], seed: 3)]) { t, v in
            t.linear(v[0], weight: v[1], bias: v[2])
        }
        #expect(err < 1e-2)
    }

    @Test func maskedLinearIgnoresMaskedWeights() {
        var mask = Tensor(zeros: [3, 4])
        for i in 0..<3 { for j in 0..<4 where (i + j) % 2 == 0 { mask[i, j] = 1 } }
        let err = GradientCheck.maximumError(inputs: [Self.random([2, 3], seed: 4), Self.random([3, 4], seed: 5)]) { t, v in
            t.linear(v[0], weight: v[1], bias: nil, mask: mask)
        }
        #expect(err < 1e-2)
        let tape = Tape()
        let x = tape.constant(Self.random([2, 3], seed: 4))
        let w = tape.variable(Self.random([3, 4], seed: 5))
        tape.backward(from: tape.sum(tape.linear(x, weight: w, bias: nil, mask: mask)))
        let g = tape.gradient(of: w)!
        for k in 0..<12 where mask.scalars[k] == 0 { #expect(g.scalars[k] == 0) }
    }

    @Test(arguments: Activation.allCases)
    func activation(_ kind: Activation) {
        // Avoid the kink of ReLU/ELU at 0 by keeping inputs away from it.
        var x = Self.random([3, 4], seed: 6, low: -2, high: 2)
        x = x.mapped { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        let err = GradientCheck.maximumError(inputs: [x], step: 1e-2) { t, v in t.activation(v[0], kind) }
        #expect(err < 2e-2)
    }

    @Test func elementwiseArithmetic() {
        let a = Self.random([3, 4], seed: 7), b = Self.random([3, 4], seed: 8), row = Self.random([4], seed: 9)
        #expect(GradientCheck.maximumError(inputs: [a, b]) { t, v in t.add(v[0], v[1]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a, row]) { t, v in t.add(v[0], v[1]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a, b]) { t, v in t.subtract(v[0], v[1]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a, b]) { t, v in t.multiply(v[0], v[1]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a, row]) { t, v in t.multiply(v[0], v[1]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.scaled(v[0], by: -3) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.exp(v[0]) } < 1e-2)
        let positive = Self.random([3, 4], seed: 10, low: 0.5, high: 2)
        #expect(GradientCheck.maximumError(inputs: [positive]) { t, v in t.log(v[0]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a, Self.random([3, 2], seed: 11)]) { t, v in
            t.concatenatedColumns(v[0], v[1])
        } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [Self.random([1, 4], seed: 12)]) { t, v in
            t.repeatingRow(v[0], count: 3)
        } < 1e-2)
    }

    @Test func reductions() {
        let a = Self.random([3, 4], seed: 13)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.sumAlongColumns(v[0]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.mean(v[0]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.sum(v[0]) } < 1e-2)
        #expect(GradientCheck.maximumError(inputs: [a]) { t, v in t.standardNormalLogDensity(v[0]) } < 1e-2)
    }

    @Test func gradientsAccumulateOverReuse() {
        // d/dx of x·x + x = 2x + 1 with x used three times.
        let tape = Tape()
        let x = tape.variable(Tensor(shape: [2], scalars: [1.5, -2]))
        let y = tape.sum(tape.add(tape.multiply(x, x), x))
        tape.backward(from: y)
        #expect(tape.gradient(of: x)!.scalars == [4, -3])
    }

    @Test func matmulMatchesNaiveProduct() {
        let a = Self.random([5, 7], seed: 14), b = Self.random([7, 3], seed: 15)
        let c = a.matmul(b)
        for i in 0..<5 { for j in 0..<3 {
            var s: Float = 0
            for k in 0..<7 { s += a[i, k] * b[k, j] }
            #expect(abs(c[i, j] - s) < 1e-5)
        } }
    }
}

@Suite struct LayerOperationGradientTests {
    @Test func layerNormalization() {
        let x = GradientTests.random([4, 5], seed: 20, low: -2, high: 2)
        let err = GradientCheck.maximumError(inputs: [x, GradientTests.random([5], seed: 21), GradientTests.random([5], seed: 22)]) { t, v in
            t.layerNormalized(v[0], scale: v[1], offset: v[2])
        }
        #expect(err < 2e-2)
    }

    @Test func batchNormalization() {
        let x = GradientTests.random([6, 3], seed: 23, low: -2, high: 2)
        let err = GradientCheck.maximumError(inputs: [x, GradientTests.random([3], seed: 24), GradientTests.random([3], seed: 25)]) { t, v in
            t.batchNormalized(v[0], scale: v[1], offset: v[2]).output
        }
        #expect(err < 2e-2)
    }

    @Test func dropoutInTrainingAndIdentityOtherwise() {
        let x = GradientTests.random([8, 6], seed: 26)
        let err = GradientCheck.maximumError(inputs: [x], makeTape: { Tape(isTraining: true, random: RandomSource(seed: 3)) }) { t, v in
            t.dropout(v[0], rate: 0.3)
        }
        #expect(err < 1e-2)
        let tape = Tape(isTraining: true, random: RandomSource(seed: 3))
        let y = tape.value(tape.dropout(tape.constant(x), rate: 0.5)).scalars
        #expect(y.contains(0) && y.contains { $0 != 0 })
        for (a, b) in zip(x.scalars, y) where b != 0 { #expect(abs(b - 2 * a) < 1e-6) }
        let eval = Tape()
        #expect(eval.value(eval.dropout(eval.constant(x), rate: 0.5)) == x)
    }

    @Test(arguments: [(3, 1), (4, 0), (5, 2)])
    func convolution(kernel: Int, padding: Int) {
        let x = GradientTests.random([2, 3, 9], seed: 27)
        let w = GradientTests.random([4, 3 * kernel], seed: 28), b = GradientTests.random([4], seed: 29)
        let err = GradientCheck.maximumError(inputs: [x, w, b]) { t, v in
            t.convolved1D(v[0], weight: v[1], bias: v[2], kernelSize: kernel, padding: padding)
        }
        #expect(err < 2e-2)
    }

    @Test func convolutionMatchesDirectSum() {
        let x = GradientTests.random([1, 2, 7], seed: 30), w = GradientTests.random([3, 2 * 3], seed: 31)
        let b = GradientTests.random([3], seed: 32)
        let t = Tape()
        let y = t.value(t.convolved1D(t.constant(x), weight: t.constant(w), bias: t.constant(b), kernelSize: 3, padding: 1))
        for o in 0..<3 { for i in 0..<7 {
            var s = b.scalars[o]
            for c in 0..<2 { for k in 0..<3 {
                let j = i + k - 1
                if j >= 0 && j < 7 { s += w.scalars[o * 6 + c * 3 + k] * x.scalars[c * 7 + j] }
            } }
            #expect(abs(y.scalars[o * 7 + i] - s) < 1e-5)
        } }
    }

    @Test func maxPooling() {
        let x = GradientTests.random([2, 3, 8], seed: 33)
        let err = GradientCheck.maximumError(inputs: [x], step: 1e-3) { t, v in t.maxPooled1D(v[0], size: 2) }
        #expect(err < 2e-2)
    }
}

@Suite struct FastMathTests {
    @Test func tanhAndExpMatchTheLibrary() {
        var worstTanh: Float = 0, worstExp: Float = 0
        for i in -40000...40000 {
            let x = Float(i) * 5e-4
            worstTanh = max(worstTanh, abs(FastMath.tanh(x) - Float.tanh(x)))
            let e = Float.exp(x * 4)
            worstExp = max(worstExp, abs(FastMath.exp(x * 4) - e) / e)
        }
        #expect(worstTanh < 2e-6)
        #expect(worstExp < 1e-6)
        #expect(FastMath.tanh(100) == 1 && FastMath.tanh(-100) == -1)
        #expect(FastMath.exp(-200) < 1e-37 && FastMath.exp(-200) >= 0)
    }
}
