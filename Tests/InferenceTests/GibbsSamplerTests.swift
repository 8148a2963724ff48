import Foundation
import Testing
import TensorCore
@testable import Inference

/// The exact Gibbs θ-step for ``GaussianLocationModel`` with a Gaussian kernel κ = 𝒩(0, σ_κ²).
///
/// With x′ = T(ĝ⁻¹)x = x − ĝ and μ_rel = μ − ĝ, the conditional is
/// p(θ | x, ĝ) ∝ p(x | θ)·π(θ)·κ(ĝ − μ). The likelihood factorises (Σzᵢ = 0) into
/// 𝒩(x̄′; μ_rel, σ²/n) for μ and the a-part, and κ(ĝ − μ) = 𝒩(−μ_rel; 0, σ_κ²), so
///
///     μ_rel | x′, ĝ ~ 𝒩(m, v),  1/v = n/σ² + 1/σ_κ²,  m = v·n·x̄′/σ²,
///     a | x′ ~ 𝒩(m_a, s_a²)   (as in the posterior; Σzᵢx′ᵢ = Σzᵢxᵢ),
///
/// and μ = μ_rel + ĝ. The uniform prior on μ truncates this; the sampler's prior rejection does
/// that truncation. The chain's stationary θ-marginal is then the posterior p(θ | x):
/// μ ~ 𝒩(x̄, σ²/n) (truncated to the prior), a ~ 𝒩(m_a, s_a²).
struct LocationModelConditional: GibbsConditional {
    let model: GaussianLocationModel
    let kernelSigma: Double

    func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws -> SampleMatrix {
        let n = Double(model.count), s2 = model.sigma * model.sigma
        let v = 1 / (n / s2 + 1 / (kernelSigma * kernelSigma))
        let sa = model.posteriorStandardDeviations[1]
        var out = SampleMatrix(rows: standardizedData.rows, columns: 2)
        for i in 0 ..< standardizedData.rows {
            let x = standardizedData.row(i)
            let mean = model.posteriorMean(given: x)  // (x̄′, m_a)
            let muRelative = v * n * mean[0] / s2 + v.squareRoot() * rng.nextNormal()
            out[i, 0] = muRelative + proxies[i, 0]
            out[i, 1] = mean[1] + sa * rng.nextNormal()
        }
        return out
    }
}

@Suite struct GibbsSamplerTests {
    static let model = GaussianLocationModel()

    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// One-sample KS statistic against 𝒩(mean, sd²).
    static func ksAgainstNormal(_ values: [Double], mean: Double, sd: Double) -> Double {
        let v = values.sorted()
        let n = Double(v.count)
        var d = 0.0
        for (i, x) in v.enumerated() {
            let f = normalCDF((x - mean) / sd)
            d = max(d, abs(f - Double(i) / n), abs(f - Double(i + 1) / n))
        }
        return d
    }

    static func observation(mu: Double, a: Double, seed: UInt64) -> [Double] {
        var rng = RandomSource(seed: seed)
        return model.ramp.map { mu + a * $0 + model.sigma * rng.nextNormal() }
    }

    /// Chains started anywhere in the prior (|μ| up to 20, ≈ 130 posterior sds away) recover the
    /// analytic posterior of both parameters after the default 30 iterations.
    @Test func recoversTheAnalyticPosteriorFromPriorStarts() throws {
        let kernel = 0.2
        let simulationModel = try Self.model.model(kernel: .gaussian(sigma: kernel))
        let equivariance = simulationModel.equivariances[0]
        let x = Self.observation(mu: 3.7, a: -0.4, seed: 5)
        var rng = RandomSource(seed: 11)
        let chains = 4000
        let start = try GibbsSampler.initialPoses(fromPrior: simulationModel.prior, equivariance: equivariance, count: chains, using: &rng)
        let result = try GibbsSampler().sample(
            observation: x, equivariance: equivariance, conditional: LocationModelConditional(model: Self.model, kernelSigma: kernel),
            initialPoses: start, prior: simulationModel.prior, poseNames: ["mu"], using: &rng)
        #expect(result.samples.rows == chains && result.samples.columns == 2)
        let mean = Self.model.posteriorMean(given: x), sd = Self.model.posteriorStandardDeviations
        let critical = 1.628 / Double(chains).squareRoot()  // 1 % one-sample KS
        for j in 0 ..< 2 {
            let column = result.samples.column(j)
            let m = column.reduce(0, +) / Double(chains)
            let s = (column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(chains - 1)).squareRoot()
            #expect(abs(m - mean[j]) < 4 * sd[j] / Double(chains).squareRoot(), "parameter \(j): mean \(m) vs \(mean[j])")
            #expect(abs(s / sd[j] - 1) < 4 / (2 * Double(chains)).squareRoot(), "parameter \(j): sd \(s) vs \(sd[j])")
            #expect(Self.ksAgainstNormal(column, mean: mean[j], sd: sd[j]) < critical)
        }
        #expect(result.diagnostics.hasSettled)
        #expect(result.diagnostics.warning == nil)
        #expect(result.diagnostics.iterations == 30)
        #expect(result.diagnostics.acceptanceRate == 1)
    }

    /// The proxies' drift falls from the spread-out start to the noise level, and the settling
    /// check passes; with a kernel 10× narrower than the posterior the chains crawl (each step
    /// keeps 98 % of the distance to x̄) and the warning fires.
    @Test func driftShrinksAndUnsettledChainsWarn() throws {
        let x = Self.observation(mu: -2, a: 0.5, seed: 6)
        var rng = RandomSource(seed: 12)
        let chains = 2000
        let wide = try Self.model.model(kernel: .gaussian(sigma: 0.2))
        let start = try GibbsSampler.initialPoses(fromPrior: wide.prior, equivariance: wide.equivariances[0], count: chains, using: &rng)
        let settled = try GibbsSampler().sample(
            observation: x, equivariance: wide.equivariances[0], conditional: LocationModelConditional(model: Self.model, kernelSigma: 0.2),
            initialPoses: start, prior: wide.prior, using: &rng)
        let drift = settled.diagnostics.driftSeries(0)
        #expect(drift.count == 29)
        #expect(drift[0] > 0.3)
        #expect(drift.suffix(10).allSatisfy { $0 < settled.diagnostics.threshold })
        #expect(settled.diagnostics.warning == nil)

        let narrow = try Self.model.model(kernel: .gaussian(sigma: 0.02))
        let far = try GibbsSampler.initialPoses(fixed: [x.reduce(0, +) / 10 + 1.5], count: chains)
        let crawling = try GibbsSampler().sample(
            observation: x, equivariance: narrow.equivariances[0], conditional: LocationModelConditional(model: Self.model, kernelSigma: 0.02),
            initialPoses: far, prior: narrow.prior, poseNames: ["mu"], using: &rng)
        #expect(!crawling.diagnostics.hasSettled)
        let warning = try #require(crawling.diagnostics.warning)
        #expect(warning.contains("mu") && warning.contains("30 iterations"))
    }

    /// Draws outside the prior are redrawn: with μ ~ U(−1, 1) and x̄ = 1 the posterior of μ is the
    /// lower half of 𝒩(1, σ²/n), with mean 1 − (σ/√n)·√(2/π); about half the draws are rejected.
    @Test func priorRejectionTruncatesTheConditional() throws {
        let bounded = GaussianLocationModel(locationRange: 1)
        let simulationModel = try bounded.model(kernel: .gaussian(sigma: 0.2))
        let x = bounded.ramp.map { 1 + 0.3 * $0 }  // x̄ = 1 exactly
        var rng = RandomSource(seed: 13)
        let chains = 4000
        let result = try GibbsSampler().sample(
            observation: x, equivariance: simulationModel.equivariances[0],
            conditional: LocationModelConditional(model: bounded, kernelSigma: 0.2),
            initialPoses: try GibbsSampler.initialPoses(fixed: [0], count: chains), prior: simulationModel.prior, using: &rng)
        let mu = result.samples.column(0)
        #expect(mu.allSatisfy { abs($0) <= 1 })
        let sp = bounded.posteriorStandardDeviations[0]
        let expected = 1 - sp * (2 / Double.pi).squareRoot()
        let m = mu.reduce(0, +) / Double(chains)
        let sdOfMean = sp * (1 - 2 / Double.pi).squareRoot() / Double(chains).squareRoot()
        #expect(abs(m - expected) < 4 * sdOfMean, "mean \(m) vs \(expected)")
        #expect(result.diagnostics.acceptanceRate > 0.35 && result.diagnostics.acceptanceRate < 0.65)
    }

    /// A periodic parameter drawn a period outside its prior's interval is the same point: the
    /// sampler wraps it onto the interval instead of redrawing it (every draw here is 2π + 0.02,
    /// which rejection alone would refuse forever).
    @Test func periodicDrawsAreWrappedNotRejected() throws {
        struct BeyondThePeriod: GibbsConditional {
            func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws
                -> SampleMatrix
            {
                var out = SampleMatrix(rows: proxies.rows, columns: 2)
                for i in 0 ..< proxies.rows { (out[i, 0], out[i, 1]) = (proxies[i, 0], 2 * Double.pi + 0.02) }
                return out
            }
        }
        let model = try SimulationModel {
            Parameter("mu", Uniform(-5, 5))
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
            Simulator(outputLength: 4) { θ, _ in [θ[0], θ[0], cos(θ[1]), sin(θ[1])] }
            NoiseModel.gaussian(sigma: 0.1)
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .uniform(width: 0.2))
        }
        var rng = RandomSource(seed: 5)
        let result = try GibbsSampler(iterations: 3).sample(
            observation: [0.5, 0.5, 1, 0], equivariance: model.equivariances[0], conditional: BeyondThePeriod(),
            initialPoses: try GibbsSampler.initialPoses(fixed: [0.5], count: 50), prior: model.prior, using: &rng)
        #expect(result.diagnostics.acceptanceRate == 1)
        #expect(result.samples.column(1).allSatisfy { abs($0 - 0.02) < 1e-12 })
    }

    /// A chain whose first draws all fall outside the prior has no earlier θ to keep: it takes an
    /// accepted chain's draw, so no sample is outside the prior (chains started at 4.5 here always
    /// draw μ = 10, outside Uniform(−5, 5)).
    @Test func chainsStuckAtTheirFirstDrawTakeAnAcceptedOne() throws {
        struct OutsideFromFar: GibbsConditional {
            func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws
                -> SampleMatrix
            {
                var out = SampleMatrix(rows: proxies.rows, columns: 1)
                for i in 0 ..< proxies.rows { out[i, 0] = proxies[i, 0] > 4 ? 10 : proxies[i, 0] + 0.01 * rng.nextNormal() }
                return out
            }
        }
        let model = try SimulationModel {
            Parameter("mu", Uniform(-5, 5))
            Simulator(outputLength: 2) { θ, _ in [θ[0], θ[0]] }
            NoiseModel.gaussian(sigma: 0.1)
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .uniform(width: 0.2))
        }
        var starts = SampleMatrix(rows: 50, columns: 1)
        for i in 0 ..< 5 { starts[i, 0] = 4.5 }
        var rng = RandomSource(seed: 8)
        let result = try GibbsSampler(iterations: 1, maximumRedraws: 3).sample(
            observation: [0, 0], equivariance: model.equivariances[0], conditional: OutsideFromFar(),
            initialPoses: starts, prior: model.prior, using: &rng)
        #expect(result.samples.column(0).allSatisfy { abs($0) < 1 })
        #expect(result.diagnostics.acceptanceRate < 1)
    }

    @Test func badRequestsThrowClearErrors() throws {
        let simulationModel = try Self.model.model()
        let eq = simulationModel.equivariances[0]
        let conditional = LocationModelConditional(model: Self.model, kernelSigma: 0.2)
        let x = Self.observation(mu: 0, a: 0, seed: 1)
        var rng = RandomSource(seed: 1)
        #expect(throws: GNPEError.noChains) {
            try GibbsSampler().sample(observation: x, equivariance: eq, conditional: conditional,
                                      initialPoses: SampleMatrix(rows: 0, columns: 1), using: &rng)
        }
        #expect(throws: GNPEError.invalidIterations(0)) {
            try GibbsSampler(iterations: 0).sample(observation: x, equivariance: eq, conditional: conditional,
                                                   initialPoses: try GibbsSampler.initialPoses(fixed: [0], count: 3), using: &rng)
        }
        #expect(throws: GNPEError.initialPoseShape(expected: 1, found: 2)) {
            try GibbsSampler().sample(observation: x, equivariance: eq, conditional: conditional,
                                      initialPoses: try GibbsSampler.initialPoses(fixed: [0, 0], count: 3), using: &rng)
        }
        var bad = x
        bad[4] = .nan
        #expect(throws: GNPEError.self) {
            try GibbsSampler().sample(observation: bad, equivariance: eq, conditional: conditional,
                                      initialPoses: try GibbsSampler.initialPoses(fixed: [0], count: 3), using: &rng)
        }
        #expect(throws: GNPEError.self) { try GibbsSampler.initialPoses(resampling: SampleMatrix(rows: 0, columns: 1), count: 3, using: &rng) }
        #expect(GNPEError.noChains.description.contains("at least one chain"))
    }

    @Test func kolmogorovSmirnovStatistic() {
        #expect(GibbsDiagnostics.kolmogorovSmirnov([1, 2, 3], [1, 2, 3]) == 0)
        #expect(GibbsDiagnostics.kolmogorovSmirnov([1, 2, 3], [4, 5]) == 1)
        // F_a − F_b at t = 2: 2/4 − 0/2 = 0.5 is the largest gap.
        #expect(abs(GibbsDiagnostics.kolmogorovSmirnov([1, 2, 3, 4], [2.5, 3.5]) - 0.5) < 1e-12)
        var rng = RandomSource(seed: 3)
        let a = (0 ..< 3000).map { _ in rng.nextNormal() }, b = (0 ..< 3000).map { _ in rng.nextNormal() + 0.5 }
        // Population value for a shift of 0.5σ: 2Φ(0.25) − 1 ≈ 0.197.
        #expect(abs(GibbsDiagnostics.kolmogorovSmirnov(a, b) - 0.197) < 0.04)
    }
}
