import Flows
import Foundation
import TensorCore

/// Neural posterior estimation: a conditional normalizing flow q(θ | x) trained by maximum
/// likelihood on simulations (θᵢ, xᵢ) with θᵢ from the prior (Papamakarios & Murray, NeurIPS
/// 2016; Greenberg et al., ICML 2019; the single-round "NPE" of sbi).
///
/// ```swift
/// let npe = try NPE(model: model)
/// npe.architecture.kind = .neuralSpline                // MAF by default
/// npe.settings.maximumEpochs = 200
/// try npe.appendSimulations(count: 10_000, seed: 1)
/// let history = try npe.train { report in print(report.epoch, report.validationLoss) }
/// let posterior = try npe.posterior
/// let samples = try posterior.sample(count: 10_000, given: observation, seed: 3)
/// try npe.save(to: URL(fileURLWithPath: "npe.gnpe"))
/// ```
///
/// Simulations with NaN or infinite values are dropped when appended and counted
/// (``discardedSimulationCount``), reported in the training history and once on standard error.
public final class NPE: PosteriorEstimator {
    /// The prior over θ (its names label the samples).
    public let prior: JointPrior
    /// The simulation model, if the estimator was built from one.
    public let model: SimulationModel?
    /// The length of one data vector x.
    public let observationLength: Int
    /// The flow to train (MAF with sbi's sizes and an MLP embedding by default). Change
    /// `architecture.kind`, `architecture.embedding` (e.g. `.defaultConvolutional(...)` or
    /// `.identity(features: observationLength)`) or sizes before ``train(progress:)``.
    public var architecture: FlowArchitecture
    /// A custom embedding network, built fresh for every training run; overrides
    /// `architecture.embedding` when set. Its input must have `observationLength` features.
    public var customEmbedding: (() -> any EmbeddingNetwork)?
    /// The optimisation settings (sbi's defaults).
    public var settings = TrainingSettings()
    /// The stored simulations.
    var simulations: SimulationStore
    /// Stored parameters θ, `[simulationCount, parameterCount]`.
    public var parameters: SampleMatrix { simulations.parameters }
    /// Stored data x, `[simulationCount, observationLength]`: a `Double` copy of the Float32
    /// store (x is kept as Float32, the precision the flow trains in; ``float32Data`` reads it
    /// without a copy). With `settings.noise = .freshEachEpoch` these are the noise-free signals.
    public var data: SampleMatrix { simulations.data }
    /// Simulations dropped so far because θ or x contained NaN or infinite values.
    public var discardedSimulationCount: Int { simulations.discardedCount }
    /// Messages about dropped simulations, in order.
    public var warnings: [String] { simulations.warnings }
    /// The trained flow, `nil` before training.
    public internal(set) var flow: ConditionalFlow?
    /// The history of the last training run.
    public internal(set) var history: TrainingHistory?

    /// The prior's bounded (uniform, log-uniform) parameters, for
    /// ``FlowArchitecture/parameterSupport`` (off by default, as in sbi): the flow then models
    /// them through a logit map and its samples never leave the prior's support.
    ///
    /// ```swift
    /// npe.architecture.parameterSupport = npe.priorSupport
    /// ```
    public var priorSupport: ParameterSupport { ParameterSupport(boundedParametersOf: prior) }

    /// Creates an estimator for a simulation model.
    /// - Parameter model: The model; its prior and simulator are used.
    public init(model: SimulationModel) {
        self.model = model
        self.prior = model.prior
        self.observationLength = model.outputLength
        self.architecture = .npeDefault(parameterCount: model.parameterCount, observationLength: model.outputLength)
        self.simulations = SimulationStore(parameterCount: model.parameterCount, observationLength: model.outputLength)
    }

    /// Creates an estimator for your own simulations.
    /// - Parameters:
    ///   - prior: The prior the simulations' θ were drawn from.
    ///   - observationLength: The length of one data vector.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` if `observationLength < 1`.
    public init(prior: JointPrior, observationLength: Int) throws {
        guard observationLength >= 1 else {
            throw EstimatorError.invalidArgument("observationLength must be ≥ 1, got \(observationLength)")
        }
        self.model = nil
        self.prior = prior
        self.observationLength = observationLength
        self.architecture = .npeDefault(parameterCount: prior.dimension, observationLength: observationLength)
        self.simulations = SimulationStore(parameterCount: prior.dimension, observationLength: observationLength)
    }

    /// Rebuilds a trained estimator (used by ``load(from:prior:embedding:)``).
    init(prior: JointPrior, observationLength: Int, architecture: FlowArchitecture, settings: TrainingSettings,
         flow: ConditionalFlow, history: TrainingHistory?) {
        self.model = nil
        self.prior = prior
        self.observationLength = observationLength
        self.architecture = architecture
        self.settings = settings
        self.flow = flow
        self.history = history
        self.simulations = SimulationStore(parameterCount: prior.dimension, observationLength: observationLength)
    }

    /// "NPE".
    public var displayName: String { "NPE" }
    /// The parameter names, in θ order.
    public var parameterNames: [String] { prior.names }
    /// The number of stored simulations.
    public var simulationCount: Int { simulations.count }

    /// Trains a fresh flow on all stored simulations (each call starts from new weights).
    ///
    /// The flow's z-scoring is fitted on the training split; training follows ``settings``
    /// (early stopping, best weights restored). Polls `Interruption` every batch.
    ///
    /// With a session directory (``SessionStore``), the trained estimator is kept there, and a
    /// later `train()` on the same simulations with the same prior, architecture and settings
    /// (training is deterministic: same data and seed, same weights) loads it instead of
    /// training again — e.g. after a crash, when the notebook's cells run again. It says so in
    /// one line; ``train(force:progress:)`` with `force: true` always trains.
    ///
    /// An interrupt keeps the estimator usable: once at least one epoch has completed, the new
    /// flow with the best weights so far becomes ``posterior``'s flow and ``history`` holds the
    /// epochs run (with a warning saying so); before that, the previous flow (if any) stays.
    /// - Parameter progress: Called after every epoch.
    /// - Returns: The history, with ``TrainingHistory/discardedSimulationCount`` and warnings.
    /// - Throws: ``EstimatorError/noSimulations``, ``TrainingError`` (e.g.
    ///   ``TrainingError/tooFewExamples(count:validationFraction:)`` for a single simulation),
    ///   ``FlowError``, `InsufficientMemoryError` (before allocating) when the training copies of
    ///   the simulations cannot fit in memory, `InterruptedError` (its `partialResult` is the
    ///   ``TrainingHistory`` so far).
    @discardableResult
    public func train(progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        try train(force: false, progress: progress)
    }

    /// What a kept estimator's id depends on besides the simulations.
    private struct KeptConfiguration: Encodable {
        var prior: [StoredPriorComponent]
        var observationLength: Int
        var architecture: FlowArchitecture
        var settings: TrainingSettings
    }

    /// Trains a fresh flow on all stored simulations, or (unless `force`) loads the one kept in
    /// the session directory for the same simulations, architecture and settings.
    /// - Parameters:
    ///   - force: Train even if a kept estimator matches.
    ///   - progress: Called after every epoch (not called when a kept estimator is loaded).
    /// - Returns: The history.
    /// - Throws: As ``train(progress:)``.
    @discardableResult
    public func train(force: Bool, progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        guard simulationCount > 0 else { throw EstimatorError.noSimulations }
        // A custom embedding is code: it cannot be identified, so it is neither kept nor restored.
        let keptID = SessionStore.directory == nil || customEmbedding != nil ? nil : KeptEstimator.id(
            kind: Self.archiveKind,
            configuration: KeptConfiguration(prior: prior.storedComponents, observationLength: observationLength,
                                             architecture: architecture, settings: settings),
            parameters: parameters, data: simulations.dataValues, observationLength: observationLength)
        if !force, SessionStore.restoresTrainedEstimators, let keptID,
           let (archive, file) = KeptEstimator.find(id: keptID, fileExtension: Self.archiveKind),
           let restored = try? NPE(archive: archive, prior: prior), let restoredHistory = restored.history {
            flow = restored.flow
            history = restoredHistory
            SessionStore.note("restored the NPE trained earlier in this session on the same simulations and settings "
                + "(kept/\(file.lastPathComponent)); train(force: true) retrains")
            return restoredHistory
        }
        let result = try trainFlow(progress: progress)
        if let keptID {
            let summary = KeptEstimator.summary(name: "NPE", parameterNames: parameterNames, simulations: simulationCount, history: result)
            // A user-defined prior distribution is stored by description only: loading needs the prior.
            let needsPrior = prior.storedComponents.contains { $0.prior.distribution == nil }
            KeptEstimator.keep({ try self.archive() }, id: keptID, fileExtension: Self.archiveKind, summary: summary) { path in
                "let npe = try NPE.load(fromPath: \(path)" + (needsPrior ? ", prior: model.prior)" : ")")
            }
        }
        return result
    }

    private func trainFlow(progress: ((EpochReport) -> Void)?) throws -> TrainingHistory {
        try Self.checkTrainingMemory(simulationCount: simulationCount, valuesPerSimulation: prior.dimension + observationLength)
        let theta = Tensor(shape: [parameters.rows, parameters.columns], scalars: parameters.floatStorage)
        let store = simulations, settings = settings, m = observationLength, model = model
        let newFlow = try makeFlow()
        let trained = try FlowTrainer(settings: settings).train(
            newFlow, exampleCount: simulationCount,
            examples: { rows, _, rng in
                let x = try store.trainingData(rows: rows, noise: settings.noise, seed: settings.seed, using: &rng)
                return (theta.gatheringRows(rows), Tensor(shape: [rows.count, m], scalars: x))
            },
            progress: { report in progress?(report) },
            keepingPartialRun: { partial in
                flow = newFlow
                history = simulations.reporting(in: partial)
            },
            prepare: { flow, _ in
                // A reduced-basis embedding starts from the SVD of noise-free signals (Dax et al. 2021).
                guard let count = ReducedBasisInitialization.signalCount(of: flow) else { return }
                let (rows, x) = store.noiseFreeSignals(count: count, model: model, seed: settings.seed)
                try ReducedBasisInitialization.initialize(flow, fromSignals: Tensor(shape: [rows.count, m], scalars: x))
            })
        let result = simulations.reporting(in: trained)
        flow = newFlow
        history = result
        return result
    }

    /// Throws unless the Float copies that training makes of `simulationCount` simulations (one
    /// epoch's gathered training and validation rows, the next epoch's while the last is freed,
    /// and a margin) fit in memory.
    /// - Throws: `InsufficientMemoryError` naming the figure.
    static func checkTrainingMemory(simulationCount: Int, valuesPerSimulation: Int) throws {
        let bytes = MemoryBudget.bytes(simulationCount, valuesPerSimulation, 3 * MemoryLayout<Float>.size)
        guard bytes > 64 << 20 else { return }
        try MemoryBudget.current().check(bytes: bytes, for: "training on \(simulationCount) simulations")
    }

    /// Builds an untrained flow from ``architecture`` (or ``customEmbedding``).
    /// - Throws: ``FlowError`` or ``EstimatorError/shapeMismatch(_:)`` if sizes disagree.
    public func makeFlow() throws -> ConditionalFlow {
        guard architecture.parameterFeatures == prior.dimension else {
            throw EstimatorError.shapeMismatch(
                "architecture.parameterFeatures is \(architecture.parameterFeatures), the prior has \(prior.dimension) parameters")
        }
        if let customEmbedding {
            let network = customEmbedding()
            guard network.inputCount == observationLength else {
                throw EstimatorError.shapeMismatch(
                    "the custom embedding takes \(network.inputCount) features, observations have \(observationLength)")
            }
            var a = architecture
            a.embedding = .identity(features: observationLength)
            return try ConditionalFlow(architecture: a, embedding: network)
        }
        guard architecture.contextFeatures == observationLength else {
            throw EstimatorError.shapeMismatch(
                "architecture.embedding takes \(architecture.contextFeatures) features, observations have \(observationLength)")
        }
        return try ConditionalFlow(architecture: architecture)
    }

    /// The posterior q(θ | x) of the trained flow, restricted to the prior's support.
    /// - Throws: ``EstimatorError/notTrained``.
    public var posterior: NPEPosterior {
        get throws {
            guard let flow else { throw EstimatorError.notTrained }
            return NPEPosterior(flow: flow, prior: prior, model: model)
        }
    }
}
