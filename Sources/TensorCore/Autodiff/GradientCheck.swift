/// Compares tape gradients with central finite differences; used by the test suites and
/// available for checking custom layers.
public enum GradientCheck {
    /// The largest discrepancy between the tape's gradient and a central finite difference,
    /// over every element of every input.
    ///
    /// The function's output (any shape) is reduced to a scalar with fixed pseudo-random weights,
    /// so every output element is checked.
    ///
    /// - Parameters:
    ///   - inputs: The input values.
    ///   - step: The finite-difference step.
    ///   - makeTape: Creates each tape (pass a seeded training tape to check dropout).
    ///   - function: Builds the output from the input nodes on a tape.
    /// - Returns: max over elements of `|analytic − numeric| / max(1, |numeric|)`.
    public static func maximumError(
        inputs: [Tensor], step: Float = 1e-2, makeTape: () -> Tape = { Tape() },
        function: (Tape, [Variable]) -> Variable
    ) -> Float {
        func weights(_ n: Int) -> Tensor {
            var rng = RandomSource(seed: 99)
            return Tensor(randomUniform: [n], low: 0.5, high: 1.5, using: &rng)
        }
        func evaluate(_ xs: [Tensor]) -> Double {
            let tape = makeTape()
            let out = tape.value(function(tape, xs.map { tape.constant($0) }))
            let w = weights(out.count)
            var s = 0.0
            for i in 0..<out.count { s += Double(out.scalars[i]) * Double(w.scalars[i]) }
            return s
        }
        let tape = makeTape()
        let vars = inputs.map { tape.variable($0) }
        let out = function(tape, vars)
        let n = tape.value(out).count
        let w = tape.constant(weights(n))
        let loss = tape.sum(tape.multiply(tape.reshaped(out, to: [n]), w))
        tape.backward(from: loss)
        var worst: Float = 0
        for (k, x) in inputs.enumerated() {
            let analytic = tape.gradient(of: vars[k])?.scalars ?? [Float](repeating: 0, count: x.count)
            for i in 0..<x.count {
                var plus = inputs, minus = inputs
                plus[k].scalars[i] += step
                minus[k].scalars[i] -= step
                let numeric = Float((evaluate(plus) - evaluate(minus)) / (2 * Double(step)))
                let err = abs(analytic[i] - numeric) / max(1, abs(numeric))
                worst = max(worst, err)
            }
        }
        return worst
    }
}
