import Foundation
import TensorCore

/// The shards of one simulation run in a directory, checked: every manifest `shard-*.json`
/// readable, all shards of the same run (model name and version, seed, count, shard count), each
/// shard exactly once, none missing, each simulated with the expected model.
///
/// ``load()`` then reads the data files in index order, checking their sizes, checksums and
/// shapes. ``NPE/appendSimulations(from:)`` and ``GNPEEstimator/appendSimulations(from:)`` use it.
public struct SimulationShardSet: Sendable {
    /// The directory.
    public let directory: URL
    /// The manifests, in shard index order (one per shard).
    public let manifests: [SimulationShardManifest]

    /// Reads and checks the manifests in `directory`.
    ///
    /// The checks, in order: each manifest readable; each shard's fingerprint equal to
    /// `fingerprint` (if given); all shards of one run; no shard twice; no shard missing.
    /// - Parameters:
    ///   - directory: The directory the shards were written to.
    ///   - fingerprint: The model the shards must have been simulated with, or `nil`.
    /// - Throws: ``SimulationShardError`` naming the file(s): `noShards`, `damagedShard`,
    ///   `foreignShard`, `mismatchedShards`, `duplicateShard`, `missingShards`.
    public init(directory: URL, expecting fingerprint: ModelFingerprint?) throws {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
        } catch {
            throw SimulationShardError.noShards(
                directory: directory.path + " (cannot list it: \(error.localizedDescription))")
        }
        guard !names.isEmpty else { throw SimulationShardError.noShards(directory: directory.path) }

        var read: [(file: String, manifest: SimulationShardManifest)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let manifest: SimulationShardManifest
            do {
                manifest = try JSONDecoder().decode(SimulationShardManifest.self, from: Data(contentsOf: url))
            } catch {
                throw SimulationShardError.damagedShard(file: name, reason: "the manifest cannot be read: \(error)")
            }
            guard manifest.kind == SimulationShardManifest.kindName, manifest.format == 1 else {
                throw SimulationShardError.damagedShard(
                    file: name,
                    reason: "not a shard manifest of format 1 (kind \(manifest.kind), format \(manifest.format))")
            }
            if let fingerprint, let difference = fingerprint.difference(from: manifest.fingerprint) {
                throw SimulationShardError.foreignShard(file: name, reason: difference)
            }
            read.append((name, manifest))
        }

        // One run: compare every shard with the first.
        let (firstFile, first) = read[0]
        for (file, m) in read.dropFirst() {
            var differences: [String] = []
            if m.modelName != first.modelName { differences.append("model \(first.modelName) vs \(m.modelName)") }
            if m.modelVersion != first.modelVersion {
                differences.append("model version \(first.modelVersion) vs \(m.modelVersion)")
            }
            if m.fingerprint != first.fingerprint { differences.append("different model fingerprints") }
            if m.seed != first.seed { differences.append("seed \(first.seed) vs \(m.seed)") }
            if m.count != first.count { differences.append("count \(first.count) vs \(m.count)") }
            if m.shardCount != first.shardCount {
                differences.append("\(first.shardCount) shards vs \(m.shardCount)")
            }
            if !differences.isEmpty {
                throw SimulationShardError.mismatchedShards(
                    files: [firstFile, file], reason: differences.joined(separator: ", "))
            }
        }

        // Each shard once, none missing, and its rows where the shard's index puts them.
        let k = first.shardCount
        // A dictionary, not an array of k slots: a damaged manifest's shard count must not
        // allocate (or loop over) 10¹⁸ slots.
        var byIndex: [Int: (file: String, manifest: SimulationShardManifest)] = [:]
        for (file, m) in read {
            guard (0..<k).contains(m.shardIndex) else {
                throw SimulationShardError.damagedShard(
                    file: file, reason: "shard index \(m.shardIndex) is outside 0 ..< \(k)")
            }
            if let other = byIndex[m.shardIndex] {
                throw SimulationShardError.duplicateShard(index: m.shardIndex, files: [other.file, file])
            }
            let expected: Range<Int>
            do {
                expected = try SimulationShard.rows(
                    ofShard: m.shardIndex, of: k, count: m.count, batched: m.fingerprint.batched)
            } catch {
                throw SimulationShardError.damagedShard(file: file, reason: "\(error)")
            }
            guard m.rows == [expected.lowerBound, expected.upperBound] else {
                throw SimulationShardError.damagedShard(
                    file: file,
                    reason: "it says rows \(m.rows), but shard \(m.shardIndex) of \(k) holds rows \(expected)")
            }
            guard m.keptCount >= 0,
                case (expected.count, false) = m.keptCount.addingReportingOverflow(m.droppedRows.count),
                m.droppedRows.allSatisfy({ expected.contains($0) })
            else {
                throw SimulationShardError.damagedShard(
                    file: file,
                    reason:
                        "\(m.keptCount) kept and \(m.droppedRows.count) dropped simulations do not make its \(expected.count) rows"
                )
            }
            byIndex[m.shardIndex] = (file, m)
        }
        guard byIndex.count == k else {
            // The first few missing indices (every index below k is either present or missing,
            // so this loop stops after at most byIndex.count + 5 steps).
            var first: [Int] = []
            var i = 0
            while first.count < 5, i < k {
                if byIndex[i] == nil { first.append(i) }
                i += 1
            }
            throw SimulationShardError.missingShards(
                missingCount: k - byIndex.count, shardCount: k,
                firstMissingFiles: first.map { SimulationShardManifest.stem(index: $0, shardCount: k) + ".json" })
        }
        manifests = (0..<k).compactMap { byIndex[$0]?.manifest }
    }

    /// The simulations kept by all shards.
    public var keptCount: Int { manifests.reduce(0) { $0 + $1.keptCount } }
    /// The rows dropped as invalid by all shards.
    public var droppedCount: Int { manifests.reduce(0) { $0 + $1.droppedRows.count } }

    /// Reads every shard's θ and x, in index order, checking each file's size, checksum and shape.
    /// - Returns: θ `[kept, parameterCount]` and x `[kept, outputLength]` of the whole run.
    /// - Throws: ``SimulationShardError/damagedShard(file:reason:)`` naming the file;
    ///   ``SimulationError/insufficientMemory(_:)`` if the run cannot fit in memory.
    public func load() throws -> (parameters: SampleMatrix, data: SampleMatrix) {
        let p = manifests[0].fingerprint.parameters.count
        let m = manifests[0].fingerprint.outputLength
        try SimulationMemory.check(
            SimulationMemory.requiredBytes(count: keptCount, existing: 0, parameterCount: p, outputLength: m),
            purpose: "\(Count.grouped(keptCount)) simulations from \(manifests.count) shards")
        var theta: [Double] = []
        var x: [Double] = []
        theta.reserveCapacity(keptCount * p)
        x.reserveCapacity(keptCount * m)
        for manifest in manifests {
            theta.append(contentsOf: try read(manifest.parameters, columns: p, of: manifest))
            x.append(contentsOf: try read(manifest.data, columns: m, of: manifest))
        }
        return (
            try SampleMatrix(rows: keptCount, columns: p, storage: theta),
            try SampleMatrix(rows: keptCount, columns: m, storage: x)
        )
    }

    /// The values of one data file, checked against its manifest entry.
    private func read(_ file: SimulationShardManifest.File, columns: Int, of manifest: SimulationShardManifest) throws
        -> [Double]
    {
        let url = directory.appendingPathComponent(file.name)
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw SimulationShardError.damagedShard(
                file: file.name,
                reason: "cannot be read (listed in \(manifest.fileName)): \(error.localizedDescription)")
        }
        guard bytes.count == file.bytes else {
            throw SimulationShardError.damagedShard(
                file: file.name,
                reason:
                    "\(bytes.count) bytes, its manifest \(manifest.fileName) says \(file.bytes)\(bytes.count < file.bytes ? " (truncated)" : "")"
            )
        }
        guard SimulationShardManifest.checksum(bytes) == file.crc32 else {
            throw SimulationShardError.damagedShard(
                file: file.name,
                reason: "its CRC-32 is not the one in \(manifest.fileName): the file changed after it was written")
        }
        let array: NumPyArray
        do { array = try NumPyArray(npyData: bytes, path: file.name) } catch {
            throw SimulationShardError.damagedShard(file: file.name, reason: "\(error)")
        }
        guard array.shape == [manifest.keptCount, columns], file.shape == array.shape else {
            throw SimulationShardError.damagedShard(
                file: file.name, reason: "shape \(array.shape), expected [\(manifest.keptCount), \(columns)]")
        }
        return array.values
    }
}
