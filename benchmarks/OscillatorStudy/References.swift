import Foundation
import Inference
import TensorCore

/// Reference posterior samples for the study's fixed observations, cached as `.npy` files.
///
/// Observation i's reference comes from ``DampedOscillator/referencePosterior(observation:count:using:)``
/// (tempered SMC with the exact likelihood) seeded with `referenceSeed + i`. The file name holds
/// everything the samples depend on — a hash of the observation's values (the fixed observations
/// depend on how many are drawn, not only on their seed and index), the sampler seed and the
/// sample count — so a rerun with the same settings reads the file instead of sampling again, and
/// a change of any of them makes a new file.
struct ReferenceCache {
    /// The cache directory (`.build/oscillator-references/` under the package by default).
    let directory: URL
    /// The seed of ``DampedOscillator/fixedObservations(count:seed:)``.
    let observationSeed: UInt64
    /// The base seed of the reference sampler (observation i uses `referenceSeed + i`).
    let referenceSeed: UInt64
    /// The number of reference samples per observation.
    let count: Int

    /// The file for observation `index` with values `observation`.
    func url(forObservation index: Int, observation: [Double]) -> URL {
        // FNV-1a over the values' bit patterns: a stable key for the observation's data.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in observation {
            var bits = value.bitPattern
            for _ in 0 ..< 8 {
                hash = (hash ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        let key = String(hash, radix: 16)
        return directory.appendingPathComponent(
            "obs\(observationSeed)-\(index)-x\(key)-smc\(referenceSeed + UInt64(index))-n\(count).npy")
    }

    /// The reference samples for observation `index`, `[count, 3]`: read from the cache, or
    /// sampled and written to it.
    /// - Parameters:
    ///   - index: The observation's index among the fixed observations.
    ///   - observation: x, `[200]`.
    /// - Returns: The samples and whether they came from the cache.
    func samples(forObservation index: Int, observation: [Double]) throws -> (samples: SampleMatrix, cached: Bool) {
        let file = url(forObservation: index, observation: observation)
        if let array = try? NumPyArray(contentsOf: file), let matrix = try? array.matrix(),
           matrix.rows == count, matrix.columns == 3 {
            return (matrix, true)
        }
        var rng = RandomSource(seed: referenceSeed + UInt64(index))
        let result = try DampedOscillator.referencePosterior(observation: observation, count: count, using: &rng)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Write to a temporary name first so that an interrupted run leaves no truncated file.
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        try NumPyArray(result.samples).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: temporary, to: file)
        return (result.samples, false)
    }
}
