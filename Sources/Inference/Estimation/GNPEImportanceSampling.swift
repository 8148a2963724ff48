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
public struct GNPEImportanceSampling: Sendable {
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

    /// ESS / n, in (0, 1].
    public var sampleEfficiency: Double { importanceSampling.sampleEfficiency }
    /// The effective sample size (Σw)²/Σw².
    public var effectiveSampleSize: Double { importanceSampling.effectiveSampleSize }
    /// log p(x) estimated as log((1/n)Σwᵢ).
    public var logEvidence: Double { importanceSampling.logEvidence }
    /// The standard error of ``logEvidence``.
    public var logEvidenceStandardError: Double { importanceSampling.logEvidenceStandardError }
    /// The normalised weights, summing to 1: `[n]`.
    public var normalizedWeights: [Double] { importanceSampling.normalizedWeights }
    /// The weighted posterior mean of θ: `[parameterCount]`.
    public var weightedMean: [Double] { importanceSampling.weightedMean(of: samples) }
    /// The weighted posterior standard deviation of each parameter: `[parameterCount]`.
    public var weightedStandardDeviations: [Double] {
        let c = importanceSampling.weightedCovariance(of: samples)
        return (0 ..< samples.columns).map { c[$0][$0].squareRoot() }
    }

    /// Unweighted posterior samples drawn in proportion to the weights (systematic resampling).
    /// - Parameters:
    ///   - count: The number of samples (0 gives none).
    ///   - seed: The seed.
    /// - Returns: `[count, parameterCount]`.
    /// - Throws: ``SamplingError/invalidInput(_:)`` for a negative count; `InsufficientMemoryError`.
    public func resampled(count: Int, seed: UInt64) throws -> SampleMatrix {
        var rng = RandomSource(seed: seed)
        return samples.selecting(rows: try importanceSampling.resampledIndices(count: count, using: &rng))
    }
}
