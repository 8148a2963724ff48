import Flows
import Foundation
import TensorCore

/// A trained GNPE posterior: draws samples by Gibbs sampling over pose proxies
/// (Dax et al., ICLR 2022, arXiv 2111.13139, §3.2), one chain per sample.
///
/// GNPE gives samples but no density: q(θ | x) is the θ-marginal of the chain's stationary law,
/// which has no closed form. ``importanceSampled(count:given:logLikelihood:proxyCount:seed:)``
/// builds a proposal with a density from the converged chains and weighs it (GNPE-IS).
///
/// ```swift
/// let posterior = try gnpe.posterior
/// posterior.iterations = 50
/// let samples = try posterior.sample(count: 10_000, given: x, seed: 1)   // [10_000, parameterCount]
/// posterior.lastDiagnostics?.warning      // nil once the chains settled
/// posterior.lastAcceptanceRate            // fraction of draws inside the prior
/// ```
public final class GNPEPosterior {
    /// The trained flow q(θ_rel | T(ĝ⁻¹)x [, ĝ]).
    public let flow: ConditionalFlow
    /// The initialisation network q(g | x), if trained.
    public let initialNetwork: ConditionalFlow?
    /// The equivariance.
    public let equivariance: ResolvedEquivariance
    /// The prior (draws outside its support are redrawn).
    public let prior: JointPrior
    /// The data length.
    public let outputLength: Int
    /// The model the networks were trained on, if known (``GNPEEstimator/posterior`` sets it):
    /// its Gaussian noise gives ``importanceSampled(count:given:logLikelihood:seed:)`` an exact
    /// likelihood when none is passed.
    public var model: SimulationModel?
    /// Gibbs iterations per draw (default 30).
    public var iterations: Int
    /// Where chains start (default: the initialisation network if trained, else the prior).
    public var initialization: GNPEEstimator.Initialization
    /// Whether θ draws outside the prior's support are redrawn (default `true`, as the exact
    /// conditional has no mass there).
    public var rejectsOutsidePrior = true
    /// The largest number of Gaussian components of the proxy density q(ĝ | x) that
    /// ``importanceSampled(count:given:logLikelihood:proxyCount:seed:)`` fits (default 6; the
    /// number used is chosen by BIC).
    public var maximumProxyComponents = 6
    /// Whether an unsettled run prints its warning to standard error (default `true`).
    public var printsWarnings = true
    /// The diagnostics of the last draw.
    public private(set) var lastDiagnostics: GibbsDiagnostics?
    /// The chains' state after the last complete iteration of an interrupted draw (`nil` after a
    /// draw that finished): `interruptedRun?.samples` are usable, if less settled, samples.
    public private(set) var interruptedRun: GibbsSampler.Result?

    /// The parameter names, in θ order.
    public var parameterNames: [String] { prior.names }
    /// The fraction of θ draws inside the prior in the last draw.
    public var lastAcceptanceRate: Double? { lastDiagnostics?.acceptanceRate }

    /// Creates a posterior from trained networks.
    /// - Parameters:
    ///   - flow: The GNPE flow.
    ///   - initialNetwork: The initialisation network, or `nil`.
    ///   - equivariance: The equivariance the flow was trained with.
    ///   - prior: The prior.
    ///   - outputLength: The data length.
    ///   - iterations: Gibbs iterations (default 30).
    ///   - initialization: The default start (`.network` falls back to `.prior` without a network).
    public init(flow: ConditionalFlow, initialNetwork: ConditionalFlow?, equivariance: ResolvedEquivariance, prior: JointPrior,
                outputLength: Int, iterations: Int = 30, initialization: GNPEEstimator.Initialization = .network) {
        self.flow = flow
        self.initialNetwork = initialNetwork
        self.equivariance = equivariance
        self.prior = prior
        self.outputLength = outputLength
        self.iterations = iterations
        self.initialization = initialization == .network && initialNetwork == nil ? .prior : initialization
    }

    /// Draws `count` samples from the GNPE posterior given one observation.
    /// - Parameters:
    ///   - count: The number of samples (= chains).
    ///   - observation: x: `[outputLength]`.
    ///   - seed: The seed (same seed, same samples).
    /// - Returns: `[count, parameterCount]`, columns in ``parameterNames`` order (periodic
    ///   parameters on their prior's interval: the Gibbs sampler wraps them).
    /// - Throws: See ``sampleWithDiagnostics(count:given:seed:progress:)``.
    public func sample(count: Int, given observation: [Double], seed: UInt64) throws -> SampleMatrix {
        try sampleWithDiagnostics(count: count, given: observation, seed: seed).samples
    }

    /// Draws `count` samples using a caller's random source.
    /// - Parameters:
    ///   - count: The number of samples (= chains).
    ///   - observation: x: `[outputLength]`.
    ///   - rng: The random source.
    /// - Returns: `[count, parameterCount]`.
    /// - Throws: See ``sampleWithDiagnostics(count:given:seed:progress:)``.
    public func sample(count: Int, given observation: [Double], using rng: inout RandomSource) throws -> SampleMatrix {
        try sampleWithDiagnostics(count: count, given: observation, seed: rng.next()).samples
    }

    /// Draws samples and returns them with the last proxies and the Gibbs diagnostics.
    /// - Parameters:
    ///   - count: The number of samples (= chains).
    ///   - observation: x: `[outputLength]`.
    ///   - seed: The seed.
    ///   - progress: Called after every Gibbs iteration with its number and the proxies' drift.
    /// - Returns: The sampler's result.
    /// - Throws: ``GNPEError/invalidCount(_:)`` for a negative count, ``GNPEError/invalidObservation(_:)``
    ///   for an observation of the wrong length or with NaN or ±∞ (naming the index),
    ///   `InsufficientMemoryError` (before allocating) for a count whose chains cannot fit in
    ///   memory, ``GNPEError/lowAcceptance(rate:draws:)``, ``GNPEError/invalidOption(_:)`` for a
    ///   start that does not fit, `InterruptedError` whose `partialResult` is the chains' state
    ///   after the last complete iteration (also kept in ``interruptedRun``). A count of 0 returns
    ///   empty matrices.
    public func sampleWithDiagnostics(count: Int, given observation: [Double], seed: UInt64,
                                      progress: ((_ iteration: Int, _ drift: [Double]) -> Void)? = nil) throws -> GibbsSampler.Result {
        guard count >= 0 else { throw GNPEError.invalidCount(count) }
        guard observation.count == outputLength else {
            throw GNPEError.invalidObservation("expected \(outputLength) values, got \(observation.count)")
        }
        if let bad = InputValidation.firstUnrepresentable(in: observation) {
            throw GNPEError.invalidObservation(
                "value \(observation[bad]) at index \(bad) is not finite" + (observation[bad].isFinite ? " in Float32" : ""))
        }
        let d = equivariance.group.dimension
        guard count > 0 else {
            return GibbsSampler.Result(
                samples: SampleMatrix(rows: 0, columns: prior.dimension), proxies: SampleMatrix(rows: 0, columns: d),
                diagnostics: GibbsDiagnostics(poseNames: equivariance.poseNames,
                                              periodic: equivariance.posePeriods(in: prior).map { $0 != nil }, chainCount: 0,
                                              drift: [], recentDrift: Array(repeating: 0, count: d), window: 1, acceptanceRate: 1))
        }
        // Per chain: θ twice (current and next), the proxies over the drift window, and one
        // standardised copy of the observation (Doubles), plus the flow's Float context.
        let perChain = 2 * prior.dimension + (GibbsSampler().driftWindow + 3) * d + outputLength
        try InputValidation.checkCount(count, columns: perChain, bytesPerValue: 12, purpose: "GNPE sample(count: \(count))")
        var rng = RandomSource(seed: seed)
        let start = try initialPoses(count: count, given: observation, using: &rng)
        let names = equivariance.poseNames
        let result: GibbsSampler.Result
        do {
            result = try GibbsSampler(iterations: iterations).sample(
                observation: observation, equivariance: equivariance,
                conditional: FlowGibbsConditional(flow: flow, equivariance: equivariance),
                initialPoses: start, prior: rejectsOutsidePrior ? prior : nil, poseNames: names,
                posePeriods: equivariance.posePeriods(in: prior), using: &rng, progress: progress)
        } catch let error as InterruptedError {
            interruptedRun = error.partialResult as? GibbsSampler.Result
            throw error
        }
        interruptedRun = nil
        lastDiagnostics = result.diagnostics
        if printsWarnings, let warning = result.diagnostics.warning {
            FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8))
        }
        return result
    }

    /// The chains' starting poses under ``initialization``: `[count, poseDimension]`.
    /// - Throws: ``GNPEError/invalidOption(_:)`` if a fixed pose or pose samples have the wrong
    ///   width, or `.network` is asked for without an initialisation network.
    public func initialPoses(count: Int, given observation: [Double], using rng: inout RandomSource) throws -> SampleMatrix {
        let d = equivariance.group.dimension
        switch initialization {
        case .prior:
            return try GibbsSampler.initialPoses(fromPrior: prior, equivariance: equivariance, count: count, using: &rng)
        case let .fixed(pose):
            guard pose.count == d else { throw GNPEError.initialPoseShape(expected: d, found: pose.count) }
            return try GibbsSampler.initialPoses(fixed: pose, count: count)
        case let .samples(samples):
            guard samples.columns == d else { throw GNPEError.initialPoseShape(expected: d, found: samples.columns) }
            return try GibbsSampler.initialPoses(resampling: samples, count: count, using: &rng)
        case .network:
            guard let initialNetwork else {
                throw GNPEError.invalidOption("no initialisation network was trained; start from .prior, .fixed(pose) or .samples(poses)")
            }
            let x = Tensor(shape: [1, observation.count], scalars: observation.map(Float.init))
            let poses = try initialNetwork.sample(count: count, given: x, using: &rng)
            return try SampleMatrix(rows: count, columns: d, storage: poses.scalars.map(Double.init))
        }
    }
}

extension GNPEEstimator {
    /// The trained posterior, with this estimator's ``iterations`` and ``initialization`` (a new
    /// ``GNPEPosterior`` sharing the trained networks).
    /// - Throws: ``EstimatorError/notTrained`` before training or loading.
    public var posterior: GNPEPosterior {
        get throws {
            guard let flow else { throw EstimatorError.notTrained }
            let posterior = GNPEPosterior(flow: flow, initialNetwork: initialNetwork, equivariance: equivariance, prior: model.prior,
                                          outputLength: model.outputLength, iterations: iterations, initialization: initialization)
            posterior.model = model
            return posterior
        }
    }
}
