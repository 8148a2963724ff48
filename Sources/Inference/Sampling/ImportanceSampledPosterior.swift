import TensorCore

/// Proposal draws from a neural posterior weighed against the exact likelihood and prior — what
/// ``NPEPosterior/importanceSampled(count:given:logLikelihood:temperature:seed:)`` and
/// ``GNPEPosterior/importanceSampled(count:given:logLikelihood:proxyCount:temperature:seed:)``
/// return — with the summaries both share: efficiency, evidence, weighted moments and
/// unweighted resampling.
public protocol ImportanceSampledPosterior: Sendable {
    /// The proposal's θ draws: `[n, parameterCount]`, columns in ``parameterNames`` order.
    var samples: SampleMatrix { get }
    /// The weights, effective sample size, efficiency and log evidence.
    var importanceSampling: ImportanceSampling { get }
    /// The parameter names, in θ order.
    var parameterNames: [String] { get }
}

extension ImportanceSampledPosterior {
    /// ESS / n, in (0, 1].
    public var sampleEfficiency: Double { importanceSampling.sampleEfficiency }
    /// The effective sample size (Σw)²/Σw².
    public var effectiveSampleSize: Double { importanceSampling.effectiveSampleSize }
    /// log p(x) estimated as log((1/n)Σwᵢ).
    public var logEvidence: Double { importanceSampling.logEvidence }
    /// The standard error of ``logEvidence``.
    public var logEvidenceStandardError: Double { importanceSampling.logEvidenceStandardError }
    /// The fraction of draws whose weight is not zero: for NPE those inside the prior's support
    /// (the flow's leakage shows as a value below 1); for GNPE also with κ(ĝ | g(θ)) > 0.
    public var fractionWithPositiveWeight: Double {
        Double(importanceSampling.logWeights.filter { $0 > -.infinity }.count) / Double(max(1, importanceSampling.logWeights.count))
    }
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
