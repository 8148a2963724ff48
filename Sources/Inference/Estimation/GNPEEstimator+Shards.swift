import Foundation

extension GNPEEstimator {
    /// Appends a run simulated in shards elsewhere, checked and concatenated in index order, as
    /// ``NPE/appendSimulations(from:)`` (the same implementation): bit for bit the simulations
    /// ``appendSimulations(count:seed:)`` makes with the shards' count and seed.
    /// - Parameter directory: The directory the shards were written to.
    /// - Returns: The number of simulations appended.
    /// - Throws: ``SimulationShardError`` naming the shard file(s) (foreign, mismatched,
    ///   duplicate, missing or damaged shards; nothing is appended); ``SimulationError`` if the
    ///   shards cannot fit in memory; `InterruptedError` during the model's probe.
    @discardableResult
    public func appendSimulations(from directory: URL) throws -> Int {
        try simulations.appendShards(
            from: directory, fingerprint: ModelFingerprint(model: model), parameterNames: parameterNames)
    }
}
