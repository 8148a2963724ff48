import Dispatch
import TensorCore

extension SimulationStore {
    /// The data x of some stored simulations as training sees them — the one place where NPE and
    /// GNPE training (and GNPE's initialisation network) fetch a batch's data.
    ///
    /// Simulations stored with their noise are returned as stored (`noise` must be `.fixed`).
    /// Noise-free signals (``holdsSignals``) get white Gaussian noise of σ =
    /// ``signalNoiseSigma`` added: the noise of stored row r comes from stream r of a generator
    /// seeded by one draw of `rng` (`.freshEachEpoch`: new noise at every call, i.e. every epoch)
    /// or by `seed` alone (`.fixed`: the same noise at every call). It never depends on the
    /// thread count or on the order of `rows`.
    /// - Parameters:
    ///   - rows: Indices into the stored simulations (checked by the callers).
    ///   - noise: The training's noise treatment.
    ///   - seed: The training seed (``TrainingSettings/seed``), for `.fixed` noise on signals.
    ///   - rng: The training's random source; advanced by one draw for `.freshEachEpoch` only.
    /// - Returns: x, `[rows.count * observationLength]` row-major, Float32.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for `.freshEachEpoch` on simulations
    ///   stored with their noise.
    func trainingData(rows: [Int], noise: TrainingNoise, seed: UInt64, using rng: inout RandomSource) throws -> [Float] {
        let m = observationLength
        var base: RandomSource? = nil
        if holdsSignals {
            base = RandomSource(seed: noise == .freshEachEpoch ? rng.next() : seed ^ 0x6E6F_6973_6546_6978)
        } else if noise == .freshEachEpoch {
            throw EstimatorError.invalidArgument(
                "settings.noise = .freshEachEpoch, but the stored simulations include their noise "
                    + "(they were made with settings.noise = .fixed): set settings.noise before appendSimulations, "
                    + "or call removeSimulations() and simulate again")
        }
        let sigma = Float(signalNoiseSigma)
        var out = [Float](repeating: 0, count: rows.count * m)
        let chunk = 64
        dataValues.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                let src = source, dst = destination
                DispatchQueue.concurrentPerform(iterations: (rows.count + chunk - 1) / chunk) { c in
                    for k in c * chunk ..< min(rows.count, (c + 1) * chunk) {
                        let r = rows[k]
                        let row = UnsafeMutableBufferPointer(rebasing: dst[k * m ..< (k + 1) * m])
                        if let base {
                            var stream = base.stream(r)
                            stream.fillNormal(row)
                            for j in 0 ..< m { row[j] = src[r * m + j] + sigma * row[j] }
                        } else {
                            for j in 0 ..< m { row[j] = src[r * m + j] }
                        }
                    }
                }
            }
        }
        return out
    }
}
