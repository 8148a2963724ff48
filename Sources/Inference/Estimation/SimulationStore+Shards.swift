import Foundation

extension SimulationStore {
    /// Appends the simulations of a run simulated in shards (``SimulationShardSet``), in index
    /// order: the same rows, bit for bit, as `simulate(model, count:, seed:)` with the shards'
    /// count and seed. Nothing is appended if any check fails.
    /// - Parameters:
    ///   - directory: The shards' directory.
    ///   - fingerprint: The estimator's model's fingerprint.
    ///   - parameterNames: θ's names, for messages.
    /// - Returns: The number of simulations appended.
    /// - Throws: ``SimulationShardError`` naming the shard file(s); ``SimulationError`` for memory.
    mutating func appendShards(from directory: URL, fingerprint: ModelFingerprint, parameterNames: [String]) throws
        -> Int
    {
        let set = try SimulationShardSet(directory: directory, expecting: fingerprint)
        let (theta, x) = try set.load()
        let kept = try append(parameters: theta, data: x, parameterNames: parameterNames)
        if set.droppedCount > 0 {
            FileHandle.standardError.write(
                Data(
                    "warning: the shards' simulators dropped \(set.droppedCount) invalid simulation(s) (NaN/±∞ or a thrown error); their rows are listed in the manifests\n"
                        .utf8))
        }
        return kept
    }
}
