import Flows
import Foundation
import TensorCore

extension GNPEEstimator {
    /// Builds an untrained GNPE flow from ``architecture``.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` if the architecture's sizes do not fit θ or
    ///   the context (e.g. a convolutional embedding with an approximate equivariance, whose
    ///   context also holds the proxies), ``FlowError``.
    public func makeFlow() throws -> ConditionalFlow {
        guard architecture.parameterFeatures == model.parameterCount else {
            throw EstimatorError.shapeMismatch(
                "architecture.parameterFeatures is \(architecture.parameterFeatures), the model has \(model.parameterCount) parameters")
        }
        guard architecture.contextFeatures == contextFeatures else {
            let proxies = equivariance.contextProxyCount
            let why = equivariance.hasComputedPose
                ? (equivariance.movedParameterIndex == nil ? "the proxies of the computed pose" : "the proxies relative to the first one")
                : "as the equivariance is approximate"
            let what = proxies == 0
                ? "the standardised data have \(contextFeatures) features"
                : "the context has \(contextFeatures) features (\(model.outputLength) standardised data + \(proxies) proxy values, \(why))"
            throw EstimatorError.shapeMismatch("architecture.embedding takes \(architecture.contextFeatures) features, \(what)")
        }
        return try ConditionalFlow(architecture: architecture)
    }

    /// The initialisation network's architecture: ``initialNetworkArchitecture`` if set, else
    /// ``architecture`` over the pose g(θ) (a pose of parameters bounded by the prior when
    /// ``architecture`` has a ``FlowArchitecture/parameterSupport``; a computed pose unbounded),
    /// its embedding resized to the raw data, and a different seed.
    public func initialNetworkFlowArchitecture() -> FlowArchitecture {
        if let initialNetworkArchitecture { return initialNetworkArchitecture }
        var a = architecture
        a.parameterFeatures = equivariance.group.dimension
        // The initialisation network models the absolute pose, which the prior bounds.
        let all = ParameterSupport(boundedParametersOf: model.prior).intervals
        let support = ParameterSupport(intervals: equivariance.poseIndices.map { all[$0] })
        a.parameterSupport = architecture.parameterSupport != nil && !equivariance.hasComputedPose && support.isBounded ? support : nil
        a.embedding = architecture.embedding.resized(toInputFeatures: model.outputLength)
        a.seed = architecture.seed &+ 1
        return a
    }

    /// The GNPE training pairs for some stored simulations, with fresh proxies: θ relative to
    /// ĝ = g(θ)·ε, ε ~ κ, and the context T(ĝ⁻¹)x followed by the context proxies (ĝ for an
    /// approximate equivariance, ĝ_I − ĝ₀ under an exact common translation;
    /// ``ResolvedEquivariance/contextProxies(_:)``) (Dax et al. 2022, §3.1).
    ///
    /// Row k draws ε from stream k of a generator seeded by one draw of `rng`, so the pairs do not
    /// depend on the thread count.
    /// - Parameters:
    ///   - rows: Indices into the stored simulations.
    ///   - rng: The random source (advanced by one draw).
    /// - Returns: Relative parameters `[rows.count, parameterCount]` and the context
    ///   `[rows.count, contextFeatures]`.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` naming the first row outside
    ///   `0..<simulationCount`; for a computed pose, ``ModelError/computedPoseLength(pose:found:theta:)``
    ///   or ``ModelError/nonFinitePose(name:value:theta:)``.
    public func trainingExamples(rows: [Int], using rng: inout RandomSource) throws -> (parameters: Tensor, context: Tensor) {
        if let bad = rows.first(where: { $0 < 0 || $0 >= simulationCount }) {
            throw EstimatorError.invalidArgument("row \(bad) is outside the \(simulationCount) stored simulations")
        }
        let theta = parameters.selecting(rows: rows)
        let x = try simulations.trainingData(rows: rows, noise: settings.noise, seed: settings.seed, using: &rng)
        return Self.trainingExamples(rows: Array(0 ..< rows.count), parameters: theta, poses: try equivariance.poses(of: theta),
                                     data: x, equivariance: equivariance, using: &rng)
    }

    /// The training pairs of `rows`, given every stored simulation's pose g(θ) `[simulations, poseDimension]`;
    /// `data`: the rows' x as ``SimulationStore/trainingData(rows:noise:seed:using:)`` returns them.
    static func trainingExamples(rows: [Int], parameters: SampleMatrix, poses: SampleMatrix, data x: [Float],
                                 equivariance eq: ResolvedEquivariance,
                                 using rng: inout RandomSource) -> (parameters: Tensor, context: Tensor) {
        let theta = parameters.selecting(rows: rows)
        let proxies = eq.drawProxies(forPoses: poses.selecting(rows: rows), using: &rng)
        let m = x.count / max(rows.count, 1)
        let standardized = ResolvedEquivariance.mapRows(rows.count, columns: m) { k in
            eq.standardising(x[k * m ..< (k + 1) * m].map(Double.init), proxy: proxies.row(k))
        }
        let relative = eq.relativeParameters(theta, proxies: proxies)
        return (Tensor(shape: [rows.count, relative.columns], scalars: relative.floatStorage),
                FlowGibbsConditional.context(standardizedData: standardized, proxies: proxies, equivariance: eq))
    }

    /// Trains the GNPE flow and (unless ``trainsInitialNetwork`` is false) the initialisation
    /// network; progress is reported for the GNPE flow only.
    /// - Parameter progress: Called after every epoch of the GNPE flow.
    /// - Returns: The GNPE flow's training history.
    /// - Throws: As ``train(progress:initialNetworkProgress:)``.
    @discardableResult
    public func train(progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        try train(progress: progress, initialNetworkProgress: nil)
    }

    /// Trains the GNPE flow and (unless ``trainsInitialNetwork`` is false) the initialisation
    /// network on the stored simulations by maximum likelihood with ``FlowTrainer`` (Dax et al.
    /// 2022, §3.1: the usual NPE loss on standardised data, ε ~ κ drawn afresh every epoch).
    /// Each call starts from fresh weights.
    /// - Parameters:
    ///   - progress: Called after every epoch of the GNPE flow.
    ///   - initialNetworkProgress: Called after every epoch of the initialisation network.
    /// - Returns: The GNPE flow's history (with the dropped-simulation count and warnings).
    /// - Throws: ``EstimatorError/noSimulations``, ``EstimatorError/shapeMismatch(_:)``,
    ///   ``TrainingError``, ``FlowError``, `InsufficientMemoryError` (before allocating) when the
    ///   training copies cannot fit in memory, `InterruptedError` (its `partialResult` is the
    ///   ``TrainingHistory`` of the network being trained). An interrupt keeps the estimator
    ///   usable: once an epoch of the GNPE flow has completed, that flow with its best weights so
    ///   far is kept (with the previous initialisation network, if any); an interrupt while the
    ///   initialisation network trains keeps the finished GNPE flow and, after at least one
    ///   epoch, the new initialisation network's best weights. Before that, the previous
    ///   networks stay.
    ///
    /// With a session directory (``SessionStore``), the trained estimator is kept there, and a
    /// later call on the same simulations with the same architectures, settings and
    /// equivariance loads it instead of training again (saying so in one line);
    /// ``train(force:progress:initialNetworkProgress:)`` with `force: true` always trains.
    @discardableResult
    public func train(progress: ((EpochReport) -> Void)?, initialNetworkProgress: ((EpochReport) -> Void)?) throws -> TrainingHistory {
        try train(force: false, progress: progress, initialNetworkProgress: initialNetworkProgress)
    }

    /// What a kept estimator's id depends on besides the simulations.
    private struct KeptConfiguration: Encodable {
        var prior: [StoredPriorComponent]
        var observationLength: Int
        var architecture: FlowArchitecture
        var initialNetworkArchitecture: FlowArchitecture?
        var trainsInitialNetwork: Bool
        var settings: TrainingSettings
        var initialNetworkSettings: TrainingSettings?
        var iterations: Int
        var equivariance: StoredEquivariance
    }

    /// Trains both networks, or (unless `force`) loads the estimator kept in the session
    /// directory for the same simulations, architectures, settings and equivariance.
    /// - Parameters:
    ///   - force: Train even if a kept estimator matches.
    ///   - progress: Called after every epoch of the GNPE flow (not when a kept one is loaded).
    ///   - initialNetworkProgress: Called after every epoch of the initialisation network.
    /// - Returns: The GNPE flow's history.
    /// - Throws: As ``train(progress:initialNetworkProgress:)``.
    @discardableResult
    public func train(force: Bool, progress: ((EpochReport) -> Void)? = nil,
                      initialNetworkProgress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        guard simulationCount > 0 else { throw EstimatorError.noSimulations }
        let keptID = SessionStore.directory == nil ? nil : KeptEstimator.id(
            kind: Self.archiveKind,
            configuration: KeptConfiguration(
                prior: prior.storedComponents, observationLength: observationLength, architecture: architecture,
                initialNetworkArchitecture: initialNetworkArchitecture, trainsInitialNetwork: trainsInitialNetwork,
                settings: settings, initialNetworkSettings: initialNetworkSettings, iterations: iterations,
                equivariance: StoredEquivariance(equivariance, prior: model.prior)),
            parameters: parameters, data: simulations.dataValues, observationLength: observationLength)
        if !force, SessionStore.restoresTrainedEstimators, let keptID,
           let (archive, file) = KeptEstimator.find(id: keptID, fileExtension: Self.archiveKind),
           let restored = try? GNPEEstimator(archive: archive, model: model), let restoredHistory = restored.history {
            flow = restored.flow
            history = restoredHistory
            initialNetwork = restored.initialNetwork
            initialNetworkHistory = restored.initialNetworkHistory
            SessionStore.note("restored the GNPE estimator trained earlier in this session on the same simulations and settings "
                + "(kept/\(file.lastPathComponent)); train(force: true) retrains")
            return restoredHistory
        }
        let result = try trainNetworks(progress: progress, initialNetworkProgress: initialNetworkProgress)
        if let keptID {
            let summary = KeptEstimator.summary(name: "GNPE", parameterNames: parameterNames, simulations: simulationCount, history: result)
                + " (load it with your SimulationModel as `model`)"
            KeptEstimator.keep({ try self.archive() }, id: keptID, fileExtension: Self.archiveKind, summary: summary) { path in
                "let gnpe = try GNPEEstimator.load(fromPath: \(path), model: model)"
            }
        }
        return result
    }

    private func trainNetworks(progress: ((EpochReport) -> Void)?, initialNetworkProgress: ((EpochReport) -> Void)?) throws -> TrainingHistory {
        try NPE.checkTrainingMemory(simulationCount: simulationCount, valuesPerSimulation: model.parameterCount + contextFeatures)
        let newFlow = try makeFlow()
        let theta = parameters, store = simulations, eq = equivariance
        // g(θ) of every simulation, once (a computed pose is checked here, naming the first bad θ).
        let poses = try eq.poses(of: theta)
        let trained = try FlowTrainer(settings: settings).train(
            newFlow, exampleCount: simulationCount,
            examples: { rows, _, rng in
                let x = try store.trainingData(rows: rows, noise: settings.noise, seed: settings.seed, using: &rng)
                return Self.trainingExamples(rows: rows, parameters: theta, poses: poses, data: x, equivariance: eq, using: &rng)
            },
            progress: { report in progress?(report) },
            keepingPartialRun: { partial in
                flow = newFlow
                history = simulations.reporting(in: partial)
            },
            prepare: reducedBasisPreparation(standardised: true))
        let result = simulations.reporting(in: trained)
        var newInitial: ConditionalFlow? = nil
        var initialResult: TrainingHistory? = nil
        if trainsInitialNetwork {
            let network = try ConditionalFlow(architecture: initialNetworkFlowArchitecture())
            let poseTensor = Tensor(shape: [poses.rows, poses.columns], scalars: poses.floatStorage)
            let m = model.outputLength, prepareInitial = reducedBasisPreparation(standardised: false)
            let initialSettings = initialNetworkSettings ?? settings
            do {
                initialResult = try FlowTrainer(settings: initialSettings).train(network, exampleCount: simulationCount) { rows, _, rng in
                    let x = try store.trainingData(rows: rows, noise: settings.noise, seed: initialSettings.seed, using: &rng)
                    return (poseTensor.gatheringRows(rows), Tensor(shape: [rows.count, m], scalars: x))
                } progress: { report in initialNetworkProgress?(report) } prepare: { try prepareInitial($0, $1) }
            } catch let error as InterruptedError {
                flow = newFlow
                history = result
                if let partial = error.partialResult as? TrainingHistory, partial.bestEpoch > 0 {
                    initialNetwork = network
                    initialNetworkHistory = partial
                }
                throw error
            }
            newInitial = network
        }
        flow = newFlow
        history = result
        initialNetwork = newInitial
        initialNetworkHistory = initialResult
        return result
    }
}

extension EmbeddingArchitecture {
    /// The same kind of embedding for inputs of another size (hidden sizes kept).
    /// - Parameter features: The new input size.
    func resized(toInputFeatures features: Int) -> EmbeddingArchitecture {
        switch self {
        case .identity:
            return .identity(features: features)
        case let .mlp(_, hidden, out, activation):
            return .mlp(inputFeatures: features, hidden: hidden, outputFeatures: out, activation: activation)
        case let .residual(_, hiddenFeatures, blocks, out, activation, normalization, dropout):
            return .residual(inputFeatures: features, hiddenFeatures: hiddenFeatures, blockCount: blocks, outputFeatures: out,
                             activation: activation, normalization: normalization, dropoutRate: dropout)
        case let .convolutional(channels, _, convolutionChannels, kernelSize, poolSize, hidden, out, activation):
            return .convolutional(channels: channels, length: features / max(channels, 1), convolutionChannels: convolutionChannels,
                                  kernelSize: kernelSize, poolSize: poolSize, hidden: hidden, outputFeatures: out, activation: activation)
        case let .reducedBasis(channels, length, basis, widths, out, activation, normalization, dropout, _, signals):
            // The channels keep their length; what is beyond them passes through.
            return .reducedBasis(channels: channels, lengthPerChannel: length, basisSize: basis, residualWidths: widths,
                                 outputFeatures: out, activation: activation, normalization: normalization, dropoutRate: dropout,
                                 passthroughFeatures: max(0, features - channels * length), basisSignalCount: signals)
        }
    }
}
