import RealModule
import TensorCore

/// The reference sampler: adaptive tempered sequential Monte Carlo (likelihood tempering from the
/// prior to the posterior with resampling and random-walk Metropolis moves).
///
/// The particles go through the bridge π(θ)·L(θ)^β, β = 0 → 1. Each next β is chosen by
/// bisection so that the incremental weights L^{Δβ} keep an effective sample size of
/// ``targetESSFraction``·N (Jasra et al., Scand. J. Stat. 38 (2011)); the particles are then
/// resampled (systematic resampling) and moved by random-walk Metropolis steps with proposal
/// covariance (2.38²/d)·Σ̂ scaled adaptively, Σ̂ the particles' covariance, repeated until each
/// particle has moved with probability ≥ 99 % (Del Moral, Doucet & Jasra, JRSS B 68 (2006)).
/// Because all particles start from the prior and the modes are weighted by resampling, separated
/// modes (e.g. in the oscillator's onset time t₀) keep their right masses, which a single MCMC
/// chain would not. The log evidence comes for free: log Z = Σ_stages log mean L^{Δβ}.
///
/// Work is parallel over particles; particle i in sweep m draws from its own stream, so the
/// samples do not depend on the thread count.
///
/// ```swift
/// let smc = TemperedSMCSampler()
/// let result = try smc.sample(count: 10_000, prior: DampedOscillator.prior, using: &rng) { θ in
///     DampedOscillator.logLikelihood(of: θ, observation: x)
/// }
/// ```
public struct TemperedSMCSampler: Sendable {
    /// The effective sample size kept at each tempering step, as a fraction of N (default 0.5).
    public var targetESSFraction: Double
    /// The minimum number of Metropolis sweeps per stage (default 2).
    public var minimumMoves: Int
    /// The maximum number of Metropolis sweeps per stage (default 40).
    public var maximumMoves: Int
    /// Extra Metropolis sweeps at β = 1 after the last stage, to decorrelate duplicates (default 10).
    public var finalMoves: Int

    /// Creates a sampler with the given settings.
    public init(targetESSFraction: Double = 0.5, minimumMoves: Int = 2, maximumMoves: Int = 40, finalMoves: Int = 10) {
        self.targetESSFraction = targetESSFraction
        self.minimumMoves = minimumMoves
        self.maximumMoves = maximumMoves
        self.finalMoves = finalMoves
    }

    /// The result: equally weighted posterior samples, the log evidence, and diagnostics.
    public struct Result: Sendable {
        /// Posterior samples: `[count, dimension]`.
        public var samples: SampleMatrix
        /// The SMC estimate of log p(x) = log ∫ π(θ) L(θ) dθ.
        public var logEvidence: Double
        /// The tempering schedule β₀ = 0 < … < 1.
        public var temperatures: [Double]
        /// The mean Metropolis acceptance rate of each stage.
        public var acceptanceRates: [Double]
        /// The number of likelihood evaluations.
        public var likelihoodEvaluations: Int
    }

    /// Samples the posterior ∝ π(θ)·exp(logLikelihood(θ)).
    /// - Parameters:
    ///   - count: The number of particles, = the number of samples returned (e.g. 10,000).
    ///   - prior: The prior π (its support bounds the moves).
    ///   - rng: The random source.
    ///   - logLikelihood: log L(θ) for θ `[dimension]`; called from several threads at once; NaN counts as −∞.
    /// - Returns: ``Result``.
    /// - Throws: ``SamplingError/invalidInput(_:)`` for fewer than 2 particles or settings out of
    ///   range; `InsufficientMemoryError` for a count whose particles cannot fit in memory;
    ///   ``InterruptedError`` if interrupted; ``SamplingError/zeroLikelihood`` if the likelihood is −∞
    ///   everywhere.
    public func sample(
        count: Int, prior: JointPrior, using rng: inout RandomSource,
        logLikelihood: @escaping ([Double]) -> Double
    ) throws -> Result {
        let n = count, d = prior.dimension
        guard n >= 2 else { throw SamplingError.invalidInput("TemperedSMCSampler needs at least 2 particles, got \(n)") }
        guard targetESSFraction > 0, targetESSFraction < 1 else {
            throw SamplingError.invalidInput("targetESSFraction must lie in (0, 1), got \(targetESSFraction)")
        }
        guard minimumMoves >= 0, maximumMoves >= max(minimumMoves, 1), finalMoves >= 0 else {
            throw SamplingError.invalidInput(
                "need 0 ≤ minimumMoves ≤ maximumMoves, maximumMoves ≥ 1 and finalMoves ≥ 0 (got \(minimumMoves), \(maximumMoves), \(finalMoves))")
        }
        // Particles, their proposals and snapshots (Doubles), several times over.
        try InputValidation.checkCount(n, columns: d + 2, bytesPerValue: 6 * MemoryLayout<Double>.size,
                                       purpose: "TemperedSMCSampler.sample(count: \(n))")
        func safeLogL(_ t: [Double]) -> Double {
            let v = logLikelihood(t)
            return v.isNaN ? -.infinity : v
        }
        var particles = prior.sample(count: n, using: &rng)
        var logL = parallelValues(count: n) { safeLogL(particles.row($0)) }
        var logP = (0 ..< n).map { prior.logDensityOfValidVector(particles.row($0)) }
        var evaluations = n
        var beta = 0.0
        var logZ = 0.0
        var temperatures = [0.0]
        var acceptance: [Double] = []
        var scale = 2.38 / Double(d).squareRoot()
        let base = RandomSource(seed: rng.next())
        var sweep = 0

        func essFraction(_ delta: Double) -> Double {
            let lw = logL.map { delta * $0 }
            let lse = logSumExp(lw)
            guard lse > -.infinity else { return 0 }
            let lse2 = logSumExp(lw.map { 2 * $0 })
            return Double.exp(2 * lse - lse2) / Double(n)
        }

        func moveSweeps(minimum: Int, maximum: Int) throws -> Double {
            // Proposal covariance from the current particles.
            let cov = particles.columnCovariance
            let chol = choleskyFactor(cov)
            var notMovedProbability = 1.0
            var rates: [Double] = []
            var m = 0
            while m < maximum && (m < minimum || notMovedProbability > 0.01) {
                try Interruption.checkpoint("reference sampling, β = \(beta)")
                let sweepIndex = sweep
                sweep += 1
                let currentBeta = beta, c = scale
                let snapshot = particles, snapL = logL, snapP = logP
                var accepted = [Double](repeating: 0, count: n)
                var newL = snapL, newP = snapP
                // Propose and accept in parallel; each particle writes only its own slots.
                var flat = snapshot.storage
                flat.withUnsafeMutableBufferPointer { fp in
                    newL.withUnsafeMutableBufferPointer { lp in
                        newP.withUnsafeMutableBufferPointer { pp in
                            accepted.withUnsafeMutableBufferPointer { ap in
                                let fpp = fp, lpp = lp, ppp = pp, app = ap
                                _ = parallelValues(count: n) { i in
                                    var local = base.stream(sweepIndex &* n &+ i)
                                    var z = [Double](repeating: 0, count: d)
                                    for k in 0 ..< d { z[k] = local.nextNormal() }
                                    var t = [Double](repeating: 0, count: d)
                                    for a in 0 ..< d {
                                        var s = 0.0
                                        for b in 0 ... a { s += chol[a][b] * z[b] }
                                        t[a] = fpp[i * d + a] + c * s
                                    }
                                    let lp = prior.logDensityOfValidVector(t)
                                    guard lp > -.infinity else { return 0 }
                                    let ll = safeLogL(t)
                                    let logRatio = (lp - ppp[i]) + currentBeta * (ll - lpp[i])
                                    if Double.log(local.nextUniform()) < logRatio {
                                        for a in 0 ..< d { fpp[i * d + a] = t[a] }
                                        lpp[i] = ll
                                        ppp[i] = lp
                                        app[i] = 1
                                    }
                                    return 0
                                }
                            }
                        }
                    }
                }
                evaluations += n
                particles = try SampleMatrix(rows: n, columns: d, storage: flat)
                logL = newL
                logP = newP
                let rate = accepted.reduce(0, +) / Double(n)
                rates.append(rate)
                notMovedProbability *= (1 - rate)
                // Robbins–Monro-style scale adaptation towards ~25 % acceptance.
                scale *= Double.exp(rate - 0.25)
                scale = min(max(scale, 1e-3), 10)
                m += 1
            }
            return rates.reduce(0, +) / Double(max(rates.count, 1))
        }

        while beta < 1 {
            try Interruption.checkpoint("reference sampling, β = \(beta)")
            guard logL.contains(where: { $0 > -.infinity }) else { throw SamplingError.zeroLikelihood }
            let remaining = 1 - beta
            var delta: Double
            if essFraction(remaining) >= targetESSFraction {
                delta = remaining
            } else {
                var lo = 0.0, hi = remaining
                for _ in 0 ..< 60 {
                    let mid = 0.5 * (lo + hi)
                    if essFraction(mid) >= targetESSFraction { lo = mid } else { hi = mid }
                }
                delta = max(lo, 1e-12)
            }
            let lw = logL.map { delta * $0 }
            let lse = logSumExp(lw)
            logZ += lse - Double.log(Double(n))
            beta = min(1, beta + delta)
            if remaining - delta < 1e-12 { beta = 1 }
            temperatures.append(beta)
            // Systematic resampling.
            let weights = lw.map { Double.exp($0 - lse) }
            let u0 = rng.nextUniform() / Double(n)
            var indices = [Int](repeating: 0, count: n)
            var cumulative = weights[0], j = 0
            for i in 0 ..< n {
                let u = u0 + Double(i) / Double(n)
                while u > cumulative && j < n - 1 {
                    j += 1
                    cumulative += weights[j]
                }
                indices[i] = j
            }
            particles = particles.selecting(rows: indices)
            logL = indices.map { logL[$0] }
            logP = indices.map { logP[$0] }
            acceptance.append(try moveSweeps(minimum: minimumMoves, maximum: maximumMoves))
        }
        if finalMoves > 0 { _ = try moveSweeps(minimum: finalMoves, maximum: finalMoves) }
        return Result(samples: particles, logEvidence: logZ, temperatures: temperatures, acceptanceRates: acceptance, likelihoodEvaluations: evaluations)
    }
}

/// Errors of the samplers.
public enum SamplingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Every particle has zero likelihood (log L = −∞ or NaN).
    case zeroLikelihood
    /// The proposal samples and their log densities differ in number.
    case countMismatch(samples: Int, logDensities: Int)
    /// An input is invalid (a NaN in the samples, a negative count …); the message names it and
    /// its position.
    case invalidInput(String)
    /// No likelihood is available for importance sampling: the model has no exact one (the
    /// message says why) and none was given.
    case noLikelihood(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .zeroLikelihood: return "the likelihood is zero (or NaN) at every particle; check the observation and the likelihood"
        case let .countMismatch(s, l): return "\(s) samples but \(l) proposal log densities"
        case let .invalidInput(m): return m
        case let .noLikelihood(m): return "no likelihood to weigh by: \(m); pass logLikelihood: { θ in … }"
        }
    }
}
