import Foundation

/// Why a shard could not be simulated, written or loaded. Each message names the shard file(s)
/// concerned; nothing is appended to the estimator when loading fails.
public enum SimulationShardError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A shard index, shard count or count out of range.
    case invalidShard(String)
    /// The directory holds no shard manifest (`shard-*.json`).
    case noShards(directory: String)
    /// A manifest or data file that cannot be read or does not hold what its manifest says
    /// (truncated, changed, wrong shape, unreadable JSON).
    case damagedShard(file: String, reason: String)
    /// A shard simulated with another model (other parameters, priors, output length or
    /// simulator code) than the estimator's.
    case foreignShard(file: String, reason: String)
    /// Shards of different runs (seed, count, shard count, model name or version differ).
    case mismatchedShards(files: [String], reason: String)
    /// Some shards of the run are absent: how many, and the manifests of the first few.
    case missingShards(missingCount: Int, shardCount: Int, firstMissingFiles: [String])
    /// Two manifests describe the same shard.
    case duplicateShard(index: Int, files: [String])

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .invalidShard(let reason):
            return "invalid shard: \(reason)"
        case .noShards(let directory):
            return
                "no simulation shards in \(directory): expected shard-<i>-of-<k>.json manifests written by simulate --shard"
        case .damagedShard(let file, let reason):
            return "the shard \(file) is damaged: \(reason)"
        case .foreignShard(let file, let reason):
            return "the shard \(file) was simulated with another model: \(reason)"
        case .mismatchedShards(let files, let reason):
            return "the shards \(files.joined(separator: " and ")) belong to different runs: \(reason)"
        case .missingShards(let missingCount, let shardCount, let firstMissingFiles):
            let more = missingCount > firstMissingFiles.count ? ", …" : ""
            return "\(missingCount) of the \(shardCount) shards \(missingCount == 1 ? "is" : "are") missing: "
                + firstMissingFiles.joined(separator: ", ") + more
        case .duplicateShard(let index, let files):
            return "shard \(index) appears twice: \(files.joined(separator: " and ")); remove one"
        }
    }
}
