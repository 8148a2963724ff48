import Flows
import TensorCore

extension NPEPosterior {
    /// Importance-samples the NPE posterior of one observation (DINGO-IS, Dax et al., PRL 130,
    /// 171403 (2023)): n draws θᵢ from the flow q(θ | x) weighed by
    ///
    ///     wᵢ = p(x | θᵢ) p(θᵢ) / q(θᵢ | x),
    ///
    /// whose summary gives the effective sample size, the sample efficiency and the log evidence
    /// with its standard error; the weighted θ are posterior samples whatever the flow's errors,
    /// as long as it covers the posterior (a poor flow shows as a low efficiency).
    ///
    /// Unlike ``sample(count:given:seed:)``, draws outside the prior's support are not redrawn
    /// but kept with weight 0: redrawing would make the proposal the flow truncated to the
    /// support, whose normalisation (the acceptance rate) the flow's density does not include,
    /// and bias the evidence by the log of the acceptance rate.
    ///
    /// ```swift
    /// let result = try npe.posterior.importanceSampled(count: 10_000, given: x, seed: 1)
    /// print(result.sampleEfficiency, result.logEvidence, result.logEvidenceStandardError)
    /// let samples = try result.resampled(count: 10_000, seed: 2)
    /// ```
    /// - Parameters:
    ///   - count: The number of proposal draws n ≥ 1.
    ///   - observation: x, `[observationLength]`, finite.
    ///   - logLikelihood: log p(x | θ) for θ `[parameterCount]` (called from several threads at
    ///     once; NaN counts as −∞; its errors are rethrown); `nil` (default) uses the model's
    ///     (``SimulationModel/exactLogLikelihood(given:)``).
    ///   - temperature: τ > 0 (default 1): draw from the flow with its base distribution widened
    ///     to 𝒩(0, τ²I) and weigh with that density
    ///     (``ConditionalFlow/logProbability(of:given:temperature:)``), so the weights stay exact —
    ///     defensive importance sampling for a flow that is a little off or too narrow somewhere.
    ///   - seed: The seed (same seed, same result).
    /// - Returns: The draws, their log densities, the weights and their summary.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for count < 1 or a temperature that is not
    ///   positive and finite; ``EstimatorError/shapeMismatch(_:)``/``EstimatorError/nonFiniteValue(_:)``
    ///   for an observation of the wrong length or with a NaN; ``SamplingError/noLikelihood(_:)``
    ///   when no likelihood is given and the posterior knows no model with an exact one;
    ///   ``SamplingError/zeroLikelihood`` if every weight is zero; `InsufficientMemoryError` for a
    ///   count that cannot fit in memory; the likelihood's errors; `InterruptedError` (while
    ///   drawing, nothing kept; while weighing, the partial ``ImportanceSampling``).
    public func importanceSampled(
        count: Int, given observation: [Double], logLikelihood: (([Double]) throws -> Double)? = nil,
        temperature: Double = 1, seed: UInt64
    ) throws -> NPEImportanceSampling {
        guard count >= 1 else { throw EstimatorError.invalidArgument("count must be at least 1, got \(count)") }
        guard temperature > 0, temperature.isFinite else {
            throw EstimatorError.invalidArgument("the proposal temperature τ must be positive and finite, got \(temperature)")
        }
        let x = try observationTensor(observation)
        let likelihood = try model.importanceLogLikelihood(passed: logLikelihood, given: observation, origin: "NPE.posterior")
        let d = prior.dimension
        try InputValidation.checkCount(count, columns: 2 * d + 2, bytesPerValue: 8, purpose: "NPE importanceSampled(count: \(count))")
        var rng = RandomSource(seed: seed)
        let draws = try flow.sample(count: count, given: x, temperature: Float(temperature), using: &rng)
        let logDensities = try flow.logProbability(of: draws, given: x, temperature: Float(temperature)).scalars.map(Double.init)
        let samples = try SampleMatrix(rows: count, columns: d, storage: draws.scalars.map(Double.init))
        let prior = self.prior
        let summary = try ImportanceSampling(
            samples: samples, proposalLogDensities: logDensities,
            logPrior: { theta in try prior.logDensity(of: theta) }, logLikelihood: likelihood)
        return NPEImportanceSampling(samples: samples, proposalLogDensities: logDensities, importanceSampling: summary,
                                     parameterNames: parameterNames)
    }
}
