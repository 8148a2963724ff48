import Flows
import TensorCore

/// Group equivariant neural posterior estimation (GNPE; M. Dax, S. R. Green, J. Gair, M. Deistler,
/// B. Schölkopf, J. H. Macke, "Group equivariant neural posterior estimation", ICLR 2022,
/// arXiv 2111.13139): a conditional flow trained on data standardised by a blurred pose, sampled
/// by Gibbs sampling over pose proxies.
///
/// The model must declare one ``Equivariance``: the pose parameters g(θ), the group G, the
/// blurring kernel κ and whether the equivariance is exact.
///
/// - **Training** (``train(progress:initialNetworkProgress:)``): every epoch draws ε ~ κ afresh
///   per simulation, forms the proxy ĝ = g(θ)·ε, standardises the data x′ = T(ĝ⁻¹)x and expresses
///   θ relative to ĝ (pose ĝ⁻¹·g(θ)); the flow learns q(θ_rel | x′) for an exact equivariance
///   and q(θ_rel | x′, ĝ) — the proxy appended to the context — for an approximate one (the
///   relative coordinates are a bijection given ĝ, so nothing is lost in the approximate case).
///   Alongside, an **initialisation network** — an NPE over the pose parameters only, on the raw
///   data, with the same embedding kind — learns q(g | x) to start the chains.
/// - **Sampling** (``GNPEPosterior``): ``GibbsSampler`` with one chain per sample, 30 iterations
///   by default (DINGO's setting), started from the initialisation network, the prior's pose, a
///   fixed pose or given pose samples (``Initialization``). Draws outside the prior are redrawn
///   and the acceptance rate is reported; the proxies' drift per iteration and a warning come back
///   as ``GibbsDiagnostics``.
///
/// **Time shifts at the window's edges.** With ``TimeTranslation`` the standardisation
/// T(ĝ⁻¹)x(t) = x(t + ĝ) needs samples between grid points and from outside the window: shifts by
/// fractions of a step interpolate linearly (or by Keys' cubic kernel), which smooths the noise a
/// little, and samples from outside the window are filled with zeros (or the nearest sample),
/// as ``TimeTranslation`` documents. The same standardisation is applied in training and at
/// inference, so the flow learns the data as standardised, interpolation and zero fill included;
/// the equivariance is exact only up to these edge effects (for ``DampedOscillator``, which is
/// exactly 0 before its onset, only the tail that leaves the window and the missing noise in the
/// shifted-in zeros differ).
///
/// ```swift
/// let model = try DampedOscillator.model(kernel: .uniform(width: 0.2))
/// var gnpe = try GNPE(model: model)
/// try gnpe.appendSimulations(count: 10_000, seed: 1)
/// try gnpe.train()
/// let posterior = try gnpe.posterior()
/// let samples = try posterior.sample(count: 10_000, given: observation, seed: 3)   // [10_000, 3]
/// posterior.lastDiagnostics?.warning
/// try gnpe.save(to: url); let again = try GNPE.load(from: url, model: model)
/// ```
public struct GNPE {
    /// The model (prior, simulator, equivariance).
    public let model: SimulationModel
    /// The model's equivariance.
    public let equivariance: ResolvedEquivariance
    /// The flow family and sizes (defaults: MAF, 5 transforms, 50 hidden units, as sbi's NPE).
    public var flowKind: FlowArchitecture.Kind = .maskedAutoregressive
    /// The number of autoregressive transforms.
    public var transformCount: Int = 5
    /// The width of each MADE hidden layer.
    public var hiddenFeatures: Int = 50
    /// The embedding of the (standardised) data, also used by the initialisation network.
    public var embedding: Embedding = .mlp()
    /// Training settings for both networks (sbi's defaults).
    public var settings = TrainingSettings()
    /// Whether ``train(progress:initialNetworkProgress:)`` also trains the initialisation network
    /// (default `true`; without it, sample with ``Initialization/prior`` or a user's estimate).
    public var trainsInitialNetwork = true
    /// How the posterior starts its chains by default (``Initialization/network`` when the
    /// initialisation network is trained, else ``Initialization/prior``).
    public var initialization: Initialization = .network
    /// The number of Gibbs iterations the posterior runs by default (30).
    public var iterations = 30

    /// The stored simulations' parameters: `[simulations, parameterCount]`.
    public internal(set) var parameters: SampleMatrix
    /// The stored simulations' data: `[simulations, outputLength]`.
    public internal(set) var data: SampleMatrix
    /// The number of simulations dropped as invalid (NaN, ±∞, wrong length) so far.
    public internal(set) var droppedSimulationCount = 0

    /// The trained GNPE flow q(θ_rel | T(ĝ⁻¹)x [, ĝ]), or `nil` before training.
    public internal(set) var flow: ConditionalFlow?
    /// The trained initialisation network q(g | x), or `nil`.
    public internal(set) var initialNetwork: ConditionalFlow?
    /// The GNPE flow's training history.
    public internal(set) var history: TrainingHistory?
    /// The initialisation network's training history.
    public internal(set) var initialNetworkHistory: TrainingHistory?

    /// Creates an untrained estimator for a model with one equivariance.
    /// - Parameter model: The model; it must declare exactly one ``Equivariance``.
    /// - Throws: ``GNPEError/noEquivariance`` or ``GNPEError/multipleEquivariances(_:)``.
    public init(model: SimulationModel) throws {
        guard let first = model.equivariances.first else { throw GNPEError.noEquivariance }
        guard model.equivariances.count == 1 else { throw GNPEError.multipleEquivariances(model.equivariances.count) }
        self.model = model
        self.equivariance = first
        parameters = SampleMatrix(rows: 0, columns: model.parameterCount)
        data = SampleMatrix(rows: 0, columns: model.outputLength)
    }

    /// The number of stored simulations.
    public var simulationCount: Int { parameters.rows }

    /// The pose parameters' names.
    public var poseNames: [String] { equivariance.poseIndices.map { model.parameterNames[$0] } }

    /// Draws `count` parameter vectors from the prior, simulates them on all cores and stores the
    /// valid pairs (invalid simulations are dropped and counted, as sbi does).
    /// - Parameters:
    ///   - count: The number of simulations.
    ///   - seed: The seed (same seed, same simulations).
    /// - Returns: A warning line if simulations were dropped, else `nil`.
    /// - Throws: ``InterruptedError`` if the user interrupts.
    @discardableResult
    public mutating func appendSimulations(count: Int, seed: UInt64) throws -> String? {
        var rng = RandomSource(seed: seed)
        let batch = try model.simulateFromPrior(count: count, using: &rng, invalid: .drop)
        append(parameters: batch.parameters, data: batch.data)
        droppedSimulationCount += batch.droppedCount
        return batch.warning
    }

    /// Stores simulations made elsewhere (e.g. read from `.npy` files); rows with NaN or ±∞ are
    /// dropped and counted.
    /// - Parameters:
    ///   - parameters: `[n, parameterCount]`.
    ///   - data: `[n, outputLength]`.
    /// - Returns: A warning line if rows were dropped, else `nil`.
    /// - Throws: ``ModelError/wrongParameterCount(expected:found:)`` or
    ///   ``ModelError/wrongOutputLength(expected:found:theta:)`` for a wrong width, or
    ///   ``GNPEError/invalidOption(_:)`` if the row counts differ.
    @discardableResult
    public mutating func appendSimulations(parameters theta: SampleMatrix, data x: SampleMatrix) throws -> String? {
        guard theta.columns == model.parameterCount else {
            throw ModelError.wrongParameterCount(expected: model.parameterCount, found: theta.columns)
        }
        guard x.columns == model.outputLength else {
            throw ModelError.wrongOutputLength(expected: model.outputLength, found: x.columns, theta: theta.rows > 0 ? theta.row(0) : [])
        }
        guard theta.rows == x.rows else {
            throw GNPEError.invalidOption("\(theta.rows) parameter rows but \(x.rows) data rows")
        }
        let keep = (0 ..< theta.rows).filter { i in
            theta.row(i).allSatisfy(\.isFinite) && x.row(i).allSatisfy(\.isFinite)
        }
        append(parameters: theta.selecting(rows: keep), data: x.selecting(rows: keep))
        let dropped = theta.rows - keep.count
        droppedSimulationCount += dropped
        return dropped == 0 ? nil : "\(dropped) simulation(s) dropped: NaN or infinite values"
    }

    mutating func append(parameters theta: SampleMatrix, data x: SampleMatrix) {
        for i in 0 ..< theta.rows {
            parameters.append(row: theta.row(i))
            data.append(row: x.row(i))
        }
    }
}
