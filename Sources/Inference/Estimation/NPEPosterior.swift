import Flows
import TensorCore

/// The posterior of a trained ``NPE``: the flow q(θ | x) restricted to the prior's support.
///
/// Samples outside the support are rejected and redrawn (sbi's default); the fraction kept is
/// reported as ``lastAcceptanceRate``. Densities are the flow's, −∞ outside the support and not
/// renormalised for the rejected mass.
///
/// ```swift
/// let posterior = try npe.posterior
/// let samples = try posterior.sample(count: 10_000, given: observation, seed: 3)  // [10000, P]
/// print(posterior.parameterNames, posterior.lastAcceptanceRate ?? 1)
/// let logq = try posterior.logProbability(of: samples, given: observation)       // [10000]
/// ```
public final class NPEPosterior {
    /// The trained flow.
    public let flow: ConditionalFlow
    /// The prior whose support bounds the samples.
    public let prior: JointPrior
    /// Whether samples outside the prior's support are rejected and redrawn (default true).
    public var rejectsOutsidePrior = true
    /// Sampling throws once fewer than this fraction of proposals is accepted (after at least
    /// ``minimumProposalsBeforeGivingUp`` proposals). Default 10⁻³.
    public var minimumAcceptanceRate = 1e-3
    /// Proposals drawn before a low acceptance rate counts as failure (default 100,000).
    public var minimumProposalsBeforeGivingUp = 100_000
    /// The acceptance rate of the last ``sample(count:given:seed:)`` call (1 if nothing was
    /// rejected), `nil` before any sampling.
    public private(set) var lastAcceptanceRate: Double?

    /// The simulation model the flow was trained for, when known (``NPE/posterior`` passes its
    /// model): its exact likelihood is the default of
    /// ``importanceSampled(count:given:logLikelihood:temperature:seed:)``.
    public let model: SimulationModel?

    /// Wraps a trained flow.
    /// - Parameters:
    ///   - flow: The flow q(θ | x); its parameter count must equal the prior's dimension.
    ///   - prior: The prior.
    ///   - model: The model it was trained for (default none: importance sampling then needs a
    ///     likelihood).
    public init(flow: ConditionalFlow, prior: JointPrior, model: SimulationModel? = nil) {
        self.flow = flow
        self.prior = prior
        self.model = model
    }

    /// The parameter names, in column order of the samples.
    public var parameterNames: [String] { prior.names }

    /// Draws samples for one observation.
    /// - Parameters:
    ///   - count: The number of samples.
    ///   - observation: x, `[observationLength]`.
    ///   - seed: Seeds the draw (same seed, same samples).
    /// - Returns: θ, `[count, parameterCount]`, columns named by ``parameterNames``.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` for an observation of the wrong length,
    ///   ``EstimatorError/nonFiniteValue(_:)`` naming the first NaN or ±∞ in it,
    ///   ``EstimatorError/invalidArgument(_:)`` for a negative count, `InsufficientMemoryError` (with
    ///   the figure in bytes, before allocating) for a count that cannot fit in memory,
    ///   ``EstimatorError/acceptanceRateTooLow(rate:proposals:minimum:)``, `InterruptedError`.
    ///   A count of 0 returns an empty `[0, parameterCount]` matrix.
    public func sample(count: Int, given observation: [Double], seed: UInt64) throws -> SampleMatrix {
        var rng = RandomSource(seed: seed)
        return try sample(count: count, given: observation, using: &rng)
    }

    /// Draws samples for one observation from a random source.
    /// - Parameters:
    ///   - count: The number of samples.
    ///   - observation: x, `[observationLength]`.
    ///   - rng: The random source.
    /// - Returns: θ, `[count, parameterCount]`.
    /// - Throws: As ``sample(count:given:seed:)``.
    public func sample(count: Int, given observation: [Double], using rng: inout RandomSource) throws -> SampleMatrix {
        let d = prior.dimension
        guard minimumAcceptanceRate > 0, minimumAcceptanceRate <= 1 else {
            throw EstimatorError.invalidArgument("minimumAcceptanceRate must lie in (0, 1], got \(minimumAcceptanceRate)")
        }
        let x = try observationTensor(observation)
        // The kept Doubles, plus a batch of Float proposals and their base draws.
        try InputValidation.checkCount(count, columns: d, bytesPerValue: 16, purpose: "sample(count: \(count))")
        var kept = [Double]()
        kept.reserveCapacity(count * d)
        var proposals = 0, accepted = 0
        while accepted < count {
            try Interruption.checkpoint("posterior sampling, \(accepted) of \(count)")
            // Propose enough to finish at the acceptance rate seen so far (at least 1,000).
            let rate = proposals == 0 ? 1 : max(Double(accepted) / Double(proposals), minimumAcceptanceRate)
            let need = count - accepted
            let batch = min(max(Int((Double(need) / rate * 1.1).rounded(.up)), 1_000), 1_000_000)
            let draws = try flow.sample(count: rejectsOutsidePrior ? batch : need, given: x, using: &rng)
            let scalars = draws.scalars
            var theta = [Double](repeating: 0, count: d)
            for i in 0..<draws.rows {
                if accepted == count { break }
                proposals += 1
                for j in 0..<d { theta[j] = Double(scalars[i * d + j]) }
                if !rejectsOutsidePrior || prior.contains(theta) {
                    kept.append(contentsOf: theta)
                    accepted += 1
                }
            }
            let acceptance = Double(accepted) / Double(proposals)
            if rejectsOutsidePrior && accepted < count && proposals >= minimumProposalsBeforeGivingUp
                && acceptance < minimumAcceptanceRate {
                lastAcceptanceRate = acceptance
                throw EstimatorError.acceptanceRateTooLow(rate: acceptance, proposals: proposals, minimum: minimumAcceptanceRate)
            }
        }
        // Only proposals examined count: those after the last needed one were never judged.
        lastAcceptanceRate = proposals == 0 ? 1 : Double(accepted) / Double(proposals)
        return try SampleMatrix(rows: count, columns: d, storage: kept)
    }

    /// log q(θ | x) for a batch of parameter vectors; −∞ where θ lies outside the prior's support
    /// (when ``rejectsOutsidePrior``).
    /// - Parameters:
    ///   - theta: `[n, parameterCount]`.
    ///   - observation: x, `[observationLength]`.
    /// - Returns: `[n]` log densities.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` for θ of the wrong width or an observation of
    ///   the wrong length; ``EstimatorError/nonFiniteValue(_:)`` naming the first NaN or ±∞ in θ
    ///   (row and parameter) or in the observation (index).
    public func logProbability(of theta: SampleMatrix, given observation: [Double]) throws -> [Double] {
        try InputValidation.checkParameters(theta, columns: prior.dimension, names: prior.names)
        let x = try observationTensor(observation)
        guard theta.rows > 0 else { return [] }
        let values = try flow.logProbability(of: Tensor(shape: [theta.rows, theta.columns], scalars: theta.floatStorage), given: x)
        return (0..<theta.rows).map { i in
            rejectsOutsidePrior && !prior.contains(theta.row(i)) ? -.infinity : Double(values.scalars[i])
        }
    }

    func observationTensor(_ observation: [Double]) throws -> Tensor {
        try InputValidation.checkObservation(observation, length: flow.observationFeatures)
        return Tensor(shape: [1, observation.count], scalars: observation.map { Float($0) })
    }
}
