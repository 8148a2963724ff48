import RealModule
import TensorCore

/// Importance sampling of proposal samples (e.g. from an NPE or GNPE posterior) against the
/// known likelihood and prior: weights w_i = p(x | θ_i)π(θ_i)/q(θ_i), effective sample size,
/// sample efficiency and log evidence with its standard error (Dax et al., "Neural importance
/// sampling for rapid and reliable gravitational-wave inference", PRL 130 (2023)).
///
/// With n samples, ESS = (Σw)²/Σw², efficiency ε = ESS/n, evidence Ẑ = (1/n)Σw_i and
/// σ(log Ẑ) = √((1 − ε)/(nε)) (the delta method on the sample mean of the weights).
public struct ImportanceSampling: Sendable {
    /// The unnormalised log weights log w_i (−∞ where the prior or likelihood vanishes): `[n]`.
    public let logWeights: [Double]
    /// The normalised weights, summing to 1: `[n]`.
    public let normalizedWeights: [Double]
    /// The effective sample size (Σw)²/Σw².
    public let effectiveSampleSize: Double
    /// ESS / n, in (0, 1].
    public let sampleEfficiency: Double
    /// log Ẑ = log((1/n) Σ w_i), the log evidence.
    public let logEvidence: Double
    /// The standard error of ``logEvidence``, √((1 − ε)/(nε)).
    public let logEvidenceStandardError: Double

    /// Weighs proposal samples.
    /// - Parameters:
    ///   - samples: θ_i from the proposal q: `[n, dimension]`.
    ///   - proposalLogDensities: log q(θ_i): `[n]`.
    ///   - logPrior: log π(θ) (−∞ outside the prior's support).
    ///   - logLikelihood: log p(x | θ); called from several threads at once; NaN counts as −∞.
    /// - Throws: ``SamplingError/countMismatch(samples:logDensities:)``, ``SamplingError/zeroLikelihood``
    ///   if every weight is zero.
    public init(
        samples: SampleMatrix, proposalLogDensities: [Double],
        logPrior: @escaping ([Double]) -> Double, logLikelihood: @escaping ([Double]) -> Double
    ) throws {
        guard samples.rows == proposalLogDensities.count else {
            throw SamplingError.countMismatch(samples: samples.rows, logDensities: proposalLogDensities.count)
        }
        let lw = parallelValues(count: samples.rows) { i in
            let t = samples.row(i)
            let lp = logPrior(t)
            guard lp > -.infinity else { return -.infinity }
            let ll = logLikelihood(t)
            guard !ll.isNaN else { return -.infinity }
            return ll + lp - proposalLogDensities[i]
        }
        try self.init(logWeights: lw)
    }

    /// Summarises given log weights.
    /// - Parameter logWeights: log w_i: `[n]`.
    /// - Throws: ``SamplingError/zeroLikelihood`` if every weight is zero.
    public init(logWeights: [Double]) throws {
        let n = Double(logWeights.count)
        let lse = logSumExp(logWeights)
        guard lse > -.infinity, lse.isFinite else { throw SamplingError.zeroLikelihood }
        self.logWeights = logWeights
        normalizedWeights = logWeights.map { _exp($0 - lse) }
        let sumSquares = normalizedWeights.reduce(0) { $0 + $1 * $1 }
        effectiveSampleSize = 1 / sumSquares
        sampleEfficiency = min(1, effectiveSampleSize / n)
        logEvidence = lse - Double.log(n)
        logEvidenceStandardError = (max(0, 1 - sampleEfficiency) / (n * sampleEfficiency)).squareRoot()
    }

    /// The weighted mean of the samples: `[dimension]`.
    /// - Parameter samples: The same samples, `[n, dimension]`.
    public func weightedMean(of samples: SampleMatrix) -> [Double] {
        var m = [Double](repeating: 0, count: samples.columns)
        for i in 0 ..< samples.rows where normalizedWeights[i] > 0 {
            for j in 0 ..< samples.columns { m[j] += normalizedWeights[i] * samples[i, j] }
        }
        return m
    }

    /// The weighted covariance of the samples: `[dimension][dimension]`.
    public func weightedCovariance(of samples: SampleMatrix) -> [[Double]] {
        let m = weightedMean(of: samples)
        let d = samples.columns
        var c = Array(repeating: Array(repeating: 0.0, count: d), count: d)
        for i in 0 ..< samples.rows where normalizedWeights[i] > 0 {
            for a in 0 ..< d {
                for b in 0 ..< d { c[a][b] += normalizedWeights[i] * (samples[i, a] - m[a]) * (samples[i, b] - m[b]) }
            }
        }
        return c
    }

    /// Indices of `count` samples drawn with replacement in proportion to the weights
    /// (systematic resampling), for unweighted posterior samples.
    public func resampledIndices(count: Int, using rng: inout RandomSource) -> [Int] {
        let u0 = rng.nextUniform() / Double(count)
        var out = [Int](repeating: 0, count: count)
        var cumulative = normalizedWeights[0], j = 0
        for i in 0 ..< count {
            let u = u0 + Double(i) / Double(count)
            while u > cumulative && j < normalizedWeights.count - 1 {
                j += 1
                cumulative += normalizedWeights[j]
            }
            out[i] = j
        }
        return out
    }
}
