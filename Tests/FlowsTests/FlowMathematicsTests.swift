import Foundation
import Testing
import TensorCore
@testable import Flows

/// The flows under test: every transform family with every mixing layer it supports.
let flowCases: [FlowCase] = [
    FlowCase(kind: .maskedAutoregressive, mixing: .reversePermutation),
    FlowCase(kind: .maskedAutoregressive, mixing: .randomPermutation),
    FlowCase(kind: .maskedAutoregressive, mixing: .luLinear),
    FlowCase(kind: .neuralSpline, mixing: .reversePermutation),
    FlowCase(kind: .neuralSpline, mixing: .luLinear),
]

struct FlowCase: CustomTestStringConvertible, Sendable {
    var kind: FlowArchitecture.Kind
    var mixing: FlowArchitecture.Mixing
    var testDescription: String { "\(kind)/\(mixing)" }

    /// A small flow with an MLP embedding and a non-trivial z-scoring.
    func makeFlow(features: Int, observationFeatures: Int = 2, transforms: Int = 3, seed: UInt64 = 1) throws -> ConditionalFlow {
        let arch = FlowArchitecture(
            kind: kind, parameterFeatures: features,
            embedding: .mlp(inputFeatures: observationFeatures, hidden: [8], outputFeatures: 4, activation: .tanh),
            transformCount: transforms, hiddenFeatures: 16, mixing: mixing, seed: seed)
        let flow = try ConditionalFlow(architecture: arch)
        flow.parameterStandardization = Standardization(
            mean: (0..<features).map { Float($0) * 0.3 }, scale: (0..<features).map { 0.8 + Float($0) * 0.2 })
        return flow
    }
}

func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = RandomSource(seed: seed)
    return Tensor(randomNormal: shape, using: &rng) * scale
}

@Suite struct FlowMathematicsTests {
    @Test(arguments: flowCases)
    func inverseUndoesForward(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 3)
        let theta = randomTensor([16, 3], seed: 2, scale: 1.5)
        let x = randomTensor([16, 2], seed: 3)
        let (z, _) = try flow.forward(theta, given: x)
        let back = try flow.inverse(z, given: x)
        let err = zip(back.scalars, theta.scalars).map { abs($0 - $1) }.max()!
        #expect(err < 1e-3)
    }

    @Test(arguments: flowCases)
    func logDeterminantMatchesNumericalJacobian(_ c: FlowCase) throws {
        let d = 3
        let flow = try c.makeFlow(features: d)
        let theta = randomTensor([4, d], seed: 4)
        let x = randomTensor([4, 2], seed: 5)
        let (_, logDet) = try flow.forward(theta, given: x)
        let h: Float = 1e-3
        for r in 0..<4 {
            let xr = x.slicingRows(r..<r + 1)
            var jac = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
            for j in 0..<d {
                var plus = theta.slicingRows(r..<r + 1), minus = plus
                plus.scalars[j] += h
                minus.scalars[j] -= h
                let zp = try flow.forward(plus, given: xr).z.scalars
                let zm = try flow.forward(minus, given: xr).z.scalars
                for i in 0..<d { jac[i][j] = Double(zp[i] - zm[i]) / Double(2 * h) }
            }
            let numeric = log(abs(determinant3(jac)))
            #expect(abs(numeric - Double(logDet.scalars[r])) < 1e-2, "row \(r)")
        }
    }

    @Test(arguments: flowCases)
    func densityIntegratesToOneIn1D(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 1)
        let observation = Tensor(shape: [1, 2], scalars: [0.4, -0.7])
        let (low, high, n): (Float, Float, Int) = (-12, 12, 4001)
        let step = (high - low) / Float(n - 1)
        let grid = Tensor(shape: [n, 1], scalars: (0..<n).map { low + Float($0) * step })
        let density = try flow.logProbability(of: grid, given: observation).scalars.map { Double(exp($0)) }
        var integral = 0.0
        for i in 0..<n { integral += density[i] * ((i == 0 || i == n - 1) ? 0.5 : 1) * Double(step) }
        // Mass outside the grid, estimated by sampling.
        var rng = RandomSource(seed: 6)
        let samples = try flow.sample(count: 20_000, given: observation, using: &rng).scalars
        let outside = Double(samples.filter { $0 < low || $0 > high }.count) / 20_000
        #expect(abs(integral + outside - 1) < 1e-2)
    }

    @Test(arguments: flowCases)
    func densityIntegratesToOneIn2D(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 2)
        let observation = Tensor(shape: [1, 2], scalars: [-0.3, 0.9])
        let (low, high, n): (Float, Float, Int) = (-10, 10, 201)
        let step = (high - low) / Float(n - 1)
        var points = [Float]()
        for i in 0..<n { for j in 0..<n { points += [low + Float(i) * step, low + Float(j) * step] } }
        let lp = try flow.logProbability(of: Tensor(shape: [n * n, 2], scalars: points), given: observation)
        var integral = 0.0
        for i in 0..<n { for j in 0..<n {
            let w = ((i == 0 || i == n - 1) ? 0.5 : 1) * ((j == 0 || j == n - 1) ? 0.5 : 1)
            integral += w * Double(exp(lp.scalars[i * n + j]))
        } }
        integral *= Double(step * step)
        var rng = RandomSource(seed: 7)
        let s = try flow.sample(count: 20_000, given: observation, using: &rng)
        var outside = 0
        for r in 0..<s.rows where s[r, 0] < low || s[r, 0] > high || s[r, 1] < low || s[r, 1] > high { outside += 1 }
        #expect(abs(integral + Double(outside) / 20_000 - 1) < 2e-2)
    }

    @Test(arguments: flowCases)
    func lossGradientMatchesFiniteDifferences(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 2)
        let theta = randomTensor([8, 2], seed: 8)
        let x = randomTensor([8, 2], seed: 9)
        flow.parameters.zeroGradients()
        try flow.lossAndGradients(of: theta, given: x)
        var worst: Float = 0
        for p in flow.parameters {
            // A few entries of every parameter tensor (masked-out MADE weights have zero gradient
            // and no effect, which the check covers too).
            for k in stride(from: 0, to: p.count, by: max(1, p.count / 4)) {
                let original = p.value.scalars[k]
                let h: Float = 1e-2
                p.value.scalars[k] = original + h
                let lp = try flow.loss(of: theta, given: x)
                p.value.scalars[k] = original - h
                let lm = try flow.loss(of: theta, given: x)
                p.value.scalars[k] = original
                let numeric = (lp - lm) / (2 * h)
                worst = max(worst, abs(numeric - p.gradient.scalars[k]) / max(1, abs(numeric)))
            }
        }
        #expect(worst < 2e-2)
    }

    @Test(arguments: flowCases)
    func trainingLearnsConditionalGaussian(_ c: FlowCase) throws {
        // θ ~ N(0, I₂), x = θ + 0.3 ε: the posterior is N(x / 1.09, 0.09/1.09 · I).
        var rng = RandomSource(seed: 10)
        let n = 1000
        let theta = Tensor(randomNormal: [n, 2], using: &rng)
        let x = theta + Tensor(randomNormal: [n, 2], using: &rng) * 0.3
        let flow = try c.makeFlow(features: 2)
        try flow.fitStandardization(parameters: theta, observations: x)
        let adam = Adam(parameters: flow.parameters, learningRate: 3e-3)
        let before = try flow.loss(of: theta, given: x)
        for step in 0..<300 {
            let rows = (0..<100).map { (step * 100 + $0 * 7) % n }
            flow.parameters.zeroGradients()
            try flow.lossAndGradients(of: theta.gatheringRows(rows), given: x.gatheringRows(rows))
            flow.parameters.clipGradientNorm(to: 5)
            adam.step()
        }
        let after = try flow.loss(of: theta, given: x)
        // The analytic posterior's expected negative log density is 0.34 nats.
        #expect(after < before - 1)
        #expect(after < 0.9)
        let observed = Tensor(shape: [2], scalars: [1.0, -0.5])
        var srng = RandomSource(seed: 11)
        let s = try flow.sample(count: 4000, given: observed, using: &srng)
        let mean = s.meanAlongBatch().scalars
        // Within one posterior standard deviation (0.29) after this short run.
        #expect(abs(mean[0] - 1.0 / 1.09) < 0.25)
        #expect(abs(mean[1] + 0.5 / 1.09) < 0.25)
    }
}

/// The determinant of a 3×3 matrix.
func determinant3(_ m: [[Double]]) -> Double {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}
