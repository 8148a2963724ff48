import Foundation
import TensorCore

/// The simulations an estimator trains on: the valid (θ, x) pairs, and how many were dropped
/// because θ or x contained NaN or infinite values (as sbi does). ``NPE`` and
/// ``GNPEEstimator`` share it, so both check, drop, count and report invalid simulations alike.
struct SimulationStore: Sendable {
    /// Stored parameters θ, `[count, parameterCount]`.
    private(set) var parameters: SampleMatrix
    /// Stored data x, `[count, observationLength]`.
    private(set) var data: SampleMatrix
    /// Simulations dropped so far.
    private(set) var discardedCount = 0
    /// Messages about dropped simulations, in order.
    private(set) var warnings: [String] = []

    /// An empty store for θ of `parameterCount` values and x of `observationLength` values.
    init(parameterCount: Int, observationLength: Int) {
        parameters = SampleMatrix(rows: 0, columns: parameterCount)
        data = SampleMatrix(rows: 0, columns: observationLength)
    }

    /// The number of stored simulations.
    var count: Int { parameters.rows }

    /// A run of `simulate` that stopped early (interrupt, wrong output length), whose kept
    /// simulations are the store's last rows; running the same request again continues it.
    private(set) var unfinished: UnfinishedRun?

    /// What is needed to continue a run kept in memory.
    struct UnfinishedRun {
        var id: String
        var firstRow: Int
        var processed: Int
        var droppedRows: [Int]
        var nonFiniteCount: Int
        var thrownCount: Int
    }

    /// Draws `count` parameter vectors from `model`'s prior, simulates them on all cores and
    /// stores the valid pairs.
    ///
    /// - Refuses a request that cannot fit in memory before allocating.
    /// - Simulations returning NaN or ±∞, or whose simulator throws, are dropped and counted;
    ///   a warning naming the first θ goes to standard error once per call. If every simulation
    ///   throws, the run stops early with the first error.
    /// - A wrong output length stops the run; an interrupt too. The simulations finished before
    ///   are stored, and the same request continues the run instead of starting again.
    /// - With a session directory (``SessionStore``), a run longer than the checkpoint interval
    ///   is checkpointed, resumed from its checkpoint after a crash, and reported in the crash
    ///   context if the simulator traps.
    /// - Returns: The number of simulations the run kept (including any it resumed).
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for a negative count;
    ///   ``SimulationError``; `InterruptedError` (the finished simulations are kept).
    mutating func simulate(_ model: SimulationModel, count: Int, seed: UInt64) throws -> Int {
        guard count >= 0 else { throw EstimatorError.invalidArgument("count must be ≥ 0, got \(count)") }
        let p = model.parameterCount, m = model.outputLength
        try SimulationMemory.check(
            SimulationMemory.requiredBytes(count: count, existing: self.count, parameterCount: p, outputLength: m),
            purpose: "\(Count.grouped(count)) simulations of \(p) parameter\(p == 1 ? "" : "s") and \(m) value\(m == 1 ? "" : "s")")
        let run = SimulationRun(model: model, count: count, seed: seed)
        let id = run.identity.id
        var resumed: SimulationCheckpoint? = nil
        var nonFiniteBefore = 0, thrownBefore = 0

        if let u = unfinished, u.id == id, u.firstRow <= self.count {
            // Continue a run stopped earlier in this process: take its rows back out of the store.
            let theta = Array(parameters.storage[(u.firstRow * p)...]), x = Array(data.storage[(u.firstRow * m)...])
            truncate(to: u.firstRow)
            if run.probeMatches(keptTheta: theta, keptData: x, processed: u.processed, droppedRows: u.droppedRows) {
                run.restore(processed: u.processed, keptData: x, droppedRows: u.droppedRows,
                            nonFiniteCount: u.nonFiniteCount, thrownCount: u.thrownCount)
                nonFiniteBefore = u.nonFiniteCount
                thrownBefore = u.thrownCount
                SessionStore.note("continuing the stopped run: \(Count.grouped(u.processed)) of \(Count.grouped(count)) simulations were done")
            } else {
                SessionStore.note("the simulator's output changed since the stopped run; its \(Count.grouped(theta.count / max(p, 1))) simulations are replaced by a new run")
            }
        }
        unfinished = nil
        if run.processed == 0 {
            do {
                if let (checkpoint, theta, x) = try SimulationCheckpoint.load(for: run.identity) {
                    let folder = "kept/\(id)/"
                    if run.probeMatches(keptTheta: theta, keptData: x, processed: checkpoint.processed, droppedRows: checkpoint.droppedRows) {
                        run.restore(processed: checkpoint.processed, keptData: x, droppedRows: checkpoint.droppedRows,
                                    nonFiniteCount: checkpoint.nonFiniteCount, thrownCount: checkpoint.thrownCount)
                        resumed = checkpoint
                        // This store has not counted the checkpoint's dropped simulations yet (unlike
                        // a run stopped earlier in this store, above): they are counted below.
                        SessionStore.note(checkpoint.processed == count
                            ? "restored \(Count.grouped(checkpoint.kept)) simulations made earlier in this session (\(folder))"
                            : "resuming from the checkpoint in \(folder): \(Count.grouped(checkpoint.processed)) of \(Count.grouped(count)) simulations were done")
                    } else {
                        SimulationCheckpoint.remove(run.identity)
                        SessionStore.note("the checkpoint in \(folder) was made with a simulator that gives other output; simulating afresh")
                    }
                }
            } catch {
                SimulationCheckpoint.remove(run.identity)
                SessionStore.warn("warning: ignored an unreadable simulation checkpoint: \(error)")
            }
        }

        let writer = SimulationCheckpointWriter(run: run, resumed: resumed)
        var crash: SimulationCrashReport? = nil
        if !run.isComplete, let directory = SessionStore.directory {
            crash = SimulationCrashReport(directory: directory, parameterNames: model.parameterNames, count: count, seed: seed)
            crash?.activate()
        }
        let stop = run.run(crash: crash) { writer?.checkpointIfDue() }
        crash?.deactivate()

        // Keep what was done, whatever happened.
        let firstRow = self.count
        let kept = run.kept(in: 0 ..< run.processed)
        try store(parameters: kept.theta, data: kept.data)
        let newNonFinite = run.nonFiniteCount - nonFiniteBefore, newThrown = run.thrownCount - thrownBefore
        if let warning = run.dropWarning(nonFinite: newNonFinite, thrown: newThrown) {
            discard(newNonFinite + newThrown, warning: String(warning.dropFirst("warning: ".count)))
            SessionStore.warn(warning)
        }
        switch stop {
        case .none:
            writer?.finish()
            return run.keptCount
        case .interrupted:
            unfinished = UnfinishedRun(id: id, firstRow: firstRow, processed: run.processed, droppedRows: run.droppedRows,
                                       nonFiniteCount: run.nonFiniteCount, thrownCount: run.thrownCount)
            writer?.writeIfAffordable()
            Interruption.reset()
            throw InterruptedError(location: "simulation \(Count.grouped(run.processed + 1)) of \(Count.grouped(count)); "
                + "kept the \(Count.grouped(run.keptCount)) simulations made before; the same appendSimulations call continues the run")
        case .wrongLength:
            unfinished = UnfinishedRun(id: id, firstRow: firstRow, processed: run.processed, droppedRows: run.droppedRows,
                                       nonFiniteCount: run.nonFiniteCount, thrownCount: run.thrownCount)
            let problem = run.stopProblem
            throw SimulationError.wrongOutputLength(
                expected: m, found: problem?.foundLength ?? 0, theta: run.named(problem?.theta ?? []),
                simulation: (problem?.row ?? run.processed) + 1, count: count, kept: run.keptCount)
        case .everyThrew:
            let problem = run.stopProblem ?? run.thrownExamples.first
            throw SimulationError.everySimulationThrew(
                attempts: run.thrownCount, theta: run.named(problem?.theta ?? []), error: problem?.reason ?? "unknown error",
                kept: run.keptCount)
        }
    }

    /// Stores simulations made elsewhere; rows whose θ or x contain NaN or infinite values are
    /// dropped and counted.
    /// - Parameters:
    ///   - theta: θ, `[n, parameterCount]`.
    ///   - x: x, `[n, observationLength]`, row i simulated at θ row i.
    ///   - parameterNames: θ's names, for the error message.
    /// - Returns: The number of simulations kept.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` naming the expected sizes.
    mutating func append(parameters theta: SampleMatrix, data x: SampleMatrix, parameterNames: [String]) throws -> Int {
        guard theta.columns == parameters.columns else {
            throw EstimatorError.shapeMismatch(
                "parameters must have \(parameters.columns) columns (\(parameterNames.joined(separator: ", "))), got \(theta.columns)")
        }
        guard x.columns == data.columns else {
            throw EstimatorError.shapeMismatch("data must have \(data.columns) columns, got \(x.columns)")
        }
        guard theta.rows == x.rows else {
            throw EstimatorError.shapeMismatch("parameters have \(theta.rows) rows but data has \(x.rows)")
        }
        unfinished = nil
        let keep = (0..<theta.rows).filter { i in theta.row(i).allSatisfy(\.isFinite) && x.row(i).allSatisfy(\.isFinite) }
        if keep.count == theta.rows {
            try store(parameters: theta, data: x)
        } else {
            let dropped = theta.rows - keep.count
            discard(dropped, warning: "\(dropped) of \(theta.rows) appended simulation(s) contain NaN or infinite values and were dropped")
            try store(parameters: theta.selecting(rows: keep), data: x.selecting(rows: keep))
        }
        return keep.count
    }

    /// Forgets all stored simulations and the count of dropped ones.
    mutating func removeAll() {
        self = SimulationStore(parameterCount: parameters.columns, observationLength: data.columns)
    }

    /// Keeps only the first `rows` simulations.
    private mutating func truncate(to rows: Int) {
        let p = parameters.columns, m = data.columns
        parameters = (try? SampleMatrix(rows: rows, columns: p, storage: Array(parameters.storage[..<(rows * p)]))) ?? parameters
        data = (try? SampleMatrix(rows: rows, columns: m, storage: Array(data.storage[..<(rows * m)]))) ?? data
    }

    /// `history` with the dropped-simulation count and warnings filled in; when simulations were
    /// dropped, says so once on standard error.
    func reporting(in history: TrainingHistory) -> TrainingHistory {
        var history = history
        history.discardedSimulationCount = discardedCount
        history.warnings = warnings
        if discardedCount > 0 {
            let line = "warning: \(discardedCount) simulation(s) with NaN or infinite values were dropped before training\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        return history
    }

    private mutating func discard(_ count: Int, warning: String) {
        discardedCount += count
        warnings.append(warning)
    }

    /// Appends rows (widths are checked by the callers; a mismatch would throw, never trap).
    private mutating func store(parameters theta: SampleMatrix, data x: SampleMatrix) throws {
        if parameters.rows == 0 {   // no copy into an empty store
            parameters = theta
            data = x
            return
        }
        let newParameters = try SampleMatrix(rows: parameters.rows + theta.rows, columns: parameters.columns,
                                             storage: parameters.storage + theta.storage)
        let newData = try SampleMatrix(rows: data.rows + x.rows, columns: data.columns, storage: data.storage + x.storage)
        parameters = newParameters
        data = newData
    }
}
