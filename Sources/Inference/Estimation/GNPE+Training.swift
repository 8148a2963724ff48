import Flows
import TensorCore

extension GNPE {
    /// The flow's context size: the data length, plus the pose dimension for an approximate
    /// equivariance.
    public var contextFeatures: Int { model.outputLength + (equivariance.isExact ? 0 : equivariance.group.dimension) }

    /// The GNPE flow's architecture under the current options.
    /// - Throws: ``GNPEError/invalidOption(_:)`` if the embedding cannot take the context.
    public func flowArchitecture() throws -> FlowArchitecture {
        FlowArchitecture(
            kind: flowKind, parameterFeatures: model.parameterCount,
            embedding: try embedding.architecture(features: contextFeatures, dataLength: model.outputLength),
            transformCount: transformCount, hiddenFeatures: hiddenFeatures, seed: settings.seed)
    }

    /// The initialisation network's architecture: a flow over the pose parameters given the raw
    /// data, with the same embedding kind.
    public func initialNetworkArchitecture() throws -> FlowArchitecture {
        FlowArchitecture(
            kind: flowKind, parameterFeatures: equivariance.group.dimension,
            embedding: try embedding.architecture(features: model.outputLength, dataLength: model.outputLength),
            transformCount: transformCount, hiddenFeatures: hiddenFeatures, seed: settings.seed &+ 1)
    }

    /// The GNPE training pairs for some stored simulations, with fresh proxies: θ relative to
    /// ĝ = g(θ)·ε, ε ~ κ, and the context T(ĝ⁻¹)x (followed by ĝ for an approximate equivariance).
    ///
    /// Row k draws ε from stream k of a generator seeded by one draw of `rng`, so the pairs do not
    /// depend on the thread count.
    /// - Parameters:
    ///   - rows: Indices into the stored simulations.
    ///   - rng: The random source (advanced by one draw).
    /// - Returns: Relative parameters `[rows.count, parameterCount]` and the context
    ///   `[rows.count, contextFeatures]`.
    public func trainingExamples(rows: [Int], using rng: inout RandomSource) -> (parameters: Tensor, context: Tensor) {
        let theta = parameters.selecting(rows: rows)
        let proxies = equivariance.proxies(for: theta, using: &rng)
        let x = data
        let eq = equivariance
        let standardized = ResolvedEquivariance.mapRows(rows.count, columns: x.columns) { k in
            eq.standardising(x.row(rows[k]), proxy: proxies.row(k))
        }
        let relative = equivariance.relativeParameters(theta, proxies: proxies)
        return (Tensor(shape: [rows.count, relative.columns], scalars: relative.floatStorage),
                FlowGibbsConditional.context(standardizedData: standardized, proxies: proxies, isExact: equivariance.isExact))
    }

    /// Trains the GNPE flow and (unless ``trainsInitialNetwork`` is false) the initialisation
    /// network on the stored simulations, by maximum likelihood with ``FlowTrainer``
    /// (Dax et al. 2022, §3.1: the usual NPE loss on standardised data, with ε ~ κ drawn afresh
    /// every epoch).
    /// - Parameters:
    ///   - progress: Called after every epoch of the GNPE flow.
    ///   - initialNetworkProgress: Called after every epoch of the initialisation network.
    /// - Returns: The GNPE flow's training history.
    /// - Throws: The trainer's errors (too few simulations, non-finite loss), ``GNPEError`` for
    ///   options that do not fit, ``InterruptedError`` if the user interrupts (the estimator keeps
    ///   its previous state).
    @discardableResult
    public mutating func train(progress: ((EpochReport) -> Void)? = nil,
                               initialNetworkProgress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        let flow = try ConditionalFlow(architecture: flowArchitecture())
        let me = self
        let history = try FlowTrainer(settings: settings).train(
            flow, exampleCount: simulationCount,
            examples: { rows, _, rng in me.trainingExamples(rows: rows, using: &rng) },
            progress: progress)
        var initial: ConditionalFlow? = nil
        var initialHistory: TrainingHistory? = nil
        if trainsInitialNetwork {
            let network = try ConditionalFlow(architecture: initialNetworkArchitecture())
            let poses = parameters.selecting(columns: equivariance.poseIndices)
            let x = data
            initialHistory = try FlowTrainer(settings: settings).train(
                network, exampleCount: simulationCount,
                examples: { rows, _, _ in
                    let p = poses.selecting(rows: rows), d = x.selecting(rows: rows)
                    return (Tensor(shape: [rows.count, p.columns], scalars: p.floatStorage),
                            Tensor(shape: [rows.count, d.columns], scalars: d.floatStorage))
                },
                progress: initialNetworkProgress)
            initial = network
        }
        self.flow = flow
        self.history = history
        self.initialNetwork = initial
        self.initialNetworkHistory = initialHistory
        return history
    }
}
