import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct MarginalJensenShannonTests {
    /// `count` draws of one column from 𝒩(mean, sd²).
    static func normal(count: Int, mean: Double, sd: Double = 1, seed: UInt64) -> SampleMatrix {
        var rng = RandomSource(seed: seed)
        var m = SampleMatrix(rows: count, columns: 1)
        for i in 0 ..< count { m[i, 0] = mean + sd * rng.nextNormal() }
        return m
    }

    /// JSD of 𝒩(0, 1) and 𝒩(μ, 1) by quadrature (nats), independently of the estimator.
    static func exactDivergence(shift mu: Double) -> Double {
        let phi = { (x: Double, m: Double) in exp(-0.5 * (x - m) * (x - m)) / (2 * Double.pi).squareRoot() }
        var js = 0.0
        let h = 1e-3
        for k in 0 ..< 20_000 {
            let x = -10 + (Double(k) + 0.5) * h
            let p = phi(x, 0), q = phi(x, mu), m = (p + q) / 2
            js += h * 0.5 * (p * log(p / m) + q * log(q / m))
        }
        return js
    }

    @Test func oneDistributionGivesNearlyZero() throws {
        let js = try MarginalJensenShannon().divergences(Self.normal(count: 20_000, mean: 0, seed: 1),
                                                         Self.normal(count: 20_000, mean: 0, seed: 2))
        #expect(js[0] < 1e-3, "JSD \(js[0])")
    }

    @Test func shiftedGaussiansMatchQuadrature() throws {
        for mu in [0.5, 1.0, 2.0] {
            let js = try MarginalJensenShannon().divergences(Self.normal(count: 20_000, mean: 0, seed: 3),
                                                             Self.normal(count: 20_000, mean: mu, seed: 4))
            let exact = Self.exactDivergence(shift: mu)
            #expect(abs(js[0] - exact) < 0.06 * exact + 1e-3, "μ = \(mu): JSD \(js[0]), quadrature \(exact)")
        }
    }

    @Test func weightsReweighOneSetIntoTheOther() throws {
        // 𝒩(0, 1) samples weighted by 𝒩(x; 0.7, 1)/𝒩(x; 0, 1) represent 𝒩(0.7, 1).
        let a = Self.normal(count: 40_000, mean: 0, seed: 5)
        let weights = a.column(0).map { x in exp(0.7 * x - 0.245) }
        let b = Self.normal(count: 40_000, mean: 0.7, seed: 6)
        let measure = MarginalJensenShannon()
        let weighted = try measure.divergences(a, b, firstWeights: weights)[0]
        let unweighted = try measure.divergences(a, b)[0]
        #expect(weighted < 2e-3, "weighted JSD \(weighted)")
        #expect(unweighted > 0.03, "unweighted JSD \(unweighted)")
    }

    @Test func periodicParametersWrap() throws {
        // One wrapped normal around 0 ≡ 2π, written two ways: in [0, 2π) (two lumps, at 0 and
        // below 2π) and in (−π, π] (one lump at 0). Only with the period are they the same.
        var rng = RandomSource(seed: 7)
        var a = SampleMatrix(rows: 20_000, columns: 1), b = SampleMatrix(rows: 20_000, columns: 1)
        for i in 0 ..< 20_000 {
            let x = 0.3 * rng.nextNormal()
            a[i, 0] = x < 0 ? x + 2 * Double.pi : x
            b[i, 0] = 0.3 * rng.nextNormal()
        }
        let measure = MarginalJensenShannon()
        let wrapped = try measure.divergences(a, b, periods: [2 * Double.pi])[0]
        let straight = try measure.divergences(a, b)[0]
        #expect(straight > 0.2, "without the period: \(straight)")
        #expect(wrapped < 1e-3, "with the period: \(wrapped)")
    }

    @Test func badInputIsNamed() throws {
        let a = Self.normal(count: 10, mean: 0, seed: 8)
        let measure = MarginalJensenShannon()
        #expect(throws: SamplingError.self) { try measure.divergences(a, SampleMatrix(rows: 0, columns: 1)) }
        #expect(throws: SamplingError.self) { try measure.divergences(a, SampleMatrix(rows: 3, columns: 2)) }
        #expect(throws: SamplingError.self) { try measure.divergences(a, a, firstWeights: [1, 2]) }
        #expect(throws: SamplingError.self) { try measure.divergences(a, a, firstWeights: .init(repeating: -1, count: 10)) }
        var bad = a
        bad[3, 0] = .nan
        #expect(throws: SamplingError.self) { try measure.divergences(bad, a) }
        #expect(throws: SamplingError.self) { try MarginalJensenShannon(gridSize: 2).divergences(a, a) }
        // A point mass against itself: finite, zero.
        let point = try SampleMatrix(rows: 5, columns: 1, storage: .init(repeating: 3, count: 5))
        #expect(try measure.divergences(point, point)[0] == 0)
    }
}
