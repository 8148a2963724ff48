import Dispatch
import Foundation
import Inference
import TensorCore

/// A ``BinaryBlackHoleNetwork`` with the coalescence phase integrated out of the likelihood — the
/// field's phase marginalisation (bilby's `phase_marginalization`; DINGO-IS reconstructs the phase
/// the same way, Dax et al., PRL 130, 171403 (2023)) — for networks that infer the other 10
/// parameters, and the exact conditional that puts the phase back.
///
/// **Why.** For a waveform of the (2, 2) mode alone (``FrequencyDomainWaveform/phaseEntersAsCommonFactor``),
/// φ enters the whitened signal as the common factor e^{2iφ}: s(θ) = s₀ e^{2iφ} with s₀ the signal
/// at φ = 0. The posterior in φ is then bimodal (φ and φ + π give the same data) and folded with
/// ψ (ψ + π/2 flips the sign, as φ + π/2 does) — a shape a normalizing flow learns slowly. Its
/// conditional, though, is known exactly: with complex whitened data X_k and z = Σ_k conj(X_k) s₀,k,
///
///     log p(x | θ) = −½(‖X‖² + ‖s₀‖²) − (N/2) log 2π + |z| cos(2φ + arg z),
///
/// so under the uniform phase prior
///
///     log p(x | θ without φ) = −½(‖X‖² + ‖s₀‖²) − (N/2) log 2π + log I₀(|z|)       (marginal likelihood)
///     2φ | x, θ without φ  ~  VonMises(mean: −arg z, concentration: |z|)            (conditional)
///
/// A network trained on this model's 10 parameters (the simulator draws φ afresh for each
/// simulation, so it learns the phase-marginal posterior) is importance-sampled against
/// ``logLikelihood(of:given:)``; ``reconstructingPhase(of:given:seed:)`` then draws φ for every
/// sample from its exact conditional, which leaves the importance weights unchanged: the weighted
/// 11-parameter samples are the full posterior.
///
/// ```swift
/// let network = try BinaryBlackHoleNetwork(.reduced)
/// let marginalized = try PhaseMarginalizedNetwork(network)
/// let gnpe = try GNPEEstimator(model: try marginalized.equivariantModel())     // 10 parameters
/// // … train, then importance-sample against the phase-marginal likelihood (the model's):
/// let result = try gnpe.posterior.importanceSampled(count: 10_000, given: x, seed: 1)
/// let full = try marginalized.reconstructingPhase(of: result.samples, given: x, seed: 2)   // 11 columns
/// ```
public struct PhaseMarginalizedNetwork: ModelComponent, Sendable {
    /// The network whose phase is integrated out.
    public let network: BinaryBlackHoleNetwork

    /// The position of `phase` in the network's θ (``BinaryBlackHoleNetwork/parameterNames``), 5.
    public static let phaseIndex = 5

    /// The 10 parameter names in θ order: the network's without `phase`.
    public var parameterNames: [String] { network.parameterNames.filter { $0 != "phase" } }

    /// Wraps a network.
    /// - Parameter network: The network; its waveform must be a (2, 2)-mode model.
    /// - Throws: ``GravitationalWaveError/invalidConfiguration(_:)`` if the waveform does not
    ///   declare ``FrequencyDomainWaveform/phaseEntersAsCommonFactor`` (with higher modes the phase
    ///   is not a common factor, and integrating it out this way would be wrong).
    public init(_ network: BinaryBlackHoleNetwork) throws {
        guard network.waveform.phaseEntersAsCommonFactor else {
            throw GravitationalWaveError.invalidConfiguration(
                "the waveform \(network.waveform.name) does not declare that φ enters only as the common factor e^{2iφ} (a (2, 2)-mode model), so its phase cannot be marginalised analytically")
        }
        self.network = network
    }

    /// The network's parameters without `phase` (its prior is uniform, so the marginal over it
    /// is the plain integral above).
    public var parameters: [Parameter] {
        var all = network.parameters
        all.remove(at: Self.phaseIndex)
        return all
    }

    /// The joint prior of ``parameters``.
    /// - Returns: The prior over the 10 parameters.
    /// - Throws: ``ModelError`` (not for a network the initialiser accepted).
    public func prior() throws -> JointPrior { try JointPrior(parameters: parameters) }

    /// The network's 11-parameter θ for a 10-parameter one and a phase.
    /// - Parameters:
    ///   - theta: θ without φ, `[10]`.
    ///   - phase: φ (rad).
    /// - Returns: θ, `[11]` in ``BinaryBlackHoleNetwork/parameterNames`` order.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for a θ of another length.
    public func fullParameters(_ theta: [Double], phase: Double) throws -> [Double] {
        guard theta.count == network.parameterCount - 1 else {
            throw GravitationalWaveError.shapeMismatch(
                "θ has \(theta.count) values; the phase-marginalised network's parameters are \(parameterNames.count): \(parameterNames.joined(separator: ", "))")
        }
        var full = theta
        full.insert(phase, at: Self.phaseIndex)
        return full
    }

    /// The declarations of the phase-marginalised model: the 10 ``parameters``, a simulator that
    /// draws φ uniformly on [0, 2π) for each simulation and returns s(θ, φ), the network's unit
    /// Gaussian noise, and the phase-marginal ``logLikelihood(of:given:)`` as the model's
    /// `Likelihood` (so importance sampling needs no likelihood argument).
    public var declarations: [ModelDeclaration] {
        let marginalized = self
        return parameters.map { ModelDeclaration.parameter($0) } + [
            .simulator(Simulator(outputLength: network.outputLength) { theta, rng in
                try marginalized.network.signal(try marginalized.fullParameters(theta, phase: 2 * .pi * rng.nextUniform()))
            }),
            .noise(NoiseModel.gaussian("detector noise", sigma: 1)),
            .likelihood(Likelihood { theta, x in try marginalized.logLikelihood(of: theta, given: x) }),
        ]
    }

    /// The model for NPE: ``declarations``.
    /// - Returns: The model, `[10]` parameters → `[outputLength]` values.
    /// - Throws: ``ModelError`` (not for a network the initialiser accepted).
    public func simulationModel() throws -> SimulationModel { try SimulationModel(declarations: declarations) }

    /// The model for GNPE: ``declarations`` with the network's equivariance (pose t_I(θ), per-detector
    /// time shifts, the common shift exact; see ``BinaryBlackHoleNetwork/equivariantModel(kernel:)``).
    /// - Parameter kernel: κ per detector (default uniform on ±1 ms, as DINGO).
    /// - Returns: The model.
    /// - Throws: ``ModelError`` for an invalid kernel.
    public func equivariantModel(kernel: BlurKernel = .uniform(width: 0.002)) throws -> SimulationModel {
        try SimulationModel(declarations: declarations + [
            .equivariance(network.arrivalTimeEquivariance(pose: arrivalTimePose, kernel: kernel))
        ])
    }

    /// The arrival times t_I(θ) as a computed pose over the 10 parameters (they do not depend on φ).
    public var arrivalTimePose: ComputedPose {
        let marginalized = self
        return ComputedPose(network.detectors.map { "t_\($0.name)" }) { theta in
            (try? marginalized.network.arrivalTimes(of: marginalized.fullParameters(theta, phase: 0)))
                ?? [Double](repeating: .nan, count: marginalized.network.detectors.count)
        }
    }

    /// The phase-marginal log-likelihood log p(x | θ without φ) = log (1/2π) ∫ p(x | θ, φ) dφ
    /// (see the type's documentation), normalised as a density of x like
    /// ``BinaryBlackHoleNetwork/logLikelihood(of:given:)``.
    /// - Parameters:
    ///   - theta: θ without φ, `[10]`.
    ///   - observation: x, `[outputLength]`.
    /// - Returns: The log-likelihood.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for a θ or x of another length,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` for a value that is not finite or a θ
    ///   outside the waveform's domain.
    public func logLikelihood(of theta: [Double], given observation: [Double]) throws -> Double {
        try network.checkObservation(observation)
        return try marginalLogLikelihood(theta, observation)
    }

    /// ``logLikelihood(of:given:)`` for every row of a batch, on all cores.
    /// - Parameters:
    ///   - thetas: θ without φ, `[batch, 10]`.
    ///   - observation: x, `[outputLength]`.
    /// - Returns: `[batch]`.
    /// - Throws: As ``logLikelihood(of:given:)``, naming the lowest invalid row.
    public func logLikelihoods(of thetas: SampleMatrix, given observation: [Double]) throws -> [Double] {
        guard thetas.columns == parameterNames.count else {
            throw GravitationalWaveError.shapeMismatch(
                "θ has \(thetas.columns) columns; the phase-marginalised network has \(parameterNames.count) parameters")
        }
        try network.checkObservation(observation)
        return try network.evaluatingRows(of: thetas) { theta, _ in try marginalLogLikelihood(theta, observation) }
    }

    /// The exact conditional of the phase: the law of 2φ (mod 2π) given x and the other
    /// parameters, VonMises(mean: −arg z, concentration: |z|).
    /// - Parameters:
    ///   - theta: θ without φ, `[10]`.
    ///   - observation: x, `[outputLength]`.
    /// - Returns: The von Mises law of 2φ.
    /// - Throws: As ``logLikelihood(of:given:)``.
    public func doubledPhaseConditional(of theta: [Double], given observation: [Double]) throws -> VonMises {
        try network.checkObservation(observation)
        let terms = try phaseTerms(theta, observation)
        return VonMises(mean: terms.meanDoubledPhase, concentration: terms.concentration)
    }

    /// Puts the phase back: for every row θ (without φ), draws φ from its exact conditional
    /// p(φ | x, θ) — 2φ from ``doubledPhaseConditional(of:given:)``, then φ or φ + π with
    /// probability ½ each, in [0, 2π) — and returns the network's 11-parameter samples. Weights
    /// computed for the 10-parameter samples against ``logLikelihood(of:given:)`` are the weights
    /// of these samples against the full likelihood with the proposal q(θ)·p(φ | x, θ).
    /// A row outside the prior (which importance sampling gives weight 0) gets φ from its uniform
    /// prior. Row i draws from stream i of the seed, on all cores (the result does not depend on
    /// the thread count).
    /// - Parameters:
    ///   - samples: θ without φ, `[n, 10]`.
    ///   - observation: x, `[outputLength]`.
    ///   - seed: The seed.
    /// - Returns: `[n, 11]`, in ``BinaryBlackHoleNetwork/parameterNames`` order.
    /// - Throws: As ``logLikelihoods(of:given:)``.
    public func reconstructingPhase(of samples: SampleMatrix, given observation: [Double], seed: UInt64) throws -> SampleMatrix {
        guard samples.columns == parameterNames.count else {
            throw GravitationalWaveError.shapeMismatch(
                "the samples have \(samples.columns) columns; the phase-marginalised network has \(parameterNames.count) parameters")
        }
        try network.checkObservation(observation)
        let root = RandomSource(seed: seed)
        let prior = try prior()
        let phases = try network.evaluatingRows(of: samples) { theta, row in
            var rng = root.stream(row)
            // A proposal draw outside the prior (weight 0) keeps φ from its uniform prior: its
            // signal may not exist (e.g. |χ| > 1).
            guard try prior.logDensity(of: theta) > -.infinity else { return 2 * .pi * rng.nextUniform() }
            let terms = try phaseTerms(theta, observation)
            let doubled = VonMises(mean: terms.meanDoubledPhase, concentration: terms.concentration).sample(using: &rng)
            let phase = 0.5 * doubled + (rng.nextUniform() < 0.5 ? 0 : Double.pi)
            let wrapped = phase.truncatingRemainder(dividingBy: 2 * .pi)
            return wrapped < 0 ? wrapped + 2 * .pi : wrapped
        }
        var full = SampleMatrix(rows: samples.rows, columns: network.parameterCount)
        for i in 0 ..< samples.rows { try full.setRow(i, to: fullParameters(samples.row(i), phase: phases[i])) }
        return full
    }

    /// log p(x | θ without φ) for a checked observation.
    private func marginalLogLikelihood(_ theta: [Double], _ observation: [Double]) throws -> Double {
        let terms = try phaseTerms(theta, observation)
        return terms.constant + VonMises.logBesselI0(terms.concentration)
    }

    /// The φ-independent part of log p(x | θ, φ) and the von Mises parameters of 2φ, from one
    /// signal at φ = 0.
    private func phaseTerms(_ theta: [Double], _ observation: [Double]) throws
        -> (constant: Double, concentration: Double, meanDoubledPhase: Double)
    {
        let s = try network.signal(try fullParameters(theta, phase: 0))
        var dataNorm = 0.0, signalNorm = 0.0, re = 0.0, im = 0.0
        for k in 0 ..< s.count / 2 {
            let a = observation[2 * k], b = observation[2 * k + 1], c = s[2 * k], d = s[2 * k + 1]
            dataNorm += a * a + b * b
            signalNorm += c * c + d * d
            re += a * c + b * d  // conj(X)·S
            im += a * d - b * c
        }
        return (-0.5 * (dataNorm + signalNorm) - network.logNormalization, (re * re + im * im).squareRoot(), -atan2(im, re))
    }
}
