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
    ///
    /// The likelihood is evaluated in chunks of ``chunkSize`` samples; the user's interrupt is
    /// polled between chunks.
    /// - Parameters:
    ///   - samples: θ_i from the proposal q: `[n, dimension]`, n ≥ 1, all finite.
    ///   - proposalLogDensities: log q(θ_i): `[n]`; −∞ only where the prior vanishes too.
    ///   - logPrior: log π(θ) (−∞ outside the prior's support), e.g.
    ///     `{ θ in try prior.logDensity(of: θ) }`; its errors are rethrown.
    ///   - logLikelihood: log p(x | θ); called from several threads at once; NaN counts as −∞; its
    ///     errors are rethrown (the one of the lowest row).
    /// - Throws: ``SamplingError/countMismatch(samples:logDensities:)``,
    ///   ``SamplingError/invalidInput(_:)`` for no samples, a NaN or ±∞ in θ (naming row and
    ///   column) or an invalid proposal log density (naming the row),
    ///   ``SamplingError/zeroLikelihood`` if every weight is zero, the closures' errors, and
    ///   `InterruptedError` whose `partialResult` is the ``ImportanceSampling`` of the samples
    ///   weighed so far (rows `0 ..< partial.logWeights.count`), or `nil` if none has a
    ///   positive weight yet.
    public init(
        samples: SampleMatrix, proposalLogDensities: [Double],
        logPrior: @escaping ([Double]) throws -> Double, logLikelihood: @escaping ([Double]) throws -> Double
    ) throws {
        guard samples.rows == proposalLogDensities.count else {
            throw SamplingError.countMismatch(samples: samples.rows, logDensities: proposalLogDensities.count)
        }
        guard samples.rows > 0 else { throw SamplingError.invalidInput("there are no samples to weigh") }
        if let (row, column, value) = InputValidation.firstNonFinite(in: samples) {
            throw SamplingError.invalidInput("sample θ[\(row), \(column)] is \(value); every sample value must be finite")
        }
        if let i = proposalLogDensities.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
            throw SamplingError.invalidInput(
                "the proposal log density of row \(i) is \(proposalLogDensities[i]); it must be finite or −∞")
        }
        var lw: [Double] = []
        lw.reserveCapacity(samples.rows)
        for start in stride(from: 0, to: samples.rows, by: Self.chunkSize) {
            do {
                try Interruption.checkpoint("importance sampling, \(start) of \(samples.rows) samples weighed")
            } catch let error as InterruptedError {
                throw error.keeping(try? ImportanceSampling(logWeights: lw))
            }
            let end = min(start + Self.chunkSize, samples.rows)
            let errors = ErrorSlots(count: end - start)
            let chunk = parallelValues(count: end - start) { k in
                let i = start + k
                let t = samples.row(i)
                do {
                    let lp = try logPrior(t)
                    guard lp > -.infinity else { return -.infinity }
                    guard proposalLogDensities[i] > -.infinity else {
                        throw SamplingError.invalidInput(
                            "the proposal log density of row \(i) is −∞ but the prior's is \(lp); the samples must come from the proposal")
                    }
                    let ll = try logLikelihood(t)
                    guard !ll.isNaN else { return -.infinity }
                    return ll + lp - proposalLogDensities[i]
                } catch {
                    errors.record(error, at: k)
                    return -.infinity
                }
            }
            if let error = errors.first { throw error }
            lw.append(contentsOf: chunk)
        }
        try self.init(logWeights: lw)
    }

    /// Samples weighed between two interrupt checks (4,096).
    public static let chunkSize = 4_096

    /// Summarises given log weights.
    /// - Parameter logWeights: log w_i: `[n]`.
    /// - Throws: ``SamplingError/zeroLikelihood`` if every weight is zero.
    public init(logWeights: [Double]) throws {
        if let i = logWeights.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
            throw SamplingError.invalidInput("log weight \(i) is \(logWeights[i]); log weights must be finite or −∞")
        }
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
    /// - Returns: `[dimension]`; the mean over the first ``logWeights``.count rows when `samples`
    ///   has more (e.g. after an interruption), zeros for missing rows.
    public func weightedMean(of samples: SampleMatrix) -> [Double] {
        var m = [Double](repeating: 0, count: samples.columns)
        for i in 0 ..< min(samples.rows, normalizedWeights.count) where normalizedWeights[i] > 0 {
            for j in 0 ..< samples.columns { m[j] += normalizedWeights[i] * samples[i, j] }
        }
        return m
    }

    /// The weighted covariance of the samples: `[dimension][dimension]`.
    public func weightedCovariance(of samples: SampleMatrix) -> [[Double]] {
        let m = weightedMean(of: samples)
        let d = samples.columns
        var c = Array(repeating: Array(repeating: 0.0, count: d), count: d)
        for i in 0 ..< min(samples.rows, normalizedWeights.count) where normalizedWeights[i] > 0 {
            for a in 0 ..< d {
                for b in 0 ..< d { c[a][b] += normalizedWeights[i] * (samples[i, a] - m[a]) * (samples[i, b] - m[b]) }
            }
        }
        return c
    }

    /// Indices of `count` samples drawn with replacement in proportion to the weights
    /// (systematic resampling), for unweighted posterior samples.
    /// - Parameters:
    ///   - count: The number of indices (0 gives none).
    ///   - rng: The random source.
    /// - Returns: `[count]` row indices into the weighed samples.
    /// - Throws: ``SamplingError/invalidInput(_:)`` for a negative count; `InsufficientMemoryError`
    ///   for a count whose indices cannot fit in memory.
    public func resampledIndices(count: Int, using rng: inout RandomSource) throws -> [Int] {
        guard count >= 0 else { throw SamplingError.invalidInput("count must be ≥ 0, got \(count)") }
        guard count > 0 else { return [] }
        let bytes = MemoryBudget.bytes(count, MemoryLayout<Int>.size)
        if bytes > 64 << 20 { try MemoryBudget.current().check(bytes: bytes, for: "resampledIndices(count: \(count))") }
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
