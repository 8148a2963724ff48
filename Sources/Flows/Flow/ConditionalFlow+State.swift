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
        /// The type name of a custom embedding network, `nil` for a built-in one. A state with
        /// a custom embedding is rebuilt with ``ConditionalFlow/init(state:embedding:)``.
        public var customEmbedding: String?

        /// Creates a state value.
        public init(architecture: FlowArchitecture, parameterStandardization: Standardization,
                    observationStandardization: Standardization, weights: [Tensor], customEmbedding: String? = nil) {
            self.architecture = architecture
            self.parameterStandardization = parameterStandardization
            self.observationStandardization = observationStandardization
            self.weights = weights
            self.customEmbedding = customEmbedding
        }
    }

    /// Non-trainable state saved with the weights (batch-norm running statistics of the
    /// embedding), in a fixed order.
    public var buffers: [TrainableParameter] { embedding.buffers }

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

    /// The flow's current state (a custom embedding's weights are included; its type is
    /// recorded in ``State/customEmbedding``).
    /// - Throws: Nothing at present; reserved for embeddings that cannot export their weights.
    public func state() throws -> State {
        State(architecture: architecture, parameterStandardization: parameterStandardization,
              observationStandardization: observationStandardization, weights: weights,
              customEmbedding: embedding.architecture == nil ? String(describing: type(of: embedding)) : nil)
    }

    /// Rebuilds a flow from a saved state, bit-identical to the original.
    /// - Parameter state: A state from ``state()`` of a flow with a built-in embedding.
    /// - Throws: ``FlowError/notSerializable(_:)`` if the state needs a custom embedding;
    ///   ``FlowError`` if the architecture is invalid or the weights do not fit it.
    public convenience init(state: State) throws {
        if let custom = state.customEmbedding {
            throw FlowError.notSerializable(
                "this flow uses the custom embedding network \(custom); rebuild it with init(state:embedding:)")
        }
        try self.init(architecture: state.architecture)
        try restore(state)
    }

    /// Rebuilds a flow with a custom embedding network from a saved state.
    /// - Parameters:
    ///   - state: A state from ``state()``.
    ///   - embedding: A freshly built network of the same type and sizes as the saved one.
    /// - Throws: ``FlowError`` if the sizes or weights do not fit.
    public convenience init(state: State, embedding: any EmbeddingNetwork) throws {
        try self.init(architecture: state.architecture, embedding: embedding)
        try restore(state)
    }

    private func restore(_ state: State) throws {
        try setWeights(state.weights)
        guard state.parameterStandardization.features == parameterFeatures,
              state.observationStandardization.features == observationFeatures else {
            throw FlowError.incompatibleWeights("z-scoring sizes do not match the architecture")
        }
        parameterStandardization = state.parameterStandardization
        observationStandardization = state.observationStandardization
    }
}
