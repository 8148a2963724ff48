import Dispatch
import TensorCore

extension SimulationStore {
    /// Up to `count` noise-free signals of stored simulations, for initialising a reduced basis
    /// (``ReducedBasisEmbedding``, Dax et al. 2021): the stored signals themselves when the store
    /// holds signals (``TrainingNoise/freshEachEpoch``); otherwise `model` re-simulated without its
    /// noise models at the stored θ (simulation r draws from stream r of a generator seeded by
    /// `seed`; one that throws or is not finite keeps its stored, noisy x); without a model, the
    /// stored (noisy) x, whose leading singular vectors still approximate the signals' subspace.
    /// - Parameters:
    ///   - count: The most signals wanted (the first `count` stored simulations are used).
    ///   - model: The model, if the estimator has one.
    ///   - seed: Seeds the simulators' random streams.
    /// - Returns: The stored rows used and their signals, `[rows.count * observationLength]`.
    func noiseFreeSignals(count: Int, model: SimulationModel?, seed: UInt64) -> (rows: [Int], data: [Float]) {
        let rows = Array(0 ..< min(max(count, 0), self.count))
        let m = observationLength
        var out = [Float](repeating: 0, count: rows.count * m)
        dataValues.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                let src = source, dst = destination
                for k in rows.indices { for j in 0 ..< m { dst[k * m + j] = src[rows[k] * m + j] } }
            }
        }
        guard !holdsSignals, let model, model.outputLength == m, model.parameterCount == parameters.columns else {
            return (rows, out)
        }
        let base = RandomSource(seed: seed)
        let theta = parameters
        out.withUnsafeMutableBufferPointer { destination in
            let dst = destination
            DispatchQueue.concurrentPerform(iterations: (rows.count + 15) / 16) { c in
                for k in c * 16 ..< min(rows.count, (c + 1) * 16) {
                    var rng = base.stream(rows[k])
                    guard let x = try? model.simulate(theta.row(rows[k]), using: &rng, includeNoise: false),
                          x.allSatisfy({ Float($0).isFinite }) else { continue }
                    for j in 0 ..< m { dst[k * m + j] = Float(x[j]) }
                }
            }
        }
        return (rows, out)
    }
}
