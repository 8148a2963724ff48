import Foundation

/// A simulation run kept in the session directory: the folder `kept/sim-<id>/` holds
///
/// - `parameters-000.npy`, `data-000.npy`, `parameters-001.npy`, …: the kept θ `[rows,
///   parameterCount]` (float64) and x `[rows, outputLength]` (float32, as the store keeps it;
///   checkpoints written before x was stored as Float32 hold float64 and still load), one pair per
///   checkpoint, in order (NumPy: `np.concatenate([np.load(f) for f in sorted(glob("parameters-*.npy"))])`);
/// - `run.json`: this value — the run's identity (parameter names and priors, output length,
///   noise models, count, seed), how many simulations are done (`processed`), kept and
///   dropped (with the dropped indices), the parts, and whether the run is complete;
///
/// and the sidecar `kept/sim-<id>.json` describes it for the kernel.
struct SimulationCheckpoint: Codable {
    /// One checkpoint's files.
    struct Part: Codable {
        var parameters: String
        var data: String
        var rows: Int
    }

    var format = 1
    var identity: SimulationRunIdentity
    var processed: Int
    var kept: Int
    var droppedRows: [Int]
    var nonFiniteCount: Int
    var thrownCount: Int
    var parts: [Part]
    var complete: Bool
    var createdAt: String

    /// Reads the checkpoint of `identity`, with its kept θ and x, if there is one that is
    /// complete and consistent.
    /// - Parameter identity: The run.
    /// - Returns: The checkpoint, θ and x (row-major), or `nil` when keeping is off or there is
    ///   none.
    /// - Throws: ``SessionError`` if it exists but cannot be read.
    static func load(for identity: SimulationRunIdentity) throws -> (
        SimulationCheckpoint, theta: [Double], data: [Float]
    )? {
        guard let kept = try SessionStore.keptDirectory() else { return nil }
        let folder = kept.appendingPathComponent(identity.id, isDirectory: true)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("run.json").path) else { return nil }
        let (checkpoint, theta, data) = try read(folder)
        guard checkpoint.identity == identity else {
            throw SessionError.malformed(path: folder.path, reason: "its run.json describes another run")
        }
        return (checkpoint, theta, data)
    }

    /// Reads a checkpoint folder.
    /// - Returns: The checkpoint, θ and x (row-major; x as Float32, whatever the files hold).
    /// - Throws: ``SessionError``.
    static func read(_ folder: URL) throws -> (SimulationCheckpoint, theta: [Double], data: [Float]) {
        let file = folder.appendingPathComponent("run.json")
        guard let bytes = FileManager.default.contents(atPath: file.path) else {
            throw SessionError.io(path: file.path, reason: "cannot read the file")
        }
        let checkpoint: SimulationCheckpoint
        do { checkpoint = try JSONDecoder().decode(SimulationCheckpoint.self, from: bytes) } catch {
            throw SessionError.malformed(path: file.path, reason: "\(error)")
        }
        let p = checkpoint.identity.parameters.count
        let m = checkpoint.identity.outputLength
        var theta: [Double] = []
        var data: [Float] = []
        theta.reserveCapacity(checkpoint.kept * p)
        data.reserveCapacity(checkpoint.kept * m)
        for part in checkpoint.parts {
            for (name, width, isParameters) in [(part.parameters, p, true), (part.data, m, false)] {
                guard !name.contains("/") else {
                    throw SessionError.malformed(path: file.path, reason: "part name \(name)")
                }
                let url = folder.appendingPathComponent(name)
                let array: NumPyArray
                do { array = try NumPyArray(contentsOf: url) } catch {
                    throw SessionError.malformed(path: url.path, reason: "\(error)")
                }
                guard array.shape == [part.rows, width] else {
                    throw SessionError.malformed(
                        path: url.path, reason: "shape \(array.shape), expected [\(part.rows), \(width)]")
                }
                if isParameters {
                    theta.append(contentsOf: array.values)
                } else {
                    // float32 files since x is stored as Float32; float64 before (rounded here).
                    data.append(contentsOf: array.values.lazy.map { Float($0) })
                }
            }
        }
        guard theta.count == checkpoint.kept * p, data.count == checkpoint.kept * m,
            checkpoint.kept + checkpoint.droppedRows.count == checkpoint.processed
        else {
            throw SessionError.malformed(
                path: file.path,
                reason: "the parts hold \(theta.count / max(p, 1)) rows, run.json says \(checkpoint.kept)")
        }
        return (checkpoint, theta, data)
    }

    /// Removes a run's checkpoint (its simulator changed) and its sidecar.
    static func remove(_ identity: SimulationRunIdentity) {
        guard let kept = try? SessionStore.keptDirectory() else { return }
        try? FileManager.default.removeItem(at: kept.appendingPathComponent(identity.id + ".json"))
        try? FileManager.default.removeItem(at: kept.appendingPathComponent(identity.id, isDirectory: true))
    }
}

/// Writes a run's checkpoints: every ``SessionStore/checkpointInterval`` seconds of simulation
/// the simulations kept since the last checkpoint become a new part.
///
/// Writing costs time in proportion to the data; for a simulator that makes data faster than a
/// tenth of the disk's speed, re-simulating is nearly as cheap as reading back. So a checkpoint
/// is written only while all writes of the run stay within ``writeBudget`` of its simulation
/// time (estimated from the data pending and the write speed measured so far): the overhead of
/// keeping stays bounded, and slow simulators — whose runs are worth keeping — are always kept.
/// An interval of 0 (tests) checkpoints after every block regardless.
final class SimulationCheckpointWriter {
    /// The largest fraction of a run's simulation time spent writing its checkpoints.
    static let writeBudget = 0.1
    /// The write speed assumed before the first write, bytes per second (measured here: 0.5 GB/s).
    private var bytesPerSecond = 5e8
    /// Seconds spent writing so far.
    private var writeSeconds = 0.0

    private let run: SimulationRun
    private let folder: URL
    private let kept: URL
    private var parts: [SimulationCheckpoint.Part]
    /// The rows (kept or dropped) the parts on disk cover.
    private var writtenRows: Int
    private var lastWrite: Date
    private let started: Date
    private let createdAt: String
    private let interval: Double
    /// Whether a checkpoint exists on disk for this run.
    private(set) var hasCheckpoint: Bool
    /// The first failure to write, reported once.
    private var failed = false

    /// A writer for `run`, or `nil` when keeping is off.
    /// - Parameters:
    ///   - run: The run.
    ///   - resumed: The checkpoint the run continues, if any.
    init?(run: SimulationRun, resumed: SimulationCheckpoint?) {
        guard let kept = try? SessionStore.keptDirectory() else { return nil }
        self.run = run
        self.kept = kept
        folder = kept.appendingPathComponent(run.identity.id, isDirectory: true)
        parts = resumed?.parts ?? []
        writtenRows = resumed?.processed ?? 0
        hasCheckpoint = resumed != nil
        createdAt = resumed?.createdAt ?? SessionStore.timestamp()
        started = Date()
        lastWrite = started
        interval = SessionStore.checkpointInterval
    }

    /// Writes a checkpoint if an interval has passed since the last one (and it is affordable).
    func checkpointIfDue() {
        guard Date().timeIntervalSince(lastWrite) >= interval else { return }
        if isAffordable { write() } else { lastWrite = Date() }
    }

    /// Writes the final checkpoint if the run was long enough to be kept (or continues one).
    func finish() {
        if hasCheckpoint || Date().timeIntervalSince(started) >= interval { writeIfAffordable() }
    }

    /// Writes a checkpoint now if it fits the write budget (after an interruption).
    func writeIfAffordable() {
        if isAffordable { write() }
    }

    /// Whether writing the pending rows keeps the run's writing within ``writeBudget``.
    private var isAffordable: Bool {
        guard interval > 0 else { return true }
        let pendingBytes =
            Double(run.processed - writtenRows) * Double(8 * run.model.parameterCount + 4 * run.model.outputLength)
        let simulationSeconds = Date().timeIntervalSince(started) - writeSeconds
        return writeSeconds + pendingBytes / bytesPerSecond <= Self.writeBudget * simulationSeconds
    }

    /// Writes a checkpoint now (a new part for the rows kept since the last one, `run.json`,
    /// the sidecar); a failure is reported once on standard error and keeping stops for the run.
    func write() {
        guard !failed else { return }
        let began = Date()
        let bytes = Double(run.processed - writtenRows) * Double(8 * run.model.parameterCount + 4 * run.model.outputLength)
        defer {
            lastWrite = Date()
            let seconds = lastWrite.timeIntervalSince(began)
            writeSeconds += seconds
            if seconds > 0.01, bytes > 1e6 { bytesPerSecond = bytes / seconds }
        }
        do {
            try SessionStore.createDirectory(folder)
            let p = run.model.parameterCount
            let m = run.model.outputLength
            let range = writtenRows..<run.processed
            let droppedInRange = run.droppedRows.contains { range.contains($0) }
            let rows = range.count - run.droppedRows.filter { range.contains($0) }.count
            if rows > 0 {
                let index = String(parts.count)
                let suffix = String(repeating: "0", count: max(0, 3 - index.count)) + index
                let part = SimulationCheckpoint.Part(
                    parameters: "parameters-\(suffix).npy", data: "data-\(suffix).npy", rows: rows)
                let thetaFile = folder.appendingPathComponent(part.parameters)
                let dataFile = folder.appendingPathComponent(part.data)
                if droppedInRange {
                    let kept = run.kept(in: range)
                    try SessionStore.writeNumPy(kept.theta.storage[...], rows: rows, columns: p, to: thetaFile)
                    try SessionStore.writeNumPy(kept.data[...], rows: rows, columns: m, to: dataFile)
                } else {  // straight from the run's buffers, no copy
                    try SessionStore.writeNumPy(
                        run.theta.storage[range.lowerBound * p..<range.upperBound * p], rows: rows, columns: p,
                        to: thetaFile)
                    try SessionStore.writeNumPy(
                        run.data[range.lowerBound * m..<range.upperBound * m], rows: rows, columns: m, to: dataFile)
                }
                parts.append(part)
            }
            writtenRows = run.processed
            let checkpoint = SimulationCheckpoint(
                identity: run.identity, processed: run.processed, kept: run.keptCount, droppedRows: run.droppedRows,
                nonFiniteCount: run.nonFiniteCount, thrownCount: run.thrownCount, parts: parts,
                complete: run.isComplete,
                createdAt: createdAt)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try SessionStore.writeAtomically(encoder.encode(checkpoint), to: folder.appendingPathComponent("run.json"))
            try SessionStore.writeSidecar(sidecar(), id: run.identity.id, in: kept)
            hasCheckpoint = true
        } catch {
            failed = true
            SessionStore.warn("warning: could not checkpoint the simulations in the session directory: \(error)")
        }
    }

    private func sidecar() -> KeptItem {
        let names = run.model.parameterNames.joined(separator: ", ")
        let what =
            run.isComplete
            ? "\(Count.grouped(run.keptCount)) simulations"
            : "\(Count.grouped(run.keptCount)) simulations (\(Count.grouped(run.processed)) of \(Count.grouped(run.count)) done)"
        let dropped = run.droppedCount > 0 ? ", \(Count.grouped(run.droppedCount)) dropped" : ""
        let call = "appendSimulations(count: \(run.count), seed: \(run.seed))"
        let summary =
            "\(what)\(dropped) of θ = (\(names)) with x of \(run.model.outputLength) values, from \(call); "
            + (run.isComplete ? "re-running it restores them" : "re-running it resumes the run")
        return KeptItem(
            kind: "simulations", summary: summary,
            restore:
                "let simulations = try SimulationBatch(sessionCheckpointPath: \(SessionStore.swiftLiteral(folder.path)))",
            path: folder.path, createdAt: createdAt)
    }
}

extension SimulationBatch {
    /// Loads the simulations of a checkpoint kept in the session directory (the folder
    /// `kept/sim-<id>/` named by its sidecar's `restore` line). Usually not needed: running the
    /// same `appendSimulations(count:seed:)` again with the same model resumes or restores the
    /// run by itself.
    /// - Parameter folder: The checkpoint folder.
    /// - Throws: ``SessionError`` if it is missing or inconsistent.
    public init(sessionCheckpoint folder: URL) throws {
        let (checkpoint, theta, data) = try SimulationCheckpoint.read(folder)
        let p = checkpoint.identity.parameters.count
        let m = checkpoint.identity.outputLength
        do {
            self.init(
                parameters: try SampleMatrix(rows: checkpoint.kept, columns: p, storage: theta),
                data: try SampleMatrix(rows: checkpoint.kept, columns: m, floatStorage: data), dropped: [])
        } catch {
            throw SessionError.malformed(path: folder.path, reason: "\(error)")
        }
    }
}
