import Foundation

extension NPE {
    /// Appends a run simulated in shards elsewhere (`simulate --shard i --shards k --out DIR`,
    /// ``SimulationModel/simulateShard(_:of:count:seed:)``): the shards in `directory`, checked
    /// and concatenated in index order — bit for bit the simulations
    /// ``appendSimulations(count:seed:)`` makes with the shards' count and seed.
    ///
    /// Refused, with nothing appended: a shard simulated with another model (parameters, priors,
    /// output length or simulator output differ; for an estimator built from a prior, only the
    /// parameters and the output length are compared), shards of different runs (seed, count,
    /// shard count, model name or version), a shard present twice or missing, a data file
    /// truncated or changed since it was written.
    /// - Parameter directory: The directory the shards were written to.
    /// - Returns: The number of simulations appended.
    /// - Throws: ``SimulationShardError`` naming the shard file(s); ``SimulationError`` if the
    ///   shards cannot fit in memory; `InterruptedError` during the model's probe.
    @discardableResult
    public func appendSimulations(from directory: URL) throws -> Int {
        let fingerprint =
            try model.map { try ModelFingerprint(model: $0) }
            ?? ModelFingerprint(prior: prior, outputLength: observationLength)
        return try simulations.appendShards(from: directory, fingerprint: fingerprint, parameterNames: prior.names)
    }
}
