import Foundation
import Testing
import Flows
import TensorCore
@testable import Inference

/// NPE-IS (DINGO-IS for a plain NPE flow) where the answer is known: the location model's
/// posterior is Gaussian and its evidence analytic.
@Suite struct NPEImportanceSamplingTests {
    static let location = GaussianLocationModel()

    /// An NPE trained on the location model at a small budget.
    static func trainedEstimator() throws -> NPE {
        let npe = NPE(model: try location.model())
        npe.architecture = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2,
                                            embedding: .identity(features: location.count), transformCount: 3, hiddenFeatures: 32)
        npe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, maximumEpochs: 40, seed: 4)
        try npe.appendSimulations(count: 3000, seed: 1)
        try npe.train()
        return npe
    }

    nonisolated(unsafe) static let shared = Result { try trainedEstimator() }

    static func observation(_ truth: [Double], seed: UInt64) -> [Double] {
        var rng = RandomSource(seed: seed)
        return location.ramp.map { truth[0] + truth[1] * $0 + location.sigma * rng.nextNormal() }
    }

    /// The evidence within 4 standard errors (+0.005 for Float32 densities) of the analytic one,
    /// the reweighted means within 0.1 posterior sd and sds within 10 %, at τ = 1 and at a
    /// widened τ = 1.5 (same answer, lower efficiency); the returned densities are the flow's at
    /// that temperature; a wrong likelihood is caught by a low efficiency.
    @Test func importanceSampledNPEMatchesTheAnalyticPosteriorAndEvidence() throws {
        let posterior = try Self.shared.get().posterior
        let sd = Self.location.posteriorStandardDeviations
        for (k, truth) in [[-12.0, 0.5], [3.0, -1.2]].enumerated() {
            let x = Self.observation(truth, seed: UInt64(60 + k))
            let analytic = Self.location.logEvidence(given: x), mean = Self.location.posteriorMean(given: x)
            var efficiencies: [Double] = []
            for tau in [1.0, 1.5] {
                let result = try posterior.importanceSampled(count: 4000, given: x, temperature: tau, seed: UInt64(k))
                print(String(format: "NPE-IS location obs %d, τ = %.1f: log Z %.4f ± %.4f vs analytic %.4f; efficiency %.3f; inside prior %.3f",
                             k, tau, result.logEvidence, result.logEvidenceStandardError, analytic, result.sampleEfficiency,
                             result.fractionWithPositiveWeight))
                #expect(abs(result.logEvidence - analytic) < 4 * result.logEvidenceStandardError + 0.005, "observation \(k), τ = \(tau)")
                let m = result.weightedMean, s = result.weightedStandardDeviations
                for j in 0 ..< 2 {
                    #expect(abs(m[j] - mean[j]) < 0.1 * sd[j], "observation \(k), τ = \(tau), parameter \(j): mean \(m[j]) vs \(mean[j])")
                    #expect(abs(s[j] / sd[j] - 1) < 0.1, "observation \(k), τ = \(tau), parameter \(j): sd \(s[j]) vs \(sd[j])")
                }
                let theta = Tensor(shape: [result.samples.rows, 2], scalars: result.samples.floatStorage)
                let recomputed = try posterior.flow.logProbability(of: theta, given: Tensor(shape: [1, x.count], scalars: x.map(Float.init)),
                                                                   temperature: Float(tau)).scalars
                for i in 0 ..< 100 { #expect(abs(result.proposalLogDensities[i] - Double(recomputed[i])) < 1e-3) }
                #expect(try result.resampled(count: 500, seed: 2).rows == 500)
                efficiencies.append(result.sampleEfficiency)
            }
            #expect(efficiencies[0] > 0.3 && efficiencies[1] < efficiencies[0])
            // A wrong likelihood (noise σ a fifth of the true one: a posterior 5× narrower).
            let wrong = try posterior.importanceSampled(count: 4000, given: x, logLikelihood: { θ in
                GaussianLocationModel(sigma: 0.1).logLikelihood(of: θ, observation: x)
            }, seed: 7)
            print(String(format: "NPE-IS, wrong likelihood: efficiency %.3f", wrong.sampleEfficiency))
            #expect(wrong.sampleEfficiency < 0.5 * efficiencies[0])
        }
    }

    @Test func hostileRequestsThrowTypedErrors() throws {
        let posterior = try Self.shared.get().posterior
        let x = Self.observation([1, 0], seed: 1)
        #expect(throws: EstimatorError.self) { _ = try posterior.importanceSampled(count: 0, given: x, seed: 1) }
        for bad in [0.0, -2, .nan, .infinity] {
            #expect(throws: EstimatorError.self) { _ = try posterior.importanceSampled(count: 10, given: x, temperature: bad, seed: 1) }
        }
        #expect(throws: EstimatorError.self) { _ = try posterior.importanceSampled(count: 10, given: Array(x.dropLast()), seed: 1) }
        var nan = x
        nan[2] = .nan
        #expect(throws: EstimatorError.self) { _ = try posterior.importanceSampled(count: 10, given: nan, seed: 1) }
        // A posterior built by hand knows no model: the likelihood must be passed.
        let bare = NPEPosterior(flow: posterior.flow, prior: posterior.prior)
        #expect(throws: SamplingError.self) { _ = try bare.importanceSampled(count: 10, given: x, seed: 1) }
        let passed = try bare.importanceSampled(count: 200, given: x, logLikelihood: { θ in
            Self.location.logLikelihood(of: θ, observation: x)
        }, seed: 1)
        #expect(passed.sampleEfficiency > 0)
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try posterior.importanceSampled(count: 50, given: x, logLikelihood: { _ in throw Refused() }, seed: 1)
        }
        #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 0)) {
                _ = try posterior.importanceSampled(count: 100, given: x, seed: 1)
            }
        }
    }
}
