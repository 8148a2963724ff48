import Foundation
import TensorCore

extension SimulationModel {
    /// Simulates only shard `index` of `shardCount` of the run `appendSimulations(count:seed:)`
    /// makes with `count` and `seed`; the shards of a run, concatenated in index order, equal
    /// that run bit for bit (see ``SimulationShard``).
    ///
    /// Every θ of the run is drawn (cheap next to simulating; the generator must pass over them
    /// to reach the noise streams' seed), only the shard's are kept. Simulations returning NaN or
    /// ±∞, or whose simulator throws, are dropped as in a whole run (``SimulationShard/droppedRows``).
    /// - Parameters:
    ///   - index: The shard, `0 ..< shardCount`.
    ///   - shardCount: The number of shards, ≥ 1.
    ///   - count: The simulations of the whole run.
    ///   - seed: The run's seed.
    /// - Returns: The shard's kept simulations.
    /// - Throws: ``SimulationShardError/invalidShard(_:)``; ``SimulationError`` (memory, a wrong
    ///   output length, every simulation throwing); `InterruptedError`.
    public func simulateShard(_ index: Int, of shardCount: Int, count: Int, seed: UInt64) throws -> SimulationShard {
        let rows = try SimulationShard.rows(ofShard: index, of: shardCount, count: count, batched: simulator.isBatched)
        let p = parameterCount
        let m = outputLength
        try SimulationMemory.check(
            SimulationMemory.requiredBytes(count: rows.count, existing: 0, parameterCount: p, outputLength: m),
            purpose:
                "shard \(index) of \(shardCount): \(Count.grouped(rows.count)) simulations of \(p) parameter\(p == 1 ? "" : "s") and \(m) value\(m == 1 ? "" : "s")"
        )
        let fingerprint = try ModelFingerprint(model: self)
        let clock = ContinuousClock.now
        let run = SimulationRun(model: self, count: count, seed: seed, rows: rows)
        let stop = run.run(crash: nil) {}
        switch stop {
        case .none: break
        case .interrupted:
            Interruption.reset()
            throw InterruptedError(
                location:
                    "shard \(index) of \(shardCount), simulation \(Count.grouped(rows.lowerBound + run.processed + 1))")
        case .wrongLength:
            let problem = run.stopProblem
            throw SimulationError.wrongOutputLength(
                expected: m, found: problem?.foundLength ?? 0, theta: run.named(problem?.theta ?? []),
                simulation: rows.lowerBound + (problem?.row ?? run.processed) + 1, count: count, kept: 0)
        case .everyThrew:
            let problem = run.stopProblem ?? run.thrownExamples.first
            throw SimulationError.everySimulationThrew(
                attempts: run.thrownCount, theta: run.named(problem?.theta ?? []),
                error: problem?.reason ?? "unknown error",
                kept: 0)
        }
        if let warning = run.dropWarning(nonFinite: run.nonFiniteCount, thrown: run.thrownCount) {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        let kept = run.kept(in: 0..<run.processed)
        return SimulationShard(
            index: index, shardCount: shardCount, count: count, seed: seed, rows: rows, parameters: kept.theta,
            data: try SampleMatrix(rows: kept.theta.rows, columns: m, floatStorage: kept.data), droppedRows: run.droppedRows.map { $0 + rows.lowerBound }, fingerprint: fingerprint,
            seconds: (ContinuousClock.now - clock).seconds)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
