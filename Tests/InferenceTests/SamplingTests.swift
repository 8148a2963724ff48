import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct SamplingTests {
    static let location = GaussianLocationModel()
    static let observation: [Double] = {
        var rng = RandomSource(seed: 77)
        let z = location.ramp
        return z.map { 1.3 + 0.7 * $0 + 0.5 * rng.nextNormal() }
    }()

    @Test func smcRecoversAGaussianPosteriorAndItsEvidence() throws {
        let model = try Self.location.model()
        let x = Self.observation
        var rng = RandomSource(seed: 1)
        let result = try TemperedSMCSampler().sample(count: 2000, prior: model.prior, using: &rng) { θ in
            Self.location.logLikelihood(of: θ, observation: x)
        }
        let mean = result.samples.columnMeans
        let cov = result.samples.columnCovariance
        let m = Self.location.posteriorMean(given: x), s = Self.location.posteriorStandardDeviations
        for j in 0 ..< 2 {
            #expect(abs(mean[j] - m[j]) < 0.15 * s[j], "mean[\(j)] \(mean[j]) vs \(m[j])")
            #expect(abs(cov[j][j].squareRoot() / s[j] - 1) < 0.1, "sd[\(j)]")
        }
        #expect(abs(cov[0][1]) / (s[0] * s[1]) < 0.1)  // independent in the posterior
        #expect(abs(result.logEvidence - Self.location.logEvidence(given: x)) < 0.15)
        #expect(result.temperatures.first == 0 && result.temperatures.last == 1)
        // Reproducible.
        var rng2 = RandomSource(seed: 1)
        let again = try TemperedSMCSampler().sample(count: 2000, prior: model.prior, using: &rng2) { θ in
            Self.location.logLikelihood(of: θ, observation: x)
        }
        #expect(again.samples == result.samples)
    }

    /// A bimodal posterior: θ ~ U(−3, 3), x = θ² + 𝒩(0, 0.1²), x = 1: two modes ±1 of equal mass.
    @Test func smcWeighsSeparatedModesCorrectly() throws {
        let prior = try JointPrior([("theta", Uniform(-3, 3))])
        var rng = RandomSource(seed: 2)
        let logL: ([Double]) -> Double = { θ in let r = (1 - θ[0] * θ[0]) / 0.1; return -0.5 * r * r }
        let result = try TemperedSMCSampler().sample(count: 4000, prior: prior, using: &rng, logLikelihood: logL)
        let theta = result.samples.column(0)
        let positive = Double(theta.filter { $0 > 0 }.count) / Double(theta.count)
        #expect(abs(positive - 0.5) < 0.06, "fraction in the positive mode: \(positive)")
        // Evidence by quadrature: ∫ U(θ) exp(logL) dθ.
        let h = 1e-4
        let z = stride(from: -3.0, to: 3.0, by: h).reduce(0) { $0 + exp(logL([$1 + h / 2])) * h } / 6
        #expect(abs(result.logEvidence - log(z)) < 0.1)
        // Within each mode, the spread matches the quadrature posterior: sd ≈ 0.1/(2·1) = 0.05.
        let pos = theta.filter { $0 > 0 }
        let mp = pos.reduce(0, +) / Double(pos.count)
        let sd = (pos.reduce(0) { $0 + ($1 - mp) * ($1 - mp) } / Double(pos.count - 1)).squareRoot()
        #expect(abs(sd / 0.05 - 1) < 0.15)
    }

    static func normalLogDensity(_ x: Double, _ m: Double, _ s: Double) -> Double {
        -0.5 * pow((x - m) / s, 2) - log(s) - 0.5 * log(2 * .pi)
    }

    /// With the exact posterior as proposal every weight equals the evidence: efficiency 1.
    @Test func importanceWeightsAreExactForTheTruePosterior() throws {
        let x = Self.observation, m = Self.location.posteriorMean(given: x), s = Self.location.posteriorStandardDeviations
        var rng = RandomSource(seed: 3)
        var samples = SampleMatrix(rows: 500, columns: 2)
        var logQ = [Double](repeating: 0, count: 500)
        for i in 0 ..< 500 {
            let t = [m[0] + s[0] * rng.nextNormal(), m[1] + s[1] * rng.nextNormal()]
            try samples.setRow(i, to: t)
            logQ[i] = Self.normalLogDensity(t[0], m[0], s[0]) + Self.normalLogDensity(t[1], m[1], s[1])
        }
        let loc = Self.location
        let isr = try ImportanceSampling(samples: samples, proposalLogDensities: logQ, logPrior: loc.logPrior(of:)) {
            loc.logLikelihood(of: $0, observation: x)
        }
        let logZ = loc.logEvidence(given: x)
        #expect(isr.logWeights.allSatisfy { abs($0 - logZ) < 1e-9 })
        #expect(abs(isr.sampleEfficiency - 1) < 1e-9)
        #expect(abs(isr.logEvidence - logZ) < 1e-9 && isr.logEvidenceStandardError < 1e-4)
    }

    /// A broader proposal: the weighted moments, evidence and its error bar are right.
    @Test func importanceSamplingCorrectsABroadProposal() throws {
        let x = Self.observation, m = Self.location.posteriorMean(given: x), s = Self.location.posteriorStandardDeviations
        let loc = Self.location
        let logZ = loc.logEvidence(given: x)
        var rng = RandomSource(seed: 4)
        var inside = 0
        for trial in 0 ..< 20 {
            let n = 4000
            var samples = SampleMatrix(rows: n, columns: 2)
            var logQ = [Double](repeating: 0, count: n)
            let q = [(m[0] + 0.3 * s[0], 2 * s[0]), (m[1] - 0.5 * s[1], 1.8 * s[1])]
            for i in 0 ..< n {
                let t = [q[0].0 + q[0].1 * rng.nextNormal(), q[1].0 + q[1].1 * rng.nextNormal()]
                try samples.setRow(i, to: t)
                logQ[i] = Self.normalLogDensity(t[0], q[0].0, q[0].1) + Self.normalLogDensity(t[1], q[1].0, q[1].1)
            }
            let isr = try ImportanceSampling(samples: samples, proposalLogDensities: logQ, logPrior: loc.logPrior(of:)) {
                loc.logLikelihood(of: $0, observation: x)
            }
            #expect(isr.sampleEfficiency > 0.1 && isr.sampleEfficiency < 0.9)
            if abs(isr.logEvidence - logZ) < 2 * isr.logEvidenceStandardError { inside += 1 }
            if trial == 0 {
                let wm = isr.weightedMean(of: samples), wc = isr.weightedCovariance(of: samples)
                for j in 0 ..< 2 {
                    #expect(abs(wm[j] - m[j]) < 0.1 * s[j])
                    #expect(abs(wc[j][j].squareRoot() / s[j] - 1) < 0.1)
                }
                let idx = try isr.resampledIndices(count: 4000, using: &rng)
                let res = samples.selecting(rows: idx).columnMeans
                #expect(abs(res[0] - m[0]) < 0.15 * s[0])
            }
        }
        // About 95 % of the 2σ intervals cover the true log evidence.
        #expect(inside >= 15, "\(inside) of 20 covered")
    }

    @Test func importanceSamplingRejectsMismatchedInput() {
        #expect(throws: SamplingError.countMismatch(samples: 2, logDensities: 1)) {
            try ImportanceSampling(samples: SampleMatrix(rows: 2, columns: 1), proposalLogDensities: [0], logPrior: { _ in 0 }, logLikelihood: { _ in 0 })
        }
        #expect(throws: SamplingError.zeroLikelihood) { try ImportanceSampling(logWeights: [-.infinity, -.infinity]) }
    }
}
