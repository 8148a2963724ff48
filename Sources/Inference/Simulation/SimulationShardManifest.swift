import Foundation

/// The JSON file written next to a shard's two `.npy` files: which model and run the shard
/// belongs to, which rows it holds, and the files' shapes and checksums.
///
/// A shard `shard-0003-of-0008` is three files in one directory: `shard-0003-of-0008.theta.npy`
/// (θ, `[kept, parameterCount]`, float64), `shard-0003-of-0008.x.npy` (x, `[kept, outputLength]`,
/// in ``SimulationShard/storedDataType``) and `shard-0003-of-0008.json`, this manifest, written
/// last: a manifest present means its data files were complete when it was written.
public struct SimulationShardManifest: Codable, Equatable, Sendable {
    /// One data file of a shard.
    public struct File: Codable, Equatable, Sendable {
        /// The file name, in the manifest's directory.
        public var name: String
        /// The NumPy element type, `<f8` or `<f4`.
        public var dtype: String
        /// The array's shape, `[rows, columns]`.
        public var shape: [Int]
        /// The file's size in bytes.
        public var bytes: Int
        /// The CRC-32 of the file's bytes (zlib's `crc32`), 8 hexadecimal digits.
        public var crc32: String
    }

    /// The manifest's format.
    public var format = 1
    /// Always `gnpe-simulation-shard`.
    public var kind = SimulationShardManifest.kindName
    /// The model's name, as the package or notebook declares it.
    public var modelName: String
    /// The model's version, as the package declares it.
    public var modelVersion: String
    /// The model's fingerprint.
    public var fingerprint: ModelFingerprint
    /// The run's seed.
    public var seed: UInt64
    /// The simulations of the whole run.
    public var count: Int
    /// The shard's index, `0 ..< shardCount`.
    public var shardIndex: Int
    /// The number of shards of the run.
    public var shardCount: Int
    /// The run's rows this shard simulated: `rows[0] ..< rows[1]`.
    public var rows: [Int]
    /// The rows (of the run) that were dropped as invalid.
    public var droppedRows: [Int]
    /// θ of the kept simulations.
    public var parameters: File
    /// x of the kept simulations.
    public var data: File
    /// Seconds spent simulating.
    public var seconds: Double

    static let kindName = "gnpe-simulation-shard"

    /// `shard-0003-of-0008`: the files' common stem (indices padded to at least 4 digits, so
    /// that the names sort in index order).
    /// - Parameters:
    ///   - index: The shard.
    ///   - shardCount: The number of shards.
    /// - Returns: The stem.
    public static func stem(index: Int, shardCount: Int) -> String {
        let width = max(4, String(max(shardCount - 1, 0)).count)
        func padded(_ n: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "shard-\(padded(index))-of-\(padded(shardCount))"
    }

    /// The manifest file's name: `<stem>.json`.
    public var fileName: String { Self.stem(index: shardIndex, shardCount: shardCount) + ".json" }

    /// The kept simulations.
    public var keptCount: Int { parameters.shape.first ?? 0 }

    /// The CRC-32 of `bytes` as 8 hexadecimal digits.
    static func checksum(_ bytes: Data) -> String {
        let s = String(CRC32.checksum(bytes), radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
