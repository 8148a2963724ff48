import Foundation
import Testing
import TensorCore
@testable import Inference

/// GNPE-IS on the damped oscillator at the notebook's small budget: the code of the importance
/// sampling cell of notebooks/01-damped-oscillator.ipynb (section 7), run against the tempered-SMC
/// reference's log evidence.
@Suite struct GNPEImportanceSamplingOscillatorTests {
    @Test func notebookCellWeighsGNPEAgainstTheReferenceEvidence() throws {
        // The notebook's setting (small budget): 2,000 simulations, at most 25 epochs, 2,000 samples.
        let sampleCount = 2_000
        let model = try DampedOscillator.model()
        let observation = DampedOscillator.fixedObservations(count: 10).observations.row(0)
        let clock = ContinuousClock.now
        let gnpe = try GNPEEstimator(model: model)
        gnpe.settings.maximumEpochs = 25
        try gnpe.appendSimulations(count: 2_000, seed: 1)
        try gnpe.train()
        print("oscillator GNPE training took \(ContinuousClock.now - clock)")
        let gnpePosterior = try gnpe.posterior
        var referenceRNG = RandomSource(seed: 5)
        let reference = try TemperedSMCSampler().sample(count: sampleCount, prior: model.prior, using: &referenceRNG) { θ in
            DampedOscillator.logLikelihood(of: θ, observation: observation)
        }

        // --- the notebook cell ---
        // GNPE-IS: fit q(t̂₀ | x) to the converged proxies, draw t̂₀ and then θ from the GNPE flow in
        // one pass, and weigh by p(x | θ) p(θ) κ(t̂₀ | t₀) / [q(t̂₀ | x) q(θ | x, t̂₀)]. The
        // likelihood is the model's own: Gaussian noise around a deterministic simulator.
        let gnpeIS = try gnpePosterior.importanceSampled(count: sampleCount, given: observation, seed: 7)
        print(String(format: "GNPE as a proposal: sample efficiency %.1f %%, effective sample size %.0f of %d",
                     100 * gnpeIS.sampleEfficiency, gnpeIS.effectiveSampleSize, gnpeIS.samples.rows))
        print(String(format: "log evidence: GNPE-IS %.2f ± %.2f, tempered SMC %.2f",
                     gnpeIS.logEvidence, gnpeIS.logEvidenceStandardError, reference.logEvidence))
        let reweighted = try gnpeIS.resampled(count: sampleCount, seed: 8)
        // --- end of the cell ---

        print("q(t̂₀ | x): \(gnpeIS.proxyDensity.componentCount) components; Gibbs drift settled: \(gnpeIS.gibbsDiagnostics.hasSettled)")
        #expect(reweighted.rows == sampleCount)
        #expect(gnpeIS.sampleEfficiency > 0.01)
        // The SMC estimate carries its own error (a few tenths at 2,000 particles).
        #expect(abs(gnpeIS.logEvidence - reference.logEvidence) < 4 * gnpeIS.logEvidenceStandardError + 0.5,
                "GNPE-IS \(gnpeIS.logEvidence) ± \(gnpeIS.logEvidenceStandardError) vs SMC \(reference.logEvidence)")
        // How well q(t̂₀ | x) fits the proxies it was fitted to (KS), and NPE-IS at the same budget.
        let q = gnpeIS.proxyDensity
        let proxies = gnpeIS.fittedProxies.column(0).sorted()
        let low = proxies[0] - 1, n = Double(proxies.count)
        var ks = 0.0
        for (k, y) in proxies.enumerated() {
            let cdf = GNPEImportanceSamplingTests.integral(from: low, to: y, steps: 400) { q.logDensity(of: [$0]) }
            ks = max(ks, abs(Double(k + 1) / n - cdf), abs(Double(k) / n - cdf))
        }
        print(String(format: "q(t̂₀ | x): %d component(s) by BIC, KS %.3f against the %d proxies", q.componentCount, ks, proxies.count))
        #expect(ks < 1.63 / n.squareRoot())
        let npe = NPE(model: model)
        npe.settings.maximumEpochs = 25
        try npe.appendSimulations(count: 2_000, seed: 1)
        try npe.train()
        let npePosterior = try npe.posterior
        let npeSamples = try npePosterior.sample(count: sampleCount, given: observation, seed: 3)
        let npeIS = try ImportanceSampling(
            samples: npeSamples, proposalLogDensities: try npePosterior.logProbability(of: npeSamples, given: observation),
            logPrior: { θ in try model.prior.logDensity(of: θ) },
            logLikelihood: { θ in DampedOscillator.logLikelihood(of: θ, observation: observation) })
        print(String(format: "NPE-IS at the same budget: efficiency %.1f %%, log Z %.2f ± %.2f",
                     100 * npeIS.sampleEfficiency, npeIS.logEvidence, npeIS.logEvidenceStandardError))
    }
}
