import Flows
import TensorCore

/// Initialises the projection of a flow's ``ReducedBasisEmbedding`` (DINGO's embedding, Dax et
/// al., PRL 127, 241103, 2021) at the start of training, from noise-free signals as the flow sees
/// them: the estimators pass it to ``FlowTrainer`` as its `prepare` step, after the flow's
/// z-scoring is fitted.
enum ReducedBasisInitialization {
    /// The number of signals the flow's embedding wants for its SVD, or `nil` if it has no
    /// reduced-basis embedding.
    /// - Parameter flow: The flow.
    static func signalCount(of flow: ConditionalFlow) -> Int? {
        guard flow.embedding is ReducedBasisEmbedding,
              case let .reducedBasis(_, _, _, _, _, _, _, _, _, count) = flow.architecture.embedding else { return nil }
        return count
    }

    /// Z-scores `context` with the flow's observation z-scoring and sets the embedding's basis
    /// from it (nothing happens for another embedding).
    /// - Parameters:
    ///   - flow: The flow (its z-scoring fitted).
    ///   - context: Noise-free contexts, `[n, observationFeatures]`.
    /// - Throws: ``FlowError`` or `TensorError` from the SVD.
    static func initialize(_ flow: ConditionalFlow, fromSignals context: Tensor) throws {
        guard let net = flow.embedding as? ReducedBasisEmbedding, context.rows > 0 else { return }
        try net.initializeBasis(fromSignals: flow.observationStandardization.apply(context))
    }
}
