import Flows
import TensorCore

extension EstimatorArchive {
    /// Stores a flow as two sections: `name` (architecture and z-scoring, JSON) and
    /// `name.weights` (the weights, Float32).
    /// - Parameters:
    ///   - flow: The trained flow.
    ///   - name: The section name, e.g. `"flow"`.
    /// - Throws: `EncodingError`.
    public mutating func store(_ flow: ConditionalFlow, as name: String) throws {
        var state = try flow.state()
        let weights = state.weights
        state.weights = []
        try store(state, as: name)
        store(tensors: weights, as: name + ".weights")
    }

    /// Rebuilds a flow stored with ``store(_:as:)``, bit-identical to the saved one.
    /// - Parameters:
    ///   - name: The section name.
    ///   - embedding: A fresh network of the same type and sizes if the flow used a custom
    ///     embedding (required then), `nil` otherwise.
    /// - Returns: The flow.
    /// - Throws: ``EstimatorFileError`` for missing or malformed sections; ``FlowError`` if the
    ///   weights do not fit the architecture or a custom embedding is needed.
    public func flow(_ name: String, embedding: (any EmbeddingNetwork)? = nil) throws -> ConditionalFlow {
        var state = try decode(ConditionalFlow.State.self, from: name)
        state.weights = try tensors(name + ".weights")
        if let embedding { return try ConditionalFlow(state: state, embedding: embedding) }
        return try ConditionalFlow(state: state)
    }
}
