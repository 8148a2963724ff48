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
    /// x of the kept simulations, `[kept, outputLength]`, row i simulated at `parameters` row i:
    /// Float32 values (as the estimators store x), held as `Double`.
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
            let q = units / shardCount
            let r = units % shardCount
            let (high, low) = i.multipliedFullWidth(by: r)
            let (extra, _) = shardCount.dividingFullWidth((high, low))
            return i * q + extra
        }
        // b·unit only where it cannot exceed count (nor overflow): b ≤ ⌊count/unit⌋.
        func row(_ b: Int) -> Int { b <= count / unit ? b * unit : count }
        let lower = row(boundary(index))
        let upper = row(boundary(index + 1))
        return lower..<upper
    }
}
