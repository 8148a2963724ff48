import Foundation
import Testing
import Flows
import TensorCore
@testable import Inference

/// GNPE-IS (Dax et al., PRL 130, 171403 (2023)): the proxy density, the Jacobians, the proposal's
/// normalisation and the evidence against the analytic one.
@Suite struct GNPEImportanceSamplingTests {
    static let location = GaussianLocationModel()

    /// An observation of the location model at θ = truth (noise from `seed`).
    static func observation(_ truth: [Double], seed: UInt64) -> [Double] {
        var rng = RandomSource(seed: seed)
        return location.ramp.map { truth[0] + truth[1] * $0 + location.sigma * rng.nextNormal() }
    }

    /// ∫ exp(f) over [a, b] by the trapezoid rule on `steps` intervals.
    static func integral(from a: Double, to b: Double, steps: Int, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(steps)
        return (0 ... steps).reduce(0) { sum, k in
            sum + (k == 0 || k == steps ? 0.5 : 1) * Foundation.exp(f(a + Double(k) * h))
        } * h
    }

    /// The largest gap between the empirical CDF of `values` and `cdf`.
    static func kolmogorovSmirnov(_ values: [Double], _ cdf: (Double) -> Double) -> Double {
        let sorted = values.sorted(), n = Double(values.count)
        return sorted.enumerated().reduce(0) { worst, pair in
            let f = cdf(pair.element)
            return max(worst, abs(Double(pair.offset + 1) / n - f), abs(Double(pair.offset) / n - f))
        }
    }

    // MARK: The proxy density

    /// A mixture fitted to two separated Gaussian clusters picks two components by BIC, recovers
    /// their weights and means, integrates to 1 by quadrature (1-D) and matches its samples (KS).
    @Test func gaussianMixtureFitsAndIsNormalised() throws {
        var rng = RandomSource(seed: 3)
        var data = SampleMatrix(rows: 3000, columns: 1)
        for i in 0 ..< 3000 { data[i, 0] = i < 1000 ? -2 + 0.3 * rng.nextNormal() : 1.5 + 0.6 * rng.nextNormal() }
        let q = try GaussianMixture(fittingTo: data, maximumComponents: 5, seed: 1)
        #expect(q.componentCount == 2)
        let order = q.means.indices.sorted { q.means[$0][0] < q.means[$1][0] }
        #expect(abs(q.weights[order[0]] - 1.0 / 3) < 0.03)
        #expect(abs(q.means[order[0]][0] + 2) < 0.05 && abs(q.means[order[1]][0] - 1.5) < 0.06)
        #expect(abs(q.covariances[order[1]][0][0].squareRoot() - 0.6) < 0.04)
        let mass = Self.integral(from: -8, to: 8, steps: 4000) { q.logDensity(of: [$0]) }
        #expect(abs(mass - 1) < 1e-6, "∫q = \(mass)")
        // Its own draws against its CDF (by quadrature): the sampler and the density agree.
        let draws = q.sample(count: 4000, using: &rng).column(0)
        let ks = Self.kolmogorovSmirnov(draws) { y in Self.integral(from: -8, to: y, steps: 800) { q.logDensity(of: [$0]) } }
        #expect(ks < 1.63 / 4000.0.squareRoot(), "KS \(ks)")  // the 1 % critical value
        // 2-D: normalised on a grid too.
        let two = try GaussianMixture(weights: [0.3, 0.7], means: [[0, 0], [1, -1]],
                                      covariances: [[[1, 0.5], [0.5, 1]], [[0.2, 0], [0, 0.5]]])
        let mass2 = Self.integral(from: -7, to: 7, steps: 280) { a in
            Foundation.log(Self.integral(from: -7, to: 7, steps: 280) { b in two.logDensity(of: [a, b]) })
        }
        #expect(abs(mass2 - 1) < 1e-4, "∫∫q = \(mass2)")
    }

    /// A box with soft edges (the proxy law of a uniform kernel, width 0.2, around a narrow pose
    /// posterior, sd 0.02) needs several components: BIC picks more than one, and the fit is closer
    /// in KS distance than a single Gaussian.
    @Test func gaussianMixtureFitsABoxWithSeveralComponents() throws {
        var rng = RandomSource(seed: 8)
        let data = try SampleMatrix(rows: 2000, columns: 1, storage: (0 ..< 2000).map { _ in
            rng.nextUniform(in: -0.1, 0.1) + 0.02 * rng.nextNormal()
        })
        let one = try GaussianMixture.fit(data, components: 1, seed: 1).mixture
        let chosen = try GaussianMixture(fittingTo: data, maximumComponents: 6, seed: 1)
        func ks(_ q: GaussianMixture) -> Double {
            Self.kolmogorovSmirnov(data.column(0)) { y in Self.integral(from: -1, to: y, steps: 600) { q.logDensity(of: [$0]) } }
        }
        print("box: BIC chose \(chosen.componentCount) components; KS \(ks(chosen)) against \(ks(one)) for one")
        #expect(chosen.componentCount > 1)
        #expect(ks(chosen) < ks(one))
    }

    @Test func gaussianMixtureRejectsBadInput() throws {
        #expect(throws: SamplingError.self) { try GaussianMixture(fittingTo: SampleMatrix(rows: 1, columns: 1), seed: 1) }
        #expect(throws: SamplingError.self) { try GaussianMixture(fittingTo: SampleMatrix(rows: 10, columns: 1), maximumComponents: 0, seed: 1) }
        var bad = SampleMatrix(rows: 10, columns: 2)
        bad[4, 1] = .nan
        #expect(throws: SamplingError.invalidInput("sample [4, 1] is nan; every value must be finite")) {
            try GaussianMixture.fit(bad, components: 1, seed: 1)
        }
        #expect(throws: SamplingError.self) { try GaussianMixture(weights: [1], means: [[0]], covariances: [[[-1]]]) }
        #expect(throws: SamplingError.self) { try GaussianMixture(weights: [0.5, 0.5], means: [[0]], covariances: [[[1]]]) }
        // Identical samples: a narrow component, not a trap.
        let constant = try GaussianMixture(fittingTo: SampleMatrix(rows: 20, columns: 1, repeating: 3), seed: 1)
        #expect(constant.logDensity(of: [3]).isFinite)
        #expect(constant.logDensity(of: [1, 2]).isNaN)  // wrong length: NaN, no trap
        // An interrupted fit keeps the mixture of the last complete iteration.
        var rng = RandomSource(seed: 1)
        let data = try SampleMatrix(rows: 500, columns: 1, storage: (0 ..< 500).map { _ in rng.nextNormal() })
        do {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 3)) {
                _ = try GaussianMixture.fit(data, components: 2, seed: 1)
            }
            Issue.record("not interrupted")
        } catch let error as InterruptedError {
            #expect(error.partialResult is GaussianMixture)
        }
    }

    // MARK: Jacobians

    /// A non-additive group (scalings in shifted coordinates, g·h = g + h + gh, identity 0):
    /// the finite-difference Jacobians equal the analytic ones, and κ(ĝ | g) integrates to 1 over ĝ.
    @Test func jacobiansOfANonAdditiveGroup() throws {
        struct ShiftedScaling: PoseGroup {
            var dimension: Int { 1 }
            var identity: [Double] { [0] }
            func composing(_ g: [Double], _ h: [Double]) -> [Double] { [g[0] + h[0] + g[0] * h[0]] }
            func inverse(of g: [Double]) -> [Double] { [-g[0] / (1 + g[0])] }
            func transformingData(_ x: [Double], by g: [Double]) -> [Double] { x.map { $0 * (1 + g[0]) } }
        }
        let model = try SimulationModel {
            Parameter("s", Uniform(0.5, 3))
            Parameter("a", Normal(0, 1))
            Simulator(outputLength: 2) { θ, _ in [θ[0], θ[1]] }
            Equivariance(pose: ["s"], group: ShiftedScaling(), kernel: .gaussian(sigma: 0.1), exact: true)
        }
        let eq = model.equivariances[0]
        #expect(eq.hasContinuousProxies && !eq.hasAdditiveCoordinates)
        for (g, proxy) in [(0.8, 1.1), (2.0, 1.7), (0.6, 0.65)] {
            // u = (1 + g)/(1 + ĝ) − 1, ∂u/∂g = 1/(1 + ĝ).
            #expect(abs(eq.relativeParametersLogJacobian([g, 0.3], proxy: [proxy]) + Foundation.log(1 + proxy)) < 1e-6)
            // ε = (1 + ĝ)/(1 + g) − 1, ∂ε/∂ĝ = 1/(1 + g).
            let epsilon = (1 + proxy) / (1 + g) - 1
            let expected = BlurKernel.gaussian(sigma: 0.1).logDensity(of: [epsilon]) - Foundation.log(1 + g)
            #expect(abs(eq.proxyLogDensity([proxy], givenPose: [g]) - expected) < 1e-6)
            let mass = Self.integral(from: g - 2, to: g + 3, steps: 5000) { eq.proxyLogDensity([$0], givenPose: [g]) }
            #expect(abs(mass - 1) < 1e-5, "∫κ(ĝ | \(g)) dĝ = \(mass)")
        }
        // The built-in groups are additive: both Jacobians vanish, κ is the kernel of ĝ − g.
        let location = try Self.location.model().equivariances[0]
        #expect(location.relativeParametersLogJacobian([3, 1], proxy: [2.5]) == 0)
        #expect(location.proxyLogDensity([2.5], givenPose: [3]) == BlurKernel.gaussian(sigma: 0.2).logDensity(of: [-0.5]))
        // Lattice proxies have no density.
        #expect(try !DampedOscillator.model(interpolation: .wholeSamples).equivariances[0].hasContinuousProxies)
        #expect(try DampedOscillator.model().equivariances[0].hasContinuousProxies)
    }

    // MARK: The model's likelihood

    @Test func exactLikelihoodOfGaussianNoiseModels() throws {
        let x = Self.observation([2, 0.4], seed: 5)
        let logLikelihood = try Self.location.model().exactLogLikelihood(given: x)
        for theta in [[2.0, 0.4], [1.5, -0.2], [19.0, 3.0]] {
            #expect(abs(logLikelihood(theta) - Self.location.logLikelihood(of: theta, observation: x)) < 1e-9)
        }
        #expect(logLikelihood([1]).isNaN)
        let y = DampedOscillator.fixedObservations(count: 1).observations.row(0)
        let oscillator = try DampedOscillator.model().exactLogLikelihood(given: y)
        #expect(abs(oscillator([2.5, 0.2, 0.3]) - DampedOscillator.logLikelihood(of: [2.5, 0.2, 0.3], observation: y)) < 1e-6)
        // Two Gaussian noises add their variances.
        let twice = try SimulationModel {
            Parameter("m", Normal(0, 1))
            Simulator(outputLength: 1) { θ, _ in [θ[0]] }
            NoiseModel.gaussian("a", sigma: 0.3)
            NoiseModel.gaussian("b", sigma: 0.4)
        }
        let expected = -0.25 / (2 * 0.25) - 0.5 * Foundation.log(2 * Double.pi * 0.25)  // x − m = 0.5, σ² = 0.3² + 0.4²
        #expect(abs(try twice.exactLogLikelihood(given: [1])([0.5]) - expected) < 1e-12)
        // No exact likelihood: a custom noise, no noise, a stochastic simulator; bad observations.
        let custom = try SimulationModel {
            Parameter("m", Normal(0, 1))
            Simulator(outputLength: 1) { θ, _ in [θ[0]] }
            NoiseModel("glitch") { x, rng in x[0] += rng.nextUniform() }
        }
        let stochastic = try SimulationModel {
            Parameter("m", Normal(0, 1))
            Simulator(outputLength: 1) { θ, rng in [θ[0] + rng.nextNormal()] }
            NoiseModel.gaussian(sigma: 0.1)
        }
        let silent = try SimulationModel {
            Parameter("m", Normal(0, 1))
            Simulator(outputLength: 1) { θ, _ in [θ[0]] }
        }
        for model in [custom, stochastic, silent] {
            #expect(throws: SamplingError.self) { _ = try model.exactLogLikelihood(given: [0]) }
        }
        #expect(throws: SamplingError.self) { _ = try twice.exactLogLikelihood(given: [0, 1]) }
        #expect(throws: SamplingError.self) { _ = try twice.exactLogLikelihood(given: [.nan]) }
    }

    /// A declared `Likelihood` is what `exactLogLikelihood` returns — also for a stochastic
    /// simulator, which without it is refused; a throwing likelihood gives −∞; two are refused.
    @Test func declaredLikelihoodIsTheModelsExactLikelihood() throws {
        let declared = try SimulationModel {
            Parameter("m", Normal(0, 1))
            Simulator(outputLength: 1) { θ, rng in [θ[0] + 0.5 * rng.nextNormal()] }   // the noise inside
            Likelihood { θ, x in
                guard θ[0] < 10 else { throw ModelError.invalidOutputLength(0) }
                return -0.5 * ((x[0] - θ[0]) / 0.5) * ((x[0] - θ[0]) / 0.5) - Foundation.log(0.5 * (2 * Double.pi).squareRoot())
            }
        }
        #expect(declared.likelihood != nil)
        let logLikelihood = try declared.exactLogLikelihood(given: [1])
        let expected = -0.5 * 4 - Foundation.log(0.5 * (2 * Double.pi).squareRoot())  // (1 − 0)/0.5 = 2
        #expect(abs(logLikelihood([0]) - expected) < 1e-12)
        #expect(logLikelihood([11]) == -.infinity)
        #expect(logLikelihood([0, 1]).isNaN)
        #expect(throws: SamplingError.self) { _ = try declared.exactLogLikelihood(given: [.nan]) }
        #expect(throws: ModelError.likelihoodCount(2)) {
            _ = try SimulationModel {
                Parameter("m", Normal(0, 1))
                Simulator(outputLength: 1) { θ, _ in [θ[0]] }
                Likelihood { _, _ in 0 }
                Likelihood { _, _ in 0 }
            }
        }
    }

    // MARK: GNPE-IS on the location model

    /// The importance-sampled GNPE gives the analytic log evidence within 4 standard errors (+0.005
    /// for the flow's Float32 densities), reweighted means within 0.1 posterior sd and sds within
    /// 10 %, for three observations; a wrong likelihood is caught by a low efficiency.
    @Test func importanceSampledGNPEMatchesTheAnalyticPosteriorAndEvidence() throws {
        let gnpe = try GNPETests.shared.get()
        let posterior = try gnpe.posterior
        posterior.printsWarnings = false
        let sd = Self.location.posteriorStandardDeviations
        for (k, truth) in [[-12.0, 0.5], [3.0, -1.2], [15.0, 0.0]].enumerated() {
            let x = Self.observation(truth, seed: UInt64(40 + k))
            let result = try posterior.importanceSampled(count: 4000, given: x, proxyCount: 2000, seed: UInt64(k))
            let analytic = Self.location.logEvidence(given: x), mean = Self.location.posteriorMean(given: x)
            let m = result.weightedMean, s = result.weightedStandardDeviations
            print(String(format: "location obs %d: log Z %.4f ± %.4f vs analytic %.4f; efficiency %.3f, ESS %.0f of %d; mixture components %d",
                         k, result.logEvidence, result.logEvidenceStandardError, analytic, result.sampleEfficiency,
                         result.effectiveSampleSize, result.samples.rows, result.proxyDensity.componentCount))
            #expect(abs(result.logEvidence - analytic) < 4 * result.logEvidenceStandardError + 0.005,
                    "observation \(k): log evidence \(result.logEvidence) ± \(result.logEvidenceStandardError) vs \(analytic)")
            #expect(result.sampleEfficiency > 0.2)
            for j in 0 ..< 2 {
                #expect(abs(m[j] - mean[j]) < 0.1 * sd[j], "observation \(k), parameter \(j): mean \(m[j]) vs \(mean[j])")
                #expect(abs(s[j] / sd[j] - 1) < 0.1, "observation \(k), parameter \(j): sd \(s[j]) vs \(sd[j])")
            }
            #expect(result.samples.rows == 4000 && result.proxies.columns == 1 && result.proposalLogDensities.count == 4000)
            let resampled = try result.resampled(count: 1000, seed: 9)
            #expect(resampled.rows == 1000 && abs(resampled.columnMeans[0] - mean[0]) < 0.2 * sd[0])
            if k == 0 {
                // A wrong likelihood (noise σ half the true one) weighs badly: the efficiency drops.
                let wrong = try posterior.importanceSampled(count: 4000, given: x, logLikelihood: { θ in
                    GaussianLocationModel(sigma: 0.25).logLikelihood(of: θ, observation: x)
                }, proxyCount: 2000, seed: 7)
                print(String(format: "wrong likelihood: efficiency %.4f", wrong.sampleEfficiency))
                #expect(wrong.sampleEfficiency < 0.5 * result.sampleEfficiency)
            }
        }
    }

    /// The proposal's pieces are normalised and agree with the sampler: q(ĝ | x) fitted to the
    /// converged proxies integrates to 1 (quadrature); for a fixed ĝ, q(θ | x, ĝ) integrates to 1
    /// over θ (2-D quadrature) and its μ-marginal CDF matches the θ draws (KS); the log densities
    /// returned with the draws equal the conditional density recomputed from θ.
    @Test func proposalDensityIsNormalisedAndMatchesTheSampler() throws {
        let gnpe = try GNPETests.shared.get()
        let posterior = try gnpe.posterior
        posterior.printsWarnings = false
        let x = Self.observation([3, -1.2], seed: 41)
        let result = try posterior.importanceSampled(count: 500, given: x, proxyCount: 2000, seed: 1)
        let q = result.proxyDensity
        let center = result.proxies.columnMeans[0]
        let mass = Self.integral(from: center - 5, to: center + 5, steps: 4000) { q.logDensity(of: [$0]) }
        #expect(abs(mass - 1) < 1e-6, "∫q(ĝ | x) = \(mass)")
        // The fitted proxy law against the converged proxies it was fitted to.
        var rng = RandomSource(seed: 2)
        let gibbs = try posterior.sampleWithDiagnostics(count: 2000, given: x, seed: 5)
        let ks = Self.kolmogorovSmirnov(gibbs.proxies.column(0)) { y in
            Self.integral(from: center - 5, to: y, steps: 2000) { q.logDensity(of: [$0]) }
        }
        // q was fitted to another 2,000 proxies: the two-sample 1 % critical value, 1.63·√(2/2000).
        #expect(ks < 0.0515, "KS of the proxies against q(ĝ | x): \(ks)")

        // log q(θ, ĝ | x) returned with the draws = log q(ĝ | x) + log q(θ | x, ĝ) recomputed.
        let recomputed = try posterior.conditionalLogDensities(of: result.samples, proxies: result.proxies, given: x)
        let logProxy = q.logDensities(of: result.proxies)
        for i in 0 ..< 500 { #expect(abs(result.proposalLogDensities[i] - logProxy[i] - recomputed[i]) < 1e-3) }

        // The public weighing of draws on (θ, ĝ) gives the same weights as importanceSampled's own,
        // and refuses proxies of the wrong width.
        let likelihood = try posterior.model.importanceLogLikelihood(passed: nil, given: x, origin: "test")
        let reweighed = try posterior.extendedImportanceSampling((result.samples, result.proxies, result.proposalLogDensities),
                                                                 logLikelihood: likelihood)
        #expect(reweighed.logWeights == result.importanceSampling.logWeights)
        #expect(throws: SamplingError.self) {
            try posterior.extendedImportanceSampling((result.samples, SampleMatrix(rows: 500, columns: 2), result.proposalLogDensities),
                                                     logLikelihood: likelihood)
        }

        // A fixed proxy: q(θ | x, ĝ₀) on a grid.
        let proxy = [center]
        let point = try GaussianMixture(weights: [1], means: [proxy], covariances: [[[1e-16]]])
        let draws = try posterior.proposalDraws(count: 3000, given: x, proxyDensity: point, using: &rng)
        let mean = draws.samples.columnMeans, sd = Self.location.posteriorStandardDeviations
        let (muLow, muHigh) = (mean[0] - 8 * sd[0], mean[0] + 8 * sd[0]), (aLow, aHigh) = (mean[1] - 8 * sd[1], mean[1] + 8 * sd[1])
        let steps = 120
        var grid = SampleMatrix(rows: (steps + 1) * (steps + 1), columns: 2)
        for i in 0 ... steps {
            for j in 0 ... steps {
                grid[i * (steps + 1) + j, 0] = muLow + (muHigh - muLow) * Double(i) / Double(steps)
                grid[i * (steps + 1) + j, 1] = aLow + (aHigh - aLow) * Double(j) / Double(steps)
            }
        }
        let proxies = SampleMatrix(rows: grid.rows, columns: 1, repeating: center)
        let logq = try posterior.conditionalLogDensities(of: grid, proxies: proxies, given: x)
        // Trapezoid weights in both directions; the μ-marginal on the grid.
        let hMu = (muHigh - muLow) / Double(steps), hA = (aHigh - aLow) / Double(steps)
        var marginal = [Double](repeating: 0, count: steps + 1)
        for i in 0 ... steps {
            for j in 0 ... steps {
                marginal[i] += (j == 0 || j == steps ? 0.5 : 1) * Foundation.exp(logq[i * (steps + 1) + j]) * hA
            }
        }
        let total = marginal.enumerated().reduce(0) { $0 + ($1.offset == 0 || $1.offset == steps ? 0.5 : 1) * $1.element * hMu }
        #expect(abs(total - 1) < 2e-3, "∫q(θ | x, ĝ) dθ = \(total)")
        var cumulative = [0.0]
        for i in 1 ... steps { cumulative.append(cumulative[i - 1] + 0.5 * (marginal[i - 1] + marginal[i]) * hMu) }
        let ksTheta = Self.kolmogorovSmirnov(draws.samples.column(0)) { mu in
            let t = max(0, min(Double(steps), (mu - muLow) / hMu))
            let i = min(steps - 1, Int(t.rounded(.down)))
            return cumulative[i] + (cumulative[i + 1] - cumulative[i]) * (t - Double(i))
        }
        #expect(ksTheta < 1.63 / 3000.0.squareRoot(), "KS of θ draws against the flow's density: \(ksTheta)")
    }

    /// A tempered proposal (the flow's base widened to 𝒩(0, τ²I)) is still exact: the log
    /// evidence stays within 4 standard errors of the analytic one, the returned proposal densities
    /// are the tempered ones recomputed, and the reweighted means stay within 0.1 posterior sd.
    @Test func temperedProposalKeepsTheEvidenceExact() throws {
        let gnpe = try GNPETests.shared.get()
        let posterior = try gnpe.posterior
        posterior.printsWarnings = false
        let x = Self.observation([3, -1.2], seed: 41)
        let analytic = Self.location.logEvidence(given: x), mean = Self.location.posteriorMean(given: x)
        let sd = Self.location.posteriorStandardDeviations
        for tau in [0.9, 1.5] {
            let result = try posterior.importanceSampled(count: 4000, given: x, proxyCount: 2000, temperature: tau, seed: 3)
            print(String(format: "location, τ = %.1f: log Z %.4f ± %.4f vs analytic %.4f; efficiency %.3f",
                         tau, result.logEvidence, result.logEvidenceStandardError, analytic, result.sampleEfficiency))
            #expect(abs(result.logEvidence - analytic) < 4 * result.logEvidenceStandardError + 0.005, "τ = \(tau)")
            let m = result.weightedMean
            for j in 0 ..< 2 { #expect(abs(m[j] - mean[j]) < 0.1 * sd[j], "τ = \(tau), parameter \(j): \(m[j]) vs \(mean[j])") }
            let recomputed = try posterior.conditionalLogDensities(of: result.samples, proxies: result.proxies, given: x, temperature: tau)
            let logProxy = result.proxyDensity.logDensities(of: result.proxies)
            for i in 0 ..< 200 { #expect(abs(result.proposalLogDensities[i] - logProxy[i] - recomputed[i]) < 1e-3) }
        }
        for bad in [0.0, -1, .nan, .infinity] {
            #expect(throws: SamplingError.self) { _ = try posterior.importanceSampled(count: 10, given: x, temperature: bad, seed: 1) }
        }
    }

    @Test func hostileRequestsThrowTypedErrors() throws {
        let gnpe = try GNPETests.shared.get()
        let posterior = try gnpe.posterior
        posterior.printsWarnings = false
        let x = Self.observation([1, 0], seed: 1)
        #expect(throws: GNPEError.invalidCount(0)) { _ = try posterior.importanceSampled(count: 0, given: x, seed: 1) }
        #expect(throws: GNPEError.invalidCount(1)) { _ = try posterior.importanceSampled(count: 10, given: x, proxyCount: 1, seed: 1) }
        #expect(throws: GNPEError.self) { _ = try posterior.importanceSampled(count: 10, given: Array(x.dropLast()), seed: 1) }
        var nan = x
        nan[3] = .nan
        #expect(throws: GNPEError.self) { _ = try posterior.importanceSampled(count: 10, given: nan, seed: 1) }
        // A posterior built by hand knows no model: the likelihood must be passed.
        let bare = GNPEPosterior(flow: posterior.flow, initialNetwork: posterior.initialNetwork, equivariance: posterior.equivariance,
                                 prior: posterior.prior, outputLength: posterior.outputLength)
        #expect(throws: SamplingError.self) { _ = try bare.importanceSampled(count: 10, given: x, seed: 1) }
        bare.printsWarnings = false
        let passed = try bare.importanceSampled(count: 200, given: x, logLikelihood: { θ in
            Self.location.logLikelihood(of: θ, observation: x)
        }, proxyCount: 200, seed: 1)
        #expect(passed.sampleEfficiency > 0)
        // A throwing likelihood's error comes back.
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try posterior.importanceSampled(count: 50, given: x, logLikelihood: { _ in throw Refused() }, proxyCount: 50, seed: 1)
        }
        // Lattice proxies have no density.
        let lattice = GNPEPosterior(flow: posterior.flow, initialNetwork: nil,
                                    equivariance: try DampedOscillator.model(interpolation: .wholeSamples).equivariances[0],
                                    prior: posterior.prior, outputLength: posterior.outputLength)
        #expect(throws: SamplingError.self) {
            _ = try lattice.importanceSampled(count: 10, given: x, logLikelihood: { _ in 0 }, seed: 1)
        }
        #expect(throws: SamplingError.self) {
            _ = try posterior.conditionalLogDensities(of: SampleMatrix(rows: 2, columns: 3), proxies: SampleMatrix(rows: 2, columns: 1), given: x)
        }
        // Interrupted at once: a typed interruption, nothing lost, nothing trapped.
        #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 0)) {
                _ = try posterior.importanceSampled(count: 100, given: x, seed: 1)
            }
        }
    }

    /// An interrupt at every checkpoint in turn: during the Gibbs run and the fit the chains'
    /// state comes back, during weighing the rows weighed so far; the run eventually completes.
    @Test func interruptionsKeepTheWorkDone() throws {
        let posterior = try GNPETests.shared.get().posterior
        posterior.printsWarnings = false
        posterior.iterations = 3
        posterior.maximumProxyComponents = 1
        let x = Self.observation([1, 0.5], seed: 3)
        var kept: [String] = []
        var finished: GNPEImportanceSampling? = nil
        for k in 0 ..< 40 {
            do {
                finished = try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: k)) {
                    try posterior.importanceSampled(count: 5000, given: x, proxyCount: 200, seed: 1)
                }
                break
            } catch let error as InterruptedError {
                switch error.partialResult {
                case let gibbs as GibbsSampler.Result: kept.append("gibbs \(gibbs.proxies.rows)")
                case let partial as GNPEImportanceSampling:
                    kept.append("weighed \(partial.samples.rows)")
                    #expect(partial.samples.rows == partial.importanceSampling.logWeights.count)
                    #expect(partial.proposalLogDensities.count == partial.samples.rows)
                case nil: kept.append("nothing")
                default: kept.append("other")
                }
            }
        }
        print("interrupts kept:", kept)
        #expect(finished?.samples.rows == 5000)
        #expect(kept.contains("gibbs 200"))
        #expect(kept.contains("weighed \(ImportanceSampling.chunkSize)"))
        #expect(!kept.contains("other"))
    }
}
