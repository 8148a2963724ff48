import Flows
import TensorCore

extension GNPEEstimator {
    /// The `prepare` step of training that initialises a ``ReducedBasisEmbedding`` from an SVD
    /// of noise-free signals (Dax et al. 2021): for the GNPE flow, the signals standardised as
    /// training standardises the data (T(ĝ⁻¹)s with fresh proxies, followed by ĝ for an
    /// approximate equivariance, which the embedding passes through); for the initialisation
    /// network, the raw signals.
    /// - Parameter standardised: Whether the flow sees standardised data (the GNPE flow).
    /// - Returns: The step (it does nothing for other embeddings).
    func reducedBasisPreparation(standardised: Bool) -> (ConditionalFlow, (parameters: Tensor, context: Tensor)) throws -> Void {
        let store = simulations, model = model, eq = equivariance, seed = settings.seed
        return { flow, _ in
            guard let count = ReducedBasisInitialization.signalCount(of: flow) else { return }
            let (rows, x) = store.noiseFreeSignals(count: count, model: model, seed: seed)
            let context: Tensor
            if standardised {
                var rng = RandomSource(seed: seed ^ 0x5244_4253_4953)
                let theta = store.parameters.selecting(rows: rows)
                context = try Self.trainingExamples(rows: Array(0 ..< rows.count), parameters: theta, poses: eq.poses(of: theta),
                                                    data: x, equivariance: eq, using: &rng).context
            } else {
                context = Tensor(shape: [rows.count, model.outputLength], scalars: x)
            }
            try ReducedBasisInitialization.initialize(flow, fromSignals: context)
        }
    }
}
