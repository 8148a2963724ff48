import Foundation
import TensorCore

/// One shard of a simulation run: the simulations of rows ``rows`` of the run that
/// `appendSimulations(count:seed:)` makes with the same count and seed, simulated on their own
/// (another process, another machine).
///
/// Simulation i of a run draws θ as the i-th prior draw of the run's seed and its noise from
/// random stream i (a batch simulator: chunk c of 64 rows from stream c), so a shard can
/// simulate its rows alone; the shards of a run, concatenated in index order, equal the whole
/// run bit for bit, whatever the shard count. Shards are cut on whole chunks of
/// ``SimulationModel/chunkSize`` rows for a batch simulator, on single rows otherwise; when there
/// are more shards than units, the last shards are empty.
///
/// ```swift
/// let shard = try model.simulateShard(2, of: 8, count: 100_000, seed: 1)   // rows 25 000 ..< 37 500
/// try shard.write(to: URL(fileURLWithPath: "sims"), modelName: "oscillator", modelVersion: "1")
/// // later, anywhere: try npe.appendSimulations(from: URL(fileURLWithPath: "sims"))
/// ```
public struct SimulationShard: Sendable {
    /// The shard's index, `0 ..< shardCount`.
    public var index: Int
    /// The number of shards of the run.
    public var shardCount: Int
    /// The number of simulations of the whole run.
    public var count: Int
    /// The run's seed.
    public var seed: UInt64
    /// The run's rows this shard simulated.
    public var rows: Range<Int>
    /// θ of the kept simulations, `[kept, parameterCount]`, in row order.
    public var parameters: SampleMatrix
    /// x of the kept simulations, `[kept, outputLength]`, row i simulated at `parameters` row i.
    public var data: SampleMatrix
    /// The run's rows (0-based, ascending) that were dropped: NaN/±∞ output, or the simulator threw.
    public var droppedRows: [Int]
    /// The model's fingerprint (what it was simulated with).
    public var fingerprint: ModelFingerprint
    /// Seconds spent simulating (for throughput reports).
    public var seconds: Double

    /// The rows of shard `index` of `shardCount` for a run of `count` simulations.
    ///
    /// The run's units (single rows, or chunks of ``SimulationModel/chunkSize`` rows for a batch
    /// simulator) are split as evenly as possible: shard i gets units `⌊i·u/k⌋ ..< ⌊(i+1)·u/k⌋`.
    /// - Parameters:
    ///   - index: The shard, `0 ..< shardCount`.
    ///   - shardCount: The number of shards, ≥ 1.
    ///   - count: The run's simulations, ≥ 0.
    ///   - batched: Whether the simulator is declared on batches.
    /// - Returns: A range within `0 ..< count`.
    /// - Throws: ``SimulationShardError/invalidShard(_:)`` for an index outside `0 ..< shardCount`,
    ///   a shard count below 1 or a negative count.
    public static func rows(ofShard index: Int, of shardCount: Int, count: Int, batched: Bool) throws -> Range<Int> {
        guard count >= 0 else { throw SimulationShardError.invalidShard("the count must be ≥ 0, got \(count)") }
        guard shardCount >= 1 else {
            throw SimulationShardError.invalidShard("the number of shards must be ≥ 1, got \(shardCount)")
        }
        guard (0..<shardCount).contains(index) else {
            throw SimulationShardError.invalidShard(
                "shard \(index) does not exist: the shards of \(shardCount) are numbered 0 to \(shardCount - 1)")
        }
        let unit = batched ? SimulationModel.chunkSize : 1
        let units = count / unit + (count % unit == 0 ? 0 : 1)
        // ⌊i·u/k⌋ = i·q + ⌊i·r/k⌋ (q, r: quotient and remainder of u/k); i·r in full width, so
        // that no product overflows whatever the count and the shard count.
        func boundary(_ i: Int) -> Int {
            let q = units / shardCount, r = units % shardCount
            let (high, low) = i.multipliedFullWidth(by: r)
            let (extra, _) = shardCount.dividingFullWidth((high, low))
            return i * q + extra
        }
        let lower = min(count, boundary(index) * unit)
        let upper = min(count, boundary(index + 1) * unit)
        return lower..<upper
    }
}

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
        let p = parameterCount, m = outputLength
        try SimulationMemory.check(
            SimulationMemory.requiredBytes(count: rows.count, existing: 0, parameterCount: p, outputLength: m),
            purpose: "shard \(index) of \(shardCount): \(Count.grouped(rows.count)) simulations of \(p) parameter\(p == 1 ? "" : "s") and \(m) value\(m == 1 ? "" : "s")")
        let fingerprint = try ModelFingerprint(model: self)
        let clock = ContinuousClock.now
        let run = SimulationRun(model: self, count: count, seed: seed, rows: rows)
        let stop = run.run(crash: nil) {}
        switch stop {
        case .none: break
        case .interrupted:
            Interruption.reset()
            throw InterruptedError(location: "shard \(index) of \(shardCount), simulation \(Count.grouped(rows.lowerBound + run.processed + 1))")
        case .wrongLength:
            let problem = run.stopProblem
            throw SimulationError.wrongOutputLength(
                expected: m, found: problem?.foundLength ?? 0, theta: run.named(problem?.theta ?? []),
                simulation: rows.lowerBound + (problem?.row ?? run.processed) + 1, count: count, kept: 0)
        case .everyThrew:
            let problem = run.stopProblem ?? run.thrownExamples.first
            throw SimulationError.everySimulationThrew(
                attempts: run.thrownCount, theta: run.named(problem?.theta ?? []), error: problem?.reason ?? "unknown error",
                kept: 0)
        }
        if let warning = run.dropWarning(nonFinite: run.nonFiniteCount, thrown: run.thrownCount) {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        let kept = run.kept(in: 0..<run.processed)
        return SimulationShard(
            index: index, shardCount: shardCount, count: count, seed: seed, rows: rows, parameters: kept.theta,
            data: kept.data, droppedRows: run.droppedRows.map { $0 + rows.lowerBound }, fingerprint: fingerprint,
            seconds: (ContinuousClock.now - clock).seconds)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
