import TensorCore

/// The outcome of ``GNPEPosterior/importanceSampled(count:given:logLikelihood:proxyCount:seed:)``:
/// proposal draws (θᵢ, ĝᵢ) from q(θ, ĝ | x) = q(ĝ | x)·q(θ | x, ĝ), their log proposal densities,
/// and the importance weights against p(x | θ)p(θ)κ(ĝ | g(θ)) with their summary (Dax et al.,
/// "Neural importance sampling for rapid and reliable gravitational-wave inference", PRL 130,
/// 171403 (2023)).
///
/// ```swift
/// let result = try gnpe.posterior.importanceSampled(count: 10_000, given: x, seed: 1)
/// result.sampleEfficiency                          // ESS / n
/// result.logEvidence, result.logEvidenceStandardError
/// let posterior = try result.resampled(count: 5_000, seed: 2)   // unweighted, [5000, parameterCount]
/// ```
///
/// The summaries (efficiency, evidence, weighted moments, resampling) come from
/// ``ImportanceSampledPosterior``, shared with ``NPEImportanceSampling``.
public struct GNPEImportanceSampling: ImportanceSampledPosterior {
    /// The proposal's θ draws: `[n, parameterCount]`, columns in ``parameterNames`` order.
    public let samples: SampleMatrix
    /// The proposal's proxy draws ĝ, one per θ: `[n, poseDimension]`.
    public let proxies: SampleMatrix
    /// log q(θᵢ, ĝᵢ | x) = log q(ĝᵢ | x) + log q(θᵢ | x, ĝᵢ): `[n]`.
    public let proposalLogDensities: [Double]
    /// The weights, effective sample size, efficiency and log evidence.
    public let importanceSampling: ImportanceSampling
    /// q(ĝ | x), the mixture fitted to the converged Gibbs proxies.
    public let proxyDensity: GaussianMixture
    /// The converged Gibbs proxies that ``proxyDensity`` was fitted to: `[proxyCount, poseDimension]`
    /// (compare them with draws from ``proxyDensity`` to see the fit).
    public let fittedProxies: SampleMatrix
    /// The diagnostics of the Gibbs run whose proxies were fitted.
    public let gibbsDiagnostics: GibbsDiagnostics
    /// The parameter names, in θ order.
    public let parameterNames: [String]
}
