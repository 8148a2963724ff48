import TensorCore

/// The outcome of ``NPEPosterior/importanceSampled(count:given:logLikelihood:temperature:seed:)``:
/// proposal draws θᵢ from the flow q(θ | x), their log proposal densities, and the importance
/// weights against p(x | θ)p(θ) with their summary (DINGO-IS: Dax et al., "Neural importance
/// sampling for rapid and reliable gravitational-wave inference", PRL 130, 171403 (2023)).
///
/// ```swift
/// let result = try npe.posterior.importanceSampled(count: 10_000, given: x, seed: 1)
/// result.sampleEfficiency                          // ESS / n
/// result.logEvidence, result.logEvidenceStandardError
/// let posterior = try result.resampled(count: 5_000, seed: 2)   // unweighted, [5000, parameterCount]
/// ```
///
/// The summaries come from ``ImportanceSampledPosterior``, shared with ``GNPEImportanceSampling``.
public struct NPEImportanceSampling: ImportanceSampledPosterior {
    /// The proposal's θ draws: `[n, parameterCount]`, columns in ``parameterNames`` order. Draws
    /// outside the prior's support are kept, with weight 0.
    public let samples: SampleMatrix
    /// log q(θᵢ | x), the flow's density (at the proposal's temperature): `[n]`.
    public let proposalLogDensities: [Double]
    /// The weights, effective sample size, efficiency and log evidence.
    public let importanceSampling: ImportanceSampling
    /// The parameter names, in θ order.
    public let parameterNames: [String]
}
