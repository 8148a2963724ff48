import RealModule
import TensorCore

/// A mixture of multivariate normal distributions with full covariances, fitted to samples by
/// expectation–maximisation (Dempster, Laird & Rubin, J. R. Stat. Soc. B 39 (1977); seeding by
/// k-means++, Arthur & Vassilvitskii, SODA 2007; the number of components by the Bayesian
/// information criterion, Schwarz, Ann. Stat. 6 (1978)).
///
/// GNPE's importance sampling uses it as the unconditional density q(ĝ | x) of the converged pose
/// proxies of one observation (DINGO trains a small unconditional flow there; for the few pose
/// dimensions GNPE has — one onset time, one arrival time per detector — a mixture is exact to
/// evaluate, fits in milliseconds and needs no training schedule; see
/// ``GNPEPosterior/importanceSampled(count:given:logLikelihood:seed:)`` for the measurement).
/// Written by hand: EM for a handful of low-dimensional components is ~150 lines and no
/// maintained Swift package offers it.
///
/// ```swift
/// let q = try GaussianMixture(fittingTo: proxies, maximumComponents: 6, seed: 1)   // proxies: [n, d]
/// let logq = q.logDensities(of: proxies)                    // [n]
/// let draws = q.sample(count: 1000, using: &rng)            // [1000, d]
/// ```
public struct GaussianMixture: Sendable {
    /// The mixture weights, summing to 1: `[components]`.
    public let weights: [Double]
    /// The component means: `[components][dimension]`.
    public let means: [[Double]]
    /// The lower Cholesky factors L of the covariances Σ = LLᵀ, row-major: `[components][dimension·dimension]`.
    public let choleskyFactors: [[Double]]
    /// The dimension d.
    public let dimension: Int

    /// The number of components.
    public var componentCount: Int { weights.count }

    /// The covariances Σ_k = L_k L_kᵀ: `[components][dimension][dimension]`.
    public var covariances: [[[Double]]] {
        choleskyFactors.map { l in
            (0 ..< dimension).map { a in
                (0 ..< dimension).map { b in (0 ... min(a, b)).reduce(0) { $0 + l[a * dimension + $1] * l[b * dimension + $1] } }
            }
        }
    }

    /// Creates a mixture from its parts.
    /// - Parameters:
    ///   - weights: `[components]`, positive, summing to 1 (renormalised).
    ///   - means: `[components][dimension]`.
    ///   - covariances: `[components][dimension][dimension]`, symmetric positive definite.
    /// - Throws: ``SamplingError/invalidInput(_:)`` naming the inconsistent or non-finite part or
    ///   the component whose covariance is not positive definite.
    public init(weights: [Double], means: [[Double]], covariances: [[[Double]]]) throws {
        guard !weights.isEmpty, weights.count == means.count, weights.count == covariances.count else {
            throw SamplingError.invalidInput(
                "a mixture needs as many weights, means and covariances (≥ 1), got \(weights.count), \(means.count), \(covariances.count)")
        }
        guard let d = means.first?.count, d > 0 else { throw SamplingError.invalidInput("mixture components need dimension ≥ 1") }
        guard weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw SamplingError.invalidInput("mixture weights must be finite and positive, got \(weights)")
        }
        let total = weights.reduce(0, +)
        var factors: [[Double]] = []
        for k in weights.indices {
            guard means[k].count == d, means[k].allSatisfy(\.isFinite) else {
                throw SamplingError.invalidInput("mean \(k) must have \(d) finite values, got \(means[k])")
            }
            guard covariances[k].count == d, covariances[k].allSatisfy({ $0.count == d && $0.allSatisfy(\.isFinite) }) else {
                throw SamplingError.invalidInput("covariance \(k) must be \(d)×\(d) and finite")
            }
            guard let l = Self.cholesky(covariances[k].flatMap { $0 }, dimension: d) else {
                throw SamplingError.invalidInput("covariance \(k) is not positive definite")
            }
            factors.append(l)
        }
        self.init(weights: weights.map { $0 / total }, means: means, choleskyFactors: factors, dimension: d)
    }

    init(weights: [Double], means: [[Double]], choleskyFactors: [[Double]], dimension: Int) {
        self.weights = weights
        self.means = means
        self.choleskyFactors = choleskyFactors
        self.dimension = dimension
    }

    // MARK: Densities and draws

    /// log q(y).
    /// - Parameter y: `[dimension]` (a wrong length or NaN gives NaN; never traps).
    /// - Returns: The log density.
    public func logDensity(of y: [Double]) -> Double {
        guard y.count == dimension else { return .nan }
        return logSumExp((0 ..< componentCount).map { Double.log(weights[$0]) + componentLogDensity($0, y) })
    }

    /// log q(yᵢ) for each row.
    /// - Parameter samples: `[n, dimension]`.
    /// - Returns: `[n]` (NaN for every row if the width is wrong).
    public func logDensities(of samples: SampleMatrix) -> [Double] {
        (0 ..< samples.rows).map { logDensity(of: samples.row($0)) }
    }

    /// log 𝒩(y | μ_k, Σ_k).
    func componentLogDensity(_ k: Int, _ y: [Double]) -> Double {
        let d = dimension, l = choleskyFactors[k], m = means[k]
        // Solve L z = y − μ by forward substitution; log det Σ = 2 Σ log L_jj.
        var z = [Double](repeating: 0, count: d)
        var quadratic = 0.0, logDiagonal = 0.0
        for a in 0 ..< d {
            var s = y[a] - m[a]
            for b in 0 ..< a { s -= l[a * d + b] * z[b] }
            z[a] = s / l[a * d + a]
            quadratic += z[a] * z[a]
            logDiagonal += Double.log(l[a * d + a])
        }
        return -0.5 * quadratic - logDiagonal - 0.5 * Double(d) * Double.log(2 * Double.pi)
    }

    /// Draws `count` samples.
    /// - Parameters:
    ///   - count: The number of samples (negative counts give none).
    ///   - rng: The random source.
    /// - Returns: `[count, dimension]`.
    public func sample(count: Int, using rng: inout RandomSource) -> SampleMatrix {
        var out = SampleMatrix(rows: max(0, count), columns: dimension)
        let cumulative = weights.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        let d = dimension
        for i in 0 ..< max(0, count) {
            let u = rng.nextUniform() * (cumulative.last ?? 1)
            let k = cumulative.firstIndex { u < $0 } ?? componentCount - 1
            let z = (0 ..< d).map { _ in rng.nextNormal() }
            let l = choleskyFactors[k]
            for a in 0 ..< d {
                var v = means[k][a]
                for b in 0 ... a { v += l[a * d + b] * z[b] }
                out[i, a] = v
            }
        }
        return out
    }

    // MARK: Fitting

    /// Fits mixtures of 1 … `maximumComponents` components by EM and keeps the one with the lowest
    /// Bayesian information criterion, −2 log L + p log n (p = free parameters).
    /// - Parameters:
    ///   - samples: `[n, dimension]`, all finite, n ≥ 2.
    ///   - maximumComponents: The largest number of components tried (default 6), ≥ 1.
    ///   - iterations: The largest number of EM iterations per fit (default 200).
    ///   - seed: Seeds the k-means++ initialisation.
    /// - Throws: ``SamplingError/invalidInput(_:)`` for too few samples, a NaN or ±∞ (naming row and
    ///   column), or a component bound below 1; `InterruptedError` whose `partialResult` is the
    ///   best ``GaussianMixture`` fitted so far (or `nil`).
    public init(fittingTo samples: SampleMatrix, maximumComponents: Int = 6, iterations: Int = 200, seed: UInt64) throws {
        guard maximumComponents >= 1 else {
            throw SamplingError.invalidInput("maximumComponents must be ≥ 1, got \(maximumComponents)")
        }
        var best: (mixture: GaussianMixture, bic: Double)? = nil
        for k in 1 ... min(maximumComponents, max(1, samples.rows / 2)) {
            let fit: (mixture: GaussianMixture, logLikelihood: Double)
            do {
                fit = try Self.fit(samples, components: k, iterations: iterations, seed: seed)
            } catch let error as InterruptedError {
                throw error.keeping(best?.mixture)
            }
            let d = Double(samples.columns), m = Double(fit.mixture.componentCount)
            let parameterCount = m * (d + d * (d + 1) / 2) + m - 1
            let bic = -2 * fit.logLikelihood + parameterCount * Double.log(Double(samples.rows))
            if best == nil || bic < best!.bic { best = (fit.mixture, bic) }
        }
        self = best!.mixture  // the loop runs at least once
    }

    /// Fits a mixture of `components` components by EM.
    /// - Parameters:
    ///   - samples: `[n, dimension]`, all finite, n ≥ 2.
    ///   - components: The number of components, 1 … n (components left with fewer than
    ///     dimension + 1 samples' worth of responsibility are dropped).
    ///   - iterations: The largest number of EM iterations (default 200; stops earlier once the
    ///     mean log-likelihood changes by less than 10⁻⁸).
    ///   - seed: Seeds the k-means++ initialisation.
    /// - Returns: The mixture and its log-likelihood Σ log q(yᵢ).
    /// - Throws: As ``init(fittingTo:maximumComponents:iterations:seed:)``; the partial result of an
    ///   interruption is the mixture after the last complete iteration.
    public static func fit(_ samples: SampleMatrix, components: Int, iterations: Int = 200, seed: UInt64) throws
        -> (mixture: GaussianMixture, logLikelihood: Double)
    {
        let n = samples.rows, d = samples.columns
        guard n >= 2, d >= 1 else { throw SamplingError.invalidInput("fitting a mixture needs ≥ 2 samples of dimension ≥ 1, got [\(n), \(d)]") }
        guard components >= 1, components <= n else {
            throw SamplingError.invalidInput("components must be between 1 and the sample count \(n), got \(components)")
        }
        guard iterations >= 1 else { throw SamplingError.invalidInput("iterations must be ≥ 1, got \(iterations)") }
        if let (row, column, value) = InputValidation.firstNonFinite(in: samples) {
            throw SamplingError.invalidInput("sample [\(row), \(column)] is \(value); every value must be finite")
        }
        // A covariance floor relative to the data's spread keeps components from collapsing.
        let spread = samples.columnCovariance
        let floor = (0 ..< d).map { max(1e-6 * spread[$0][$0], 1e-12) }
        var rng = RandomSource(seed: seed)
        // k-means++ seeding of the means; every component starts with the data's covariance.
        var means = [samples.row(Int(rng.next() % UInt64(n)))]
        var nearest = (0 ..< n).map { squaredDistance(samples.row($0), means[0]) }
        while means.count < components {
            let total = nearest.reduce(0, +)
            guard total > 0 else { break }
            var u = rng.nextUniform() * total, pick = n - 1
            for i in 0 ..< n {
                u -= nearest[i]
                if u <= 0 { pick = i; break }
            }
            means.append(samples.row(pick))
            for i in 0 ..< n { nearest[i] = min(nearest[i], squaredDistance(samples.row(i), means.last!)) }
        }
        let start = (0 ..< d).map { a in (0 ..< d).map { b in spread[a][b] + (a == b ? floor[a] : 0) } }
        guard let startFactor = cholesky(start.flatMap { $0 }, dimension: d) else {
            throw SamplingError.invalidInput("the samples' covariance is not positive definite")
        }
        var mixture = GaussianMixture(weights: Array(repeating: 1 / Double(means.count), count: means.count), means: means,
                                      choleskyFactors: Array(repeating: startFactor, count: means.count), dimension: d)
        var previous = -Double.infinity, logLikelihood = -Double.infinity
        var responsibilities = [Double](repeating: 0, count: n * mixture.componentCount)
        for iteration in 1 ... iterations {
            do {
                try Interruption.checkpoint("fitting a Gaussian mixture, iteration \(iteration) of \(iterations)")
            } catch let error as InterruptedError {
                throw error.keeping(mixture)
            }
            // E-step.
            let m = mixture.componentCount
            if responsibilities.count != n * m { responsibilities = [Double](repeating: 0, count: n * m) }
            logLikelihood = 0
            for i in 0 ..< n {
                let y = samples.row(i)
                var logs = (0 ..< m).map { Double.log(mixture.weights[$0]) + mixture.componentLogDensity($0, y) }
                let total = logSumExp(logs)
                logLikelihood += total
                for k in 0 ..< m { logs[k] = Double.exp(logs[k] - total); responsibilities[i * m + k] = logs[k] }
            }
            if iteration > 1 && abs(logLikelihood - previous) < 1e-8 * Double(n) { break }
            previous = logLikelihood
            // M-step; components with too little responsibility are dropped.
            var weights: [Double] = [], newMeans: [[Double]] = [], factors: [[Double]] = []
            for k in 0 ..< m {
                var mass = 0.0
                var mean = [Double](repeating: 0, count: d)
                for i in 0 ..< n {
                    let r = responsibilities[i * m + k]
                    mass += r
                    for a in 0 ..< d { mean[a] += r * samples[i, a] }
                }
                guard mass > Double(d + 1) else { continue }
                for a in 0 ..< d { mean[a] /= mass }
                var covariance = [Double](repeating: 0, count: d * d)
                for i in 0 ..< n {
                    let r = responsibilities[i * m + k]
                    for a in 0 ..< d {
                        let da = samples[i, a] - mean[a]
                        for b in 0 ... a { covariance[a * d + b] += r * da * (samples[i, b] - mean[b]) }
                    }
                }
                for a in 0 ..< d {
                    for b in 0 ... a { covariance[a * d + b] /= mass; covariance[b * d + a] = covariance[a * d + b] }
                    covariance[a * d + a] += floor[a]
                }
                guard let l = cholesky(covariance, dimension: d) else { continue }
                weights.append(mass / Double(n))
                newMeans.append(mean)
                factors.append(l)
            }
            guard !weights.isEmpty else { break }
            let total = weights.reduce(0, +)
            mixture = GaussianMixture(weights: weights.map { $0 / total }, means: newMeans, choleskyFactors: factors, dimension: d)
        }
        return (mixture, mixture.logDensities(of: samples).reduce(0, +))
    }

    static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// The lower Cholesky factor of a symmetric `[d·d]` matrix, or `nil` if it is not positive definite.
    static func cholesky(_ a: [Double], dimension d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0 ..< d {
            for j in 0 ... i {
                var s = a[i * d + j]
                for k in 0 ..< j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        return l
    }
}
