import Foundation
import Testing
import TensorCore
@testable import Inference

/// The priors with an exact CDF, so that the tests can compare samples with it.
protocol ExactCDF: Distribution {
    func cumulativeProbability(of x: Double) -> Double
}

extension Sine: ExactCDF {}
extension Cosine: ExactCDF {}
extension PowerLaw: ExactCDF {}
extension UniformInComponentsChirpMass: ExactCDF {}
extension UniformInComponentsMassRatio: ExactCDF {}

/// Sine, cosine, power-law and component-mass priors: normalisation, CDFs, sampling, moments,
/// bounds, invalid declarations.
@Suite struct FieldPriorTests {
    static let distributions: [any ExactCDF] = [
        Sine(0, .pi), Sine(0.3, 2.0),
        Cosine(-.pi / 2, .pi / 2), Cosine(-0.5, 1.2),
        PowerLaw(100, 2000, exponent: 2), PowerLaw(1, 10, exponent: -1), PowerLaw(1, 10, exponent: -1 + 1e-10),
        PowerLaw(0, 3, exponent: 0.5), PowerLaw(1, 50, exponent: -2.5), PowerLaw(0.2, 0.9, exponent: 7),
        UniformInComponentsChirpMass(25, 35),
        UniformInComponentsMassRatio(0.125, 1), UniformInComponentsMassRatio(0.05, 0.6), UniformInComponentsMassRatio(1e-4, 0.01),
    ]

    /// ∫ f over [lo, hi] by composite 8-point Gauss–Legendre on `panels` panels, independent of the
    /// library's own quadrature (different panels, plain q variable).
    static func integrate(_ lo: Double, _ hi: Double, panels: Int = 4000, _ f: (Double) -> Double) -> Double {
        let nodes = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
                     0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363]
        let weights = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
                       0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763]
        let h = (hi - lo) / Double(panels)
        var total = 0.0
        for k in 0 ..< panels {
            let mid = lo + (Double(k) + 0.5) * h
            for (x, w) in zip(nodes, weights) { total += w * f(mid + h / 2 * x) * h / 2 }
        }
        return total
    }

    static func density(_ d: any Distribution) -> (Double) -> Double { { x in exp(d.logDensity(of: x)) } }

    @Test(arguments: 0 ..< distributions.count)
    func densityIntegratesToOneAndMatchesTheCDF(_ index: Int) throws {
        let d = Self.distributions[index]
        let lo = d.support.lowerBound, hi = d.support.upperBound
        let total = Self.integrate(lo, hi, Self.density(d))
        #expect(abs(total - 1) < 1e-7, "\(d) integrates to \(total)")
        for fraction in [0.1, 0.37, 0.5, 0.81] {
            let x = lo + fraction * (hi - lo)
            let mass = Self.integrate(lo, x, Self.density(d))
            #expect(abs(mass - d.cumulativeProbability(of: x)) < 1e-7, "\(d): CDF(\(x)) = \(d.cumulativeProbability(of: x)), quadrature \(mass)")
        }
        #expect(d.cumulativeProbability(of: lo) == 0 && d.cumulativeProbability(of: hi) == 1)
        let mean = Self.integrate(lo, hi) { $0 * exp(d.logDensity(of: $0)) }
        let second = Self.integrate(lo, hi) { $0 * $0 * exp(d.logDensity(of: $0)) }
        let m = try #require(d.mean), v = try #require(d.variance)
        let scale = hi - lo
        #expect(abs(m - mean) < 1e-7 * scale, "\(d): mean \(m) vs \(mean)")
        #expect(abs(v - (second - mean * mean)) < 1e-6 * scale * scale, "\(d): variance \(v) vs \(second - mean * mean)")
    }

    @Test(arguments: 0 ..< distributions.count)
    func samplesFollowTheExactCDF(_ index: Int) {
        let d = Self.distributions[index]
        var rng = RandomSource(seed: 20_000 + UInt64(index))
        let n = 20_000
        let xs = d.sample(count: n, using: &rng).sorted()
        #expect(xs.allSatisfy { d.support.contains($0) && d.logDensity(of: $0) > -.infinity }, "\(d): a sample outside the support")
        var ks = 0.0
        for (i, x) in xs.enumerated() {
            let f = d.cumulativeProbability(of: x)
            ks = max(ks, abs(f - Double(i) / Double(n)), abs(f - Double(i + 1) / Double(n)))
        }
        // 1 % critical value of the one-sample KS test.
        #expect(ks < 1.628 / Double(n).squareRoot(), "\(d): KS \(ks)")
    }

    @Test(arguments: 0 ..< distributions.count)
    func logDensityIsMinusInfinityOutsideTheSupport(_ index: Int) {
        let d = Self.distributions[index]
        let lo = d.support.lowerBound, hi = d.support.upperBound
        for x in [lo - 1e-9 * max(1, abs(lo)), hi + 1e-9 * max(1, abs(hi)), lo - 100, hi + 100, -.infinity, .infinity] {
            #expect(d.logDensity(of: x) == -.infinity, "\(d) at \(x)")
            #expect(!d.contains(x))
        }
        #expect(d.logDensity(of: (lo + hi) / 2).isFinite)
    }

    /// The mass-ratio inverse CDF meets its stated tolerance everywhere, including the ends.
    @Test func massRatioQuantileMeetsItsTolerance() {
        for d in [UniformInComponentsMassRatio(0.125, 1), UniformInComponentsMassRatio(1e-6, 1), UniformInComponentsMassRatio(0.9, 1)] {
            for u in [0, 1e-12, 1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1 - 1e-9, 1] {
                let q = d.quantile(u)
                #expect(d.support.contains(q))
                #expect(abs(d.cumulativeProbability(of: q) - u) < 1e-12, "\(d): F(Q(\(u))) = \(d.cumulativeProbability(of: q))")
            }
        }
    }

    /// Exponents at and near −1 agree with the log-uniform prior; 0 with the uniform one.
    @Test func powerLawSpecialCases() {
        let logUniform = LogUniform(2, 30)
        for exponent in [-1.0, -1 + 1e-12, -1 - 1e-12] {
            let p = PowerLaw(2, 30, exponent: exponent)
            for x in [2.0, 5, 17, 30] {
                #expect(abs(p.logDensity(of: x) - logUniform.logDensity(of: x)) < 1e-9, "α = \(exponent) at \(x)")
            }
            #expect(abs(p.quantile(0.5) - (2 * 30.0).squareRoot()) < 1e-8)
        }
        let flat = PowerLaw(-0.0, 4, exponent: 0)
        #expect(abs(flat.logDensity(of: 1) - Uniform(0, 4).logDensity(of: 1)) < 1e-15)
        #expect(abs(PowerLaw(100, 2000, exponent: 2).quantile(1) - 2000) < 1e-9)
        #expect(PowerLaw(0, 2000, exponent: 2).quantile(0) == 0)
        // The volume prior: P(d ≤ r) = (r³ − a³)/(b³ − a³).
        let volume = PowerLaw(100, 2000, exponent: 2)
        #expect(abs(volume.cumulativeProbability(of: 1000) - (1e9 - 1e6) / (8e9 - 1e6)) < 1e-14)
    }

    /// Sine and cosine priors in closed form: inclination with cos ι uniform, declination with
    /// sin δ uniform.
    @Test func sineAndCosineClosedForms() throws {
        let pi = Double.pi
        let sine = Sine(0, pi), cosine = Cosine(-pi / 2, pi / 2)
        let half: Double = log(0.5)
        #expect(abs(sine.logDensity(of: pi / 2) - half) < 1e-15)
        #expect(abs(cosine.logDensity(of: 0) - half) < 1e-15)
        let sineMean = try #require(sine.mean), cosineMean = try #require(cosine.mean), sineVariance = try #require(sine.variance)
        #expect(abs(sineMean - pi / 2) < 1e-15)
        #expect(abs(cosineMean) < 1e-15)
        let expectedVariance: Double = pi * pi / 4 - 2
        #expect(abs(sineVariance - expectedVariance) < 1e-13)
        let third: Double = sine.cumulativeProbability(of: pi / 3), sixth: Double = cosine.cumulativeProbability(of: pi / 6)
        #expect(abs(third - 0.25) < 1e-15)
        #expect(abs(sixth - 0.75) < 1e-15)
    }

    /// The sine and cosine quantiles keep full precision next to the poles, where arccos and
    /// arcsin of the plain CDF lose it: near a pole the CDF is y²/4 with y the distance to it.
    @Test func sineAndCosineQuantilesArePreciseAtTheEnds() {
        let pi = Double.pi
        let sine = Sine(0, pi), cosine = Cosine(-pi / 2, pi / 2)
        for u in [1e-20, 1e-12, 1e-8] {
            let y = 2 * u.squareRoot()
            #expect(abs(sine.quantile(u) / y - 1) < 1e-6, "Sine quantile(\(u)) = \(sine.quantile(u))")
            let fromSouth = cosine.quantile(u) + pi / 2
            #expect(abs(fromSouth / y - 1) < 1e-6, "Cosine quantile(\(u)) + π/2 = \(fromSouth)")
        }
        let nearNorth: Double = (pi - sine.quantile(1 - 1e-8)) / 2e-4
        #expect(abs(nearNorth - 1) < 1e-6)
        #expect(sine.quantile(0) == 0 && sine.quantile(1) == pi)
        #expect(cosine.quantile(0) == -pi / 2 && cosine.quantile(1) == pi / 2)
        let part = Sine(0.4, 2.2), band = Cosine(-0.3, 1.1)
        for u in [0.0, 0.2, 0.5, 0.9, 1.0] {
            #expect(abs(part.cumulativeProbability(of: part.quantile(u)) - u) < 1e-14)
            #expect(abs(band.cumulativeProbability(of: band.quantile(u)) - u) < 1e-14)
        }
    }

    @Test(arguments: [
        (Sine(-0.1, 1) as any Distribution, "inside [0, π]"),
        (Sine(0, 4), "inside [0, π]"),
        (Sine(2, 1), "low < high"),
        (Sine(0, .infinity), "finite"),
        (Cosine(-2, 0), "inside [−π/2, π/2]"),
        (Cosine(0, 2), "inside [−π/2, π/2]"),
        (Cosine(1, 1), "low < high"),
        (PowerLaw(-1, 2, exponent: 2), "low ≥ 0"),
        (PowerLaw(0, 2, exponent: -1), "low > 0"),
        (PowerLaw(0, 2, exponent: -1.5), "low > 0"),
        (PowerLaw(3, 2, exponent: 1), "low < high"),
        (PowerLaw(1, 2, exponent: .nan), "finite"),
        (PowerLaw(1, .infinity, exponent: -2), "finite"),
        (UniformInComponentsChirpMass(0, 10), "low > 0"),
        (UniformInComponentsChirpMass(10, 5), "low < high"),
        (UniformInComponentsChirpMass(10, .nan), "finite"),
        (UniformInComponentsMassRatio(0, 1), "(0, 1]"),
        (UniformInComponentsMassRatio(0.5, 1.5), "(0, 1]"),
        (UniformInComponentsMassRatio(0.8, 0.2), "low < high"),
        (UniformInComponentsMassRatio(-.infinity, 0.2), "(0, 1]"),
    ])
    func invalidDeclarationsNameTheParameter(_ prior: any Distribution, _ fragment: String) {
        do {
            _ = try JointPrior { Parameter("chirp_mass", Uniform(1, 5)); Parameter("width", prior) }
            Issue.record("\(prior) was accepted")
        } catch let error as ModelError {
            guard case let .invalidPrior(parameter, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(parameter == "width")
            #expect(reason.contains(fragment), "\(reason)")
            #expect(error.description.contains("'width'"))
        } catch { Issue.record("unexpected \(error)") }
        // Sampling or evaluating an undeclared invalid prior does not trap.
        var rng = RandomSource(seed: 1)
        _ = prior.sample(count: 3, using: &rng)
        _ = prior.logDensity(of: 0.5)
        _ = prior.mean
    }

    /// (𝓜, q) drawn from the two priors and mapped to (m₁, m₂) are uniform on the image of the
    /// rectangle: a chi-square test over the (m₁, m₂) bins that lie wholly inside it. The same test
    /// rejects a prior uniform in 𝓜 (the wrong Jacobian).
    @Test func chirpMassAndMassRatioAreUniformInComponentMasses() {
        let (mLow, mHigh, qLow, qHigh) = (20.0, 40.0, 0.25, 1.0)
        func components(_ mc: Double, _ q: Double) -> (Double, Double) {
            let m1 = mc * pow(1 + q, 0.2) * pow(q, -0.6)
            return (m1, q * m1)
        }
        func chirpMass(_ m1: Double, _ m2: Double) -> Double { pow(m1 * m2, 0.6) / pow(m1 + m2, 0.2) }
        // Area of the image: ∫∫ |J| d𝓜 dq = (b² − a²)/2 · ∫ (1 + q)^{2/5} q^{−6/5} dq.
        let area = (mHigh * mHigh - mLow * mLow) / 2 * Self.integrate(qLow, qHigh) { pow(1 + $0, 0.4) * pow($0, -1.2) }
        let width = 2.5
        var bins: [Int: Int] = [:]   // i·100 + j → position in the counts
        for i in 0 ..< 40 {
            for j in 0 ..< 20 {
                let (x0, y0) = (15 + Double(i) * width, 15 + Double(j) * width)
                let (x1, y1) = (x0 + width, y0 + width)
                if chirpMass(x0, y0) >= mLow, chirpMass(x1, y1) <= mHigh, y0 / x1 >= qLow, y1 / x0 <= qHigh { bins[i * 100 + j] = bins.count }
            }
        }
        #expect(bins.count > 50)
        func chiSquare(chirp: any Distribution, seed: UInt64) -> Double {
            var rng = RandomSource(seed: seed)
            let ratio = UniformInComponentsMassRatio(qLow, qHigh)
            let n = 100_000
            var counts = [Int](repeating: 0, count: bins.count)
            for _ in 0 ..< n {
                let (m1, m2) = components(chirp.sample(using: &rng), ratio.sample(using: &rng))
                let i = Int(((m1 - 15) / width).rounded(.down)), j = Int(((m2 - 15) / width).rounded(.down))
                if (0 ..< 40).contains(i), (0 ..< 20).contains(j), let k = bins[i * 100 + j] { counts[k] += 1 }
            }
            let expected = Double(n) * width * width / area
            return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        }
        let dof = Double(bins.count)
        let good = chiSquare(chirp: UniformInComponentsChirpMass(mLow, mHigh), seed: 4)
        // χ² with k degrees of freedom: mean k, sd √(2k); 4 sd is far beyond the 1 % level.
        #expect(good < dof + 4 * (2 * dof).squareRoot(), "χ² \(good) over \(bins.count) bins")
        let wrong = chiSquare(chirp: Uniform(mLow, mHigh), seed: 4)
        #expect(wrong > dof + 10 * (2 * dof).squareRoot(), "a prior uniform in chirp mass passed: χ² \(wrong)")
    }
}
