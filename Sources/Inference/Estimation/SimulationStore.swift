import Foundation
import TensorCore

/// The simulations an estimator trains on: the valid (θ, x) pairs, and how many were dropped
/// because θ or x contained NaN or infinite values (as sbi does). ``NPE`` and
/// ``GNPEEstimator`` share it, so both check, drop, count and report invalid simulations alike.
///
/// θ is kept as Float64, x as Float32: the flows train in Float32, and x is what is large (10⁶
/// simulations of 1,300 values take 5.2 GB as Float32, 10.4 GB as Float64). x holds either the
/// simulations with their noise, or — when simulated for ``TrainingNoise/freshEachEpoch`` —
/// noise-free signals to which training adds fresh noise (``holdsSignals``).
struct SimulationStore: Sendable {
    /// Stored parameters θ, `[count, parameterCount]`.
    private(set) var parameters: SampleMatrix
    /// Stored data x as Float32, row-major `[count * observationLength]`.
    private(set) var dataValues: [Float]
    /// The length of one x.
    let observationLength: Int
    /// Whether x are noise-free signals (simulated without the model's Gaussian noise, which
    /// training adds: ``TrainingNoise``) rather than simulations with their noise.
    private(set) var holdsSignals = false
    /// The standard deviation of the white Gaussian noise training adds to the signals
    /// (√Σσ² over the model's noise models); 0 when ``holdsSignals`` is false.
    private(set) var signalNoiseSigma = 0.0
    /// Simulations dropped so far.
    private(set) var discardedCount = 0
    /// Messages about dropped simulations, in order.
    private(set) var warnings: [String] = []

    /// An empty store for θ of `parameterCount` values and x of `observationLength` values.
    init(parameterCount: Int, observationLength: Int) {
        parameters = SampleMatrix(rows: 0, columns: parameterCount)
        dataValues = []
        self.observationLength = observationLength
    }

    /// Stored data x as a `Double` matrix `[count, observationLength]` (a converted copy: twice
    /// the memory of the Float32 store while it lives).
    var data: SampleMatrix {
        (try? SampleMatrix(rows: count, columns: observationLength, floatStorage: dataValues))
            ?? SampleMatrix(rows: 0, columns: observationLength)
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
    /// - With `noise == .freshEachEpoch`, the model's noise models (all Gaussian) are left out
    ///   and noise-free signals are stored; training adds the noise.
    /// - Parameter noise: How training will treat the noise (decides what is stored).
    /// - Returns: The number of simulations the run kept (including any it resumed).
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for a negative count, or for
    ///   `.freshEachEpoch` with a noise model that is not Gaussian or a store that already holds
    ///   simulations with their noise (and the reverse); ``SimulationError``; `InterruptedError`
    ///   (the finished simulations are kept).
    mutating func simulate(_ model: SimulationModel, count: Int, seed: UInt64, noise: TrainingNoise = .fixed) throws -> Int {
        guard count >= 0 else { throw EstimatorError.invalidArgument("count must be ≥ 0, got \(count)") }
        let signalsOnly = noise == .freshEachEpoch
        let sigma = signalsOnly ? try TrainingNoise.gaussianSigma(of: model) : 0
        try checkKind(signalsOnly: signalsOnly)
        if signalsOnly { signalNoiseSigma = sigma }
        let p = model.parameterCount, m = model.outputLength
        try SimulationMemory.check(
            SimulationMemory.requiredBytes(count: count, existing: self.count, parameterCount: p, outputLength: m),
            purpose: "\(Count.grouped(count)) simulations of \(p) parameter\(p == 1 ? "" : "s") and \(m) value\(m == 1 ? "" : "s")")
        let run = SimulationRun(model: model, count: count, seed: seed, includeNoise: !signalsOnly)
        let id = run.identity.id
        var resumed: SimulationCheckpoint? = nil
        var nonFiniteBefore = 0, thrownBefore = 0

        if let u = unfinished, u.id == id, u.firstRow <= self.count {
            // Continue a run stopped earlier in this process: take its rows back out of the store.
            let theta = Array(parameters.storage[(u.firstRow * p)...]), x = Array(dataValues[(u.firstRow * m)...])
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
        if self.count > 0 { holdsSignals = signalsOnly }
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
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` naming the expected sizes;
    ///   ``EstimatorError/invalidArgument(_:)`` if the store holds noise-free signals.
    mutating func append(parameters theta: SampleMatrix, data x: SampleMatrix, parameterNames: [String]) throws -> Int {
        guard theta.columns == parameters.columns else {
            throw EstimatorError.shapeMismatch(
                "parameters must have \(parameters.columns) columns (\(parameterNames.joined(separator: ", "))), got \(theta.columns)")
        }
        guard x.columns == observationLength else {
            throw EstimatorError.shapeMismatch("data must have \(observationLength) columns, got \(x.columns)")
        }
        guard theta.rows == x.rows else {
            throw EstimatorError.shapeMismatch("parameters have \(theta.rows) rows but data has \(x.rows)")
        }
        try checkKind(signalsOnly: false)
        unfinished = nil
        // Finite as Float32 too: x is stored as Float32.
        let keep = (0..<theta.rows).filter { i in
            theta.row(i).allSatisfy(\.isFinite) && x.row(i).allSatisfy { Float($0).isFinite }
        }
        if keep.count == theta.rows {
            try store(parameters: theta, data: x.floatStorage)
        } else {
            let dropped = theta.rows - keep.count
            discard(dropped, warning: "\(dropped) of \(theta.rows) appended simulation(s) contain NaN or infinite values "
                + "(or values beyond Float32's range) and were dropped")
            try store(parameters: theta.selecting(rows: keep), data: x.selecting(rows: keep).floatStorage)
        }
        return keep.count
    }

    /// Forgets all stored simulations and the count of dropped ones.
    mutating func removeAll() {
        self = SimulationStore(parameterCount: parameters.columns, observationLength: observationLength)
    }

    /// Throws unless simulations of this kind (noise-free signals or not) can join the store.
    private func checkKind(signalsOnly: Bool) throws {
        guard count > 0, signalsOnly != holdsSignals else { return }
        throw EstimatorError.invalidArgument(signalsOnly
            ? "the stored simulations include their noise, so fresh noise cannot be added to them: "
                + "call removeSimulations() first, or keep settings.noise = .fixed"
            : "the stored simulations are noise-free signals (simulated with settings.noise = .freshEachEpoch); "
                + "simulations with noise cannot join them: call removeSimulations() first, or set settings.noise = .freshEachEpoch")
    }

    /// Keeps only the first `rows` simulations.
    private mutating func truncate(to rows: Int) {
        let p = parameters.columns, m = observationLength
        parameters = (try? SampleMatrix(rows: rows, columns: p, storage: Array(parameters.storage[..<(rows * p)]))) ?? parameters
        dataValues.removeSubrange((rows * m)...)
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
    /// - Parameters:
    ///   - theta: θ, `[n, parameterCount]`.
    ///   - x: x, `[n * observationLength]` row-major.
    private mutating func store(parameters theta: SampleMatrix, data x: [Float]) throws {
        guard x.count == theta.rows * observationLength else {
            throw EstimatorError.shapeMismatch("\(theta.rows) parameter rows but \(x.count) data values")
        }
        if parameters.rows == 0 {   // no copy into an empty store
            parameters = theta
            dataValues = x
            return
        }
        let newParameters = try SampleMatrix(rows: parameters.rows + theta.rows, columns: parameters.columns,
                                             storage: parameters.storage + theta.storage)
        // In place: one reallocation at most, never a third copy.
        dataValues.reserveCapacity(dataValues.count + x.count)
        dataValues.append(contentsOf: x)
        parameters = newParameters
    }
}
