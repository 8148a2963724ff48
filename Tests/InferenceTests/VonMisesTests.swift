import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct VonMisesTests {
    /// log I₀ against SciPy (`log(i0e(κ)) + κ`), across the two approximations and far past
    /// where I₀ overflows.
    @Test func logBesselI0MatchesReferenceValues() {
        let reference: [(Double, Double)] = [
            (0, 0), (0.5, 0.06154971918548119), (1, 0.23591435850717868), (3.75, 2.210354211972019),
            (3.76, 2.2188881414282653), (10, 7.942972083118695), (100, 96.77973268994258),
            (700, 695.8056999984434), (5000, 4994.822489873588),
        ]
        for (kappa, expected) in reference {
            #expect(abs(VonMises.logBesselI0(kappa) - expected) < 3e-7 * max(1, abs(expected)), "κ = \(kappa)")
        }
        #expect(VonMises.logBesselI0(-1).isNaN)
    }

    /// The density integrates to 1, and samples have the mean resultant length I₁(κ)/I₀(κ)
    /// (SciPy's `i1e/i0e`) and pass a KS test against the CDF, for weak to strong concentration.
    @Test func samplesFollowTheDensity() {
        let cases: [(kappa: Double, resultant: Double)] = [(0.5, 0.24249961258080202), (10, 0.9485998259548459), (700, 0.9992854588184262)]
        for (kappa, resultant) in cases {
            let d = VonMises(mean: 0.7, concentration: kappa)
            let m = 200_000
            let grid = (0 ..< m).map { d.support.lowerBound + 2 * .pi * (Double($0) + 0.5) / Double(m) }
            let densities = grid.map { exp(d.logDensity(of: $0)) }
            let integral = densities.reduce(0, +) * 2 * .pi / Double(m)
            #expect(abs(integral - 1) < 1e-6, "κ = \(kappa): ∫ = \(integral)")
            var rng = RandomSource(seed: 11)
            let n = 20_000
            let samples = d.sample(count: n, using: &rng)
            #expect(samples.allSatisfy { d.support.contains($0) })
            let meanCos = samples.reduce(0) { $0 + cos($1 - 0.7) } / Double(n)
            let spread = (1 - resultant * resultant) / Double(n)  // ≥ the variance of cos for these κ
            #expect(abs(meanCos - resultant) < 5 * spread.squareRoot() + 1e-9, "κ = \(kappa): \(meanCos) vs \(resultant)")
            var cdf = [Double](), acc = 0.0
            for p in densities { acc += p; cdf.append(acc) }
            var ks = 0.0
            for (i, x) in samples.sorted().enumerated() {
                let j = min(m - 1, max(0, Int((x - d.support.lowerBound) / (2 * .pi) * Double(m))))
                let f = cdf[j] / acc
                ks = max(ks, abs(f - Double(i + 1) / Double(n)), abs(f - Double(i) / Double(n)))
            }
            #expect(ks < 1.63 / Double(n).squareRoot(), "κ = \(kappa): KS \(ks)")
        }
        // κ = 0 is uniform; huge κ takes the normal limit and stays in the support.
        var rng = RandomSource(seed: 2)
        #expect(abs(VonMises(mean: 0, concentration: 0).logDensity(of: 1) + log(2 * Double.pi)) < 1e-7)
        let tight = VonMises(mean: 3, concentration: 1e9).sample(count: 1000, using: &rng)
        #expect(tight.allSatisfy { abs($0 - 3) < 1e-3 })
    }

    @Test func invalidParametersAreNamed() {
        #expect(throws: ModelError.self) { try VonMises(mean: .nan, concentration: 1).validate(parameter: "phase") }
        #expect(throws: ModelError.self) { try VonMises(mean: 0, concentration: -1).validate(parameter: "phase") }
        #expect(throws: Never.self) { try VonMises(mean: 0, concentration: 0).validate(parameter: "phase") }
        #expect(VonMises(mean: 0, concentration: 1).logDensity(of: 4) == -.infinity)
        var rng = RandomSource(seed: 1)
        #expect(VonMises(mean: 0, concentration: .nan).sample(using: &rng).isNaN)   // no endless rejection loop
        #expect(VonMises(mean: .infinity, concentration: 1).sample(using: &rng).isNaN)
    }
}
