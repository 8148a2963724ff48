import TensorCore

extension ConditionalFlow {
    /// Everything needed to rebuild a trained flow: architecture, z-scoring and weights.
    /// `Codable`, so a saver can write it in any format.
    public struct State: Codable, Sendable, Equatable {
        /// The architecture (rebuilds the layers).
        public var architecture: FlowArchitecture
        /// z-scoring of θ.
        public var parameterStandardization: Standardization
        /// z-scoring of observations.
        public var observationStandardization: Standardization
        /// The weights in ``ConditionalFlow/weights`` order (parameters, then buffers).
        public var weights: [Tensor]

        /// Creates a state value.
        public init(architecture: FlowArchitecture, parameterStandardization: Standardization,
                    observationStandardization: Standardization, weights: [Tensor]) {
            self.architecture = architecture
            self.parameterStandardization = parameterStandardization
            self.observationStandardization = observationStandardization
            self.weights = weights
        }
    }

    /// Non-trainable state saved with the weights (batch-norm running statistics of the
    /// embedding), in a fixed order.
    public var buffers: [Parameter] { embedding.buffers }

    /// Copies of all weights: the ``parameters`` in order, then the ``buffers``.
    public var weights: [Tensor] { (parameters + buffers).values() }

    /// Replaces all weights (e.g. to restore the best epoch).
    /// - Parameter weights: Tensors in ``weights`` order with matching shapes.
    /// - Throws: ``FlowError/incompatibleWeights(_:)`` if a count or shape differs.
    public func setWeights(_ weights: [Tensor]) throws {
        do { try (parameters + buffers).setValues(weights) } catch let e as TensorError {
            throw FlowError.incompatibleWeights(e.description)
        }
    }

    /// The flow's current state.
    /// - Throws: ``FlowError/notSerializable(_:)`` if the embedding is a custom network.
    public func state() throws -> State {
        guard embedding.architecture != nil else {
            throw FlowError.notSerializable("the embedding network \(type(of: embedding)) has no EmbeddingArchitecture")
        }
        return State(architecture: architecture, parameterStandardization: parameterStandardization,
                     observationStandardization: observationStandardization, weights: weights)
    }

    /// Rebuilds a flow from a saved state, bit-identical to the original.
    /// - Parameter state: A state from ``state()``.
    /// - Throws: ``FlowError`` if the architecture is invalid or the weights do not fit it.
    public convenience init(state: State) throws {
        try self.init(architecture: state.architecture)
        try setWeights(state.weights)
        guard state.parameterStandardization.features == parameterFeatures,
              state.observationStandardization.features == observationFeatures else {
            throw FlowError.incompatibleWeights("z-scoring sizes do not match the architecture")
        }
        parameterStandardization = state.parameterStandardization
        observationStandardization = state.observationStandardization
    }
}
