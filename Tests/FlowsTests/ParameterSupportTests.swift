import Foundation
import Testing
import TensorCore
@testable import Flows

@Suite struct ParameterSupportTests {
    static let support = ParameterSupport(intervals: [1 ... 5, nil, 0.05 ... 0.5])

    @Test func logitMapInvertsAndItsJacobianMatchesFiniteDifferences() {
        var rng = RandomSource(seed: 1)
        let rows = 50
        var values = [Float]()
        for _ in 0 ..< rows {
            values += [Float(rng.nextUniform(in: 1.01, 4.99)), Float(rng.nextNormal() * 3), Float(rng.nextUniform(in: 0.051, 0.499))]
        }
        let theta = Tensor(shape: [rows, 3], scalars: values)
        let (u, logJacobian) = Self.support.unbounding(theta)
        let back = Self.support.bounding(u)
        for k in 0 ..< 3 * rows { #expect(abs(back.scalars[k] - theta.scalars[k]) <= 1e-5 * max(1, abs(theta.scalars[k]))) }
        // The unbounded parameter passes through unchanged.
        for r in 0 ..< rows { #expect(u[r, 1] == theta[r, 1]) }
        // log|du/dθ| of each bounded coordinate by central differences, in Double.
        for r in 0 ..< rows {
            var expected = 0.0
            for (j, interval) in [(0, 1.0 ... 5.0), (2, 0.05 ... 0.5)] {
                let x = Double(theta[r, j]), h = 1e-6
                func logit(_ v: Double) -> Double {
                    let p = (v - interval.lowerBound) / (interval.upperBound - interval.lowerBound)
                    return log(p / (1 - p))
                }
                expected += log(abs((logit(x + h) - logit(x - h)) / (2 * h)))
            }
            #expect(abs(Double(logJacobian[r]) - expected) < 1e-3, "row \(r)")
        }
    }

    @Test func valuesOutsideTheSupportAreFlaggedAndSamplesStayInside() {
        let theta = Tensor(shape: [3, 3], scalars: [0.5, 0, 0.1, 2, 0, 0.6, 1, 7, 0.05])
        let (_, logJacobian) = Self.support.unbounding(theta)
        #expect(logJacobian[0] == -.infinity && logJacobian[1] == -.infinity)
        #expect(logJacobian[2].isFinite, "values on a bound map to a finite logit")
        #expect(Self.support.firstViolation(in: theta)! == (0, 0, 0.5))
        let extreme = Self.support.bounding(Tensor(shape: [2, 3], scalars: [-80, 1, 80, 80, -1, -80]))
        for r in 0 ..< 2 {
            #expect((1 ... 5).contains(extreme[r, 0]) && (0.05 ... 0.5).contains(extreme[r, 2]))
        }
    }

    @Test func invalidSupportsAreRejected() throws {
        let arch = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2, embedding: .identity(features: 1))
        var wrongCount = arch
        wrongCount.parameterSupport = ParameterSupport(intervals: [0 ... 1])
        #expect(throws: FlowError.invalidArchitecture("parameterSupport has 1 entries for 2 parameters")) {
            try ConditionalFlow(architecture: wrongCount)
        }
        var empty = arch
        empty.parameterSupport = ParameterSupport(intervals: [2 ... 2, nil])
        #expect(throws: FlowError.self) { try ConditionalFlow(architecture: empty) }
        // Training values outside the support are named, not turned into an infinite loss.
        var bounded = arch
        bounded.parameterSupport = ParameterSupport(intervals: [0 ... 1, nil])
        let flow = try ConditionalFlow(architecture: bounded)
        let theta = Tensor(shape: [2, 2], scalars: [0.5, 3, 1.5, 3])
        #expect(throws: FlowError.self) { try flow.fitStandardization(parameters: theta, observations: Tensor(zeros: [2, 1])) }
        do {
            try flow.checkSupport(theta)
        } catch {
            #expect("\(error)".contains("row 1: parameter 0 is 1.5"))
        }
    }

    /// A bounded flow's density lives on (a, b), integrates to 1 there, is −∞ outside, and its
    /// samples stay inside; a support saved with the architecture comes back, and an architecture
    /// saved before supports existed decodes without one.
    @Test(arguments: flowCases)
    func boundedDensityIntegratesToOneOnTheInterval(_ c: FlowCase) throws {
        var arch = try c.makeFlow(features: 1).architecture
        arch.parameterSupport = ParameterSupport(intervals: [0.05 ... 0.5])
        let flow = try ConditionalFlow(architecture: arch)
        flow.parameterStandardization = Standardization(mean: [0.3], scale: [1.7])
        let observation = Tensor(shape: [1, 2], scalars: [0.4, -0.7])
        let n = 20_001
        let step = 0.45 / Double(n + 1)
        let grid = Tensor(shape: [n, 1], scalars: (1 ... n).map { Float(0.05 + Double($0) * step) })
        let density = try flow.logProbability(of: grid, given: observation).scalars.map { exp(Double($0)) }
        let integral = density.reduce(0, +) * step
        #expect(abs(integral - 1) < 1e-2, "∫ q = \(integral)")
        let outside = try flow.logProbability(of: Tensor(shape: [2, 1], scalars: [0.04, 0.51]), given: observation)
        #expect(outside.scalars.allSatisfy { $0 == -.infinity })
        var rng = RandomSource(seed: 3)
        let samples = try flow.sample(count: 5_000, given: observation, using: &rng)
        #expect(samples.scalars.allSatisfy { (0.05 ... 0.5).contains($0) })

        let decoded = try JSONDecoder().decode(FlowArchitecture.self, from: JSONEncoder().encode(arch))
        #expect(decoded == arch)
        var legacy = try JSONSerialization.jsonObject(with: JSONEncoder().encode(arch)) as! [String: Any]
        legacy.removeValue(forKey: "parameterSupport")
        let old = try JSONDecoder().decode(FlowArchitecture.self, from: JSONSerialization.data(withJSONObject: legacy))
        #expect(old.parameterSupport == nil)
    }
}
