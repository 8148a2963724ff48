import Foundation
import TensorCore

extension SimulationShard {
    /// The element type x is written in: float32, the type the estimators' stored simulations
    /// hold (θ is always written as float64). Shards of either type are read.
    public static var storedDataType: NumPyArray.ElementType { .float32 }

    /// Writes the shard to `directory` (created if needed): `<stem>.theta.npy`, `<stem>.x.npy`,
    /// then the manifest `<stem>.json` (see ``SimulationShardManifest``), each atomically.
    /// - Parameters:
    ///   - directory: The run's shard directory (all shards of a run go to one directory).
    ///   - modelName: The model's name (shards of one run must agree on it).
    ///   - modelVersion: The model's version (likewise).
    /// - Returns: The manifest's URL.
    /// - Throws: ``DataFormatError/io(path:reason:)`` if a file cannot be written.
    @discardableResult
    public func write(to directory: URL, modelName: String, modelVersion: String) throws -> URL {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DataFormatError.io(
                path: directory.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let stem = SimulationShardManifest.stem(index: index, shardCount: shardCount)
        func store(_ matrix: SampleMatrix, suffix: String, as type: NumPyArray.ElementType) throws
            -> SimulationShardManifest.File
        {
            let name = "\(stem).\(suffix).npy"
            let url = directory.appendingPathComponent(name)
            let bytes = NumPyArray(matrix).npyData(as: type)
            do { try bytes.write(to: url, options: .atomic) } catch {
                throw DataFormatError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
            }
            return .init(
                name: name, dtype: type.rawValue, shape: [matrix.rows, matrix.columns], bytes: bytes.count,
                crc32: SimulationShardManifest.checksum(bytes))
        }
        let manifest = SimulationShardManifest(
            modelName: modelName, modelVersion: modelVersion, fingerprint: fingerprint, seed: seed, count: count,
            shardIndex: index, shardCount: shardCount, rows: [rows.lowerBound, rows.upperBound],
            droppedRows: droppedRows,
            parameters: try store(parameters, suffix: "theta", as: .float64),
            data: try store(data, suffix: "x", as: Self.storedDataType), seconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent(manifest.fileName)
        do { try encoder.encode(manifest).write(to: url, options: .atomic) } catch {
            throw DataFormatError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        return url
    }
}
