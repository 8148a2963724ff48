import Dispatch
import Foundation
import Synchronization
import TensorCore

/// What identifies a simulation run across workers: everything about `appendSimulations(count:
/// seed:)` that can be compared. The simulator and custom noise models are closures and cannot
/// be compared; a run restored under this identity is also checked by re-simulating its first θ
/// (``SimulationRun/probeMatches(keptTheta:keptData:processed:droppedRows:)``).
struct SimulationRunIdentity: Codable, Equatable, Sendable {
    /// The identity's format.
    var format = 1
    /// The parameters' names and priors, in θ order.
    var parameters: [StoredPriorComponent]
    /// The simulator's output length.
    var outputLength: Int
    /// Whether the simulator is declared on batches (its random streams are per chunk).
    var batched: Bool
    /// The noise models: name, and σ for Gaussian noise.
    var noiseModels: [String]
    /// The number of simulations.
    var count: Int
    /// The seed.
    var seed: UInt64
    /// Rows per random stream chunk of a batch simulator.
    var chunkSize: Int
    /// `true` when the run keeps noise-free signals (the noise models are left out, to be added
    /// afresh at training: ``TrainingNoise/freshEachEpoch``); absent (`nil`) for runs with noise,
    /// so that their ids are those of runs made before the option existed.
    var noiseFree: Bool?

    init(model: SimulationModel, count: Int, seed: UInt64, includeNoise: Bool = true) {
        parameters = model.prior.storedComponents
        outputLength = model.outputLength
        batched = model.simulator.batchFunction != nil
        noiseModels = model.noiseModels.map { n in n.gaussianSigma.map { "\(n.name): gaussian σ = \($0)" } ?? n.name }
        self.count = count
        self.seed = seed
        chunkSize = SimulationModel.chunkSize
        noiseFree = includeNoise ? nil : true
    }

    /// `sim-` and 20 hexadecimal digits of a stable hash of the identity.
    var id: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hash = StableHash()
        hash.combine((try? encoder.encode(self)) ?? Data("\(self)".utf8))
        return "sim-" + hash.hexDigest.prefix(20)
    }
}

/// One simulation that was dropped (or stopped the run), for messages.
struct SimulationProblem: Sendable {
    /// The 0-based simulation index in the run.
    var row: Int
    /// θ.
    var theta: [Double]
    /// What happened: "NaN at output index 3", the thrown error, "returned 1 value".
    var reason: String
    /// For a wrong length: the length returned.
    var foundLength: Int?
}

/// One `appendSimulations(count:seed:)` run: θ for all `count` simulations drawn from the prior
/// with `seed`, simulated in blocks on all cores, with the completed prefix kept.
///
/// x is kept as Float32 (the flows train in Float32; half the memory of Float64): a value that is
/// finite as a `Double` but beyond Float32's range (|x| > 3.4·10³⁸) counts as non-finite.
///
/// Simulation i draws from stream i of a generator seeded by one draw after the prior draws (a
/// batch simulator: chunk c of 64 rows from stream c) — exactly as
/// ``SimulationModel/simulateFromPrior(count:using:invalid:)`` — so the result never depends on
/// the thread count, on the block sizes, or on where a run was resumed.
///
/// Rows `0 ..< processed` are done: each either kept (valid) or dropped (NaN/±∞, or the
/// simulator threw). A block runs until done or stopped (interrupt, a wrong output length, every
/// simulation throwing); only the prefix of finished rows is kept, so the run can continue from
/// `processed` later.
final class SimulationRun {
    enum Status: UInt8 {
        case pending = 0
        case kept, nonFinite, threw, wrongLength
    }
    /// Why a run stopped before its end.
    enum Stop: Int {
        case none = 0
        case interrupted, wrongLength, everyThrew
    }

    let model: SimulationModel
    /// The number of rows this object simulates: the whole run, or one shard's rows.
    let count: Int
    let seed: UInt64
    /// The run index of this object's row 0 (0 for a whole run; a shard's first row): row `i`
    /// here is simulation `firstRow + i` of the run and draws from that simulation's stream.
    let firstRow: Int
    let identity: SimulationRunIdentity
    /// θ for every simulation of the run, `[count, parameterCount]`.
    let theta: SampleMatrix
    /// The generator whose streams the simulations draw from.
    let base: RandomSource
    /// Rows per work item (a batch simulator's chunk; fewer for one-θ simulators, for smoother
    /// load balance and quicker interrupts).
    let itemSize: Int
    /// Whether the model's noise models are applied (`false`: noise-free signals are kept).
    let includeNoise: Bool

    /// Rows done (kept or dropped), a prefix of the run.
    private(set) var processed = 0
    /// x of the simulations run so far as Float32, `[rows, outputLength]` row-major, by row (the
    /// rows of dropped simulations are left at 0; capacity for the whole run is reserved up
    /// front); the work items write into it directly.
    private(set) var data: [Float]
    /// The dropped rows (0-based, ascending).
    private(set) var droppedRows: [Int] = []
    /// Dropped for NaN or ±∞ output.
    private(set) var nonFiniteCount = 0
    /// Dropped because the simulator threw.
    private(set) var thrownCount = 0
    /// The first few problems of each kind, in row order.
    private(set) var nonFiniteExamples: [SimulationProblem] = []
    private(set) var thrownExamples: [SimulationProblem] = []
    /// The simulation that stopped the run (wrong length, or the first throw when all threw).
    private(set) var stopProblem: SimulationProblem?

    /// For tests: the run behaves as if interrupted when it reaches this row (read once, from
    /// the calling task, when the run is created).
    @TaskLocal static var interruptionRowForTesting: Int? = nil
    private let interruptionRow: Int?

    private let returnedCount = Atomic<Int>(0)
    private let threwCount = Atomic<Int>(0)
    private let stopReason = Atomic<Int>(0)
    private let collected = Mutex<[(Status, SimulationProblem)]>([])

    /// The number of problems collected per block (the first few by row are reported).
    private static let examplesKept = 3

    /// Draws θ for the run.
    /// - Parameters:
    ///   - model: The model.
    ///   - count: The number of simulations (≥ 0).
    ///   - seed: The seed of the prior draws and the simulator's random streams.
    ///   - includeNoise: Whether to apply the noise models (`false` keeps noise-free signals).
    ///   - rows: Only these simulations of the run (a shard), or `nil` for all. For a batch
    ///     simulator the lower bound must be a multiple of ``SimulationModel/chunkSize`` (the
    ///     caller checks), so that the chunks' streams are the whole run's.
    init(model: SimulationModel, count: Int, seed: UInt64, includeNoise: Bool = true, rows: Range<Int>? = nil) {
        self.model = model
        self.seed = seed
        self.includeNoise = includeNoise
        identity = SimulationRunIdentity(model: model, count: count, seed: seed, includeNoise: includeNoise)
        var rng = RandomSource(seed: seed)
        if let rows {
            // Every θ of the run is drawn, in the run's order (row by row, as
            // JointPrior.sample(count:using:)), so that the generator reaches the same state
            // for the streams' seed; only the shard's rows are kept.
            let p = model.parameterCount
            let distributions = model.prior.distributions
            var kept = SampleMatrix(rows: rows.count, columns: p)
            for i in 0..<max(count, 0) {
                if rows.contains(i) {
                    for j in 0..<p { kept[i - rows.lowerBound, j] = distributions[j].sample(using: &rng) }
                } else {
                    for j in 0..<p { _ = distributions[j].sample(using: &rng) }
                }
            }
            theta = kept
            self.count = rows.count
            firstRow = rows.lowerBound
        } else {
            theta = model.prior.sample(count: count, using: &rng)
            self.count = count
            firstRow = 0
        }
        base = RandomSource(seed: rng.next())
        itemSize = model.simulator.batchFunction != nil ? SimulationModel.chunkSize : 8
        interruptionRow = Self.interruptionRowForTesting
        // Reserved, not filled: the pages are touched block by block, so a run that stops early
        // (a wrong length in the first simulation) does not first write zeros over gigabytes.
        data = []
        data.reserveCapacity(self.count * model.outputLength)
    }

    /// The number of kept simulations.
    var keptCount: Int { processed - droppedRows.count }
    /// The number of dropped simulations.
    var droppedCount: Int { droppedRows.count }
    /// Whether every simulation has been done.
    var isComplete: Bool { processed == count }

    /// Continues from earlier work (a checkpoint, or an interrupted run in memory).
    /// (θ is not taken: it is this run's draws, which ``probeMatches(keptTheta:keptData:processed:droppedRows:)`` checks.)
    /// - Parameters:
    ///   - processed: The rows done.
    ///   - keptData: x of the kept rows among them, in order, row-major.
    ///   - droppedRows: The dropped rows among them, ascending.
    ///   - nonFiniteCount: How many were dropped for NaN/±∞.
    ///   - thrownCount: How many were dropped because the simulator threw.
    func restore(processed: Int, keptData: [Float], droppedRows: [Int], nonFiniteCount: Int, thrownCount: Int) {
        let m = model.outputLength
        let dropped = Set(droppedRows)
        var k = 0
        data.append(contentsOf: repeatElement(0, count: max(0, processed * m - data.count)))
        data.withUnsafeMutableBufferPointer { out in
            for i in 0..<processed where !dropped.contains(i) {
                for j in 0..<m { out[i * m + j] = keptData[k * m + j] }
                k += 1
            }
        }
        self.processed = processed
        self.droppedRows = droppedRows
        self.nonFiniteCount = nonFiniteCount
        self.thrownCount = thrownCount
    }

    /// The kept simulations among rows `range` (θ and x), without copying when none was dropped
    /// and the range is the whole run.
    /// - Parameter range: Rows of the run, within `0 ..< processed`.
    /// - Returns: θ `[kept, parameterCount]` and x `[kept * outputLength]` (Float32, row-major).
    func kept(in range: Range<Int>) -> (theta: SampleMatrix, data: [Float]) {
        let p = model.parameterCount
        let m = model.outputLength
        let dropped = Set(droppedRows.filter { range.contains($0) })
        let rows = range.count - dropped.count
        if dropped.isEmpty, range == 0..<count {
            return (theta, data)
        }
        var t = [Double]()
        var x = [Float]()
        t.reserveCapacity(rows * p)
        x.reserveCapacity(rows * m)
        if dropped.isEmpty {
            t.append(contentsOf: theta.storage[range.lowerBound * p..<range.upperBound * p])
            x.append(contentsOf: data[range.lowerBound * m..<range.upperBound * m])
        } else {
            for i in range where !dropped.contains(i) {
                t.append(contentsOf: theta.storage[i * p..<(i + 1) * p])
                x.append(contentsOf: data[i * m..<(i + 1) * m])
            }
        }
        // The sizes are consistent by construction.
        return ((try? SampleMatrix(rows: rows, columns: p, storage: t)) ?? SampleMatrix(rows: 0, columns: p), x)
    }

    /// Whether earlier work belongs to this run: its θ are this run's draws, and re-simulating
    /// the first θ (the first two, or a batch simulator's first chunk) gives bit-identical data
    /// and the same dropped rows.
    /// - Parameters:
    ///   - keptTheta: The earlier kept θ, row-major.
    ///   - keptData: The earlier kept x, row-major.
    ///   - processed: The rows the earlier work covers.
    ///   - droppedRows: Its dropped rows.
    /// - Returns: `true` if it can be continued.
    func probeMatches(keptTheta: [Double], keptData: [Float], processed: Int, droppedRows: [Int]) -> Bool {
        let p = model.parameterCount
        let m = model.outputLength
        guard processed >= 0, processed <= count,
            !model.simulator.isBatched || processed % itemSize == 0 || processed == count,
            keptTheta.count % max(p, 1) == 0, keptTheta.count / max(p, 1) + droppedRows.count == processed,
            keptData.count == keptTheta.count / max(p, 1) * m
        else { return false }
        let dropped = Set(droppedRows)
        guard dropped.count == droppedRows.count, dropped.allSatisfy({ $0 >= 0 && $0 < processed }) else {
            return false
        }
        // θ: the kept rows must be this run's draws, bit for bit.
        var k = 0
        for i in 0..<processed where !dropped.contains(i) {
            for j in 0..<p where theta[i, j].bitPattern != keptTheta[k * p + j].bitPattern { return false }
            k += 1
        }
        // x: re-simulate the first rows.
        let probe = min(processed, model.simulator.isBatched ? itemSize : 2)
        guard probe > 0 else { return true }
        var output = [Float](repeating: 0, count: probe * m)
        var status = [Status](repeating: .pending, count: probe)
        let stop = Atomic<Int>(0)
        output.withUnsafeMutableBufferPointer { out in
            status.withUnsafeMutableBufferPointer { st in
                simulateItem(
                    rows: 0..<probe, blockStart: 0, output: out, status: st, slot: nil, stop: stop, collect: false)
            }
        }
        k = 0
        for i in 0..<probe {
            if dropped.contains(i) {
                guard status[i] == .nonFinite || status[i] == .threw else { return false }
                continue
            }
            guard status[i] == .kept else { return false }
            for j in 0..<m where output[i * m + j].bitPattern != keptData[k * m + j].bitPattern { return false }
            k += 1
        }
        return true
    }

    /// Runs the remaining simulations in blocks.
    /// - Parameters:
    ///   - crash: The crash report to record in-flight θ in, if any.
    ///   - afterBlock: Called after every block (checkpoints).
    /// - Returns: Why the run stopped (`.none` when complete).
    func run(crash: SimulationCrashReport?, afterBlock: () -> Void) -> Stop {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var blockRows = itemSize * cores * 4
        while processed < count {
            let start = processed
            let end = min(count, start + blockRows)
            let began = DispatchTime.now().uptimeNanoseconds
            var status = [Status](repeating: .pending, count: end - start)
            let items = (end - start + itemSize - 1) / itemSize
            data.append(contentsOf: repeatElement(0, count: max(0, end * model.outputLength - data.count)))
            data.withUnsafeMutableBufferPointer { out in
                status.withUnsafeMutableBufferPointer { st in
                    let outPtr = out
                    let stPtr = st
                    DispatchQueue.concurrentPerform(iterations: items) { item in
                        if stopReason.load(ordering: .relaxed) != 0 { return }
                        let rows = start + item * itemSize..<min(end, start + (item + 1) * itemSize)
                        let slot = crash?.claimSlot()
                        simulateItem(
                            rows: rows, blockStart: start, output: outPtr, status: stPtr, slot: slot, stop: stopReason,
                            collect: true)
                        slot?.release()
                    }
                }
            }
            absorb(blockStart: start, status: status)
            afterBlock()
            let stop = Stop(rawValue: stopReason.load(ordering: .relaxed)) ?? .none
            if stop != .none { return stop }
            // Aim at blocks of about a quarter of a second: checkpoints and interrupts stay prompt.
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            let target = 0.25
            let scaled = seconds > 0 ? Double(blockRows) * target / seconds : Double(blockRows) * 4
            let bounded = min(
                max(scaled, Double(itemSize * cores)), Double(max(itemSize * cores, 1 << 16)), Double(blockRows) * 4)
            blockRows = max(itemSize, Int(bounded) / itemSize * itemSize)
        }
        return .none
    }

    /// Extends `processed` over the finished prefix of a block and collects its problems.
    private func absorb(blockStart start: Int, status: [Status]) {
        var done = 0
        for s in status {
            if s == .pending || s == .wrongLength { break }
            done += 1
        }
        for r in 0..<done {
            let i = start + r
            switch status[r] {
            case .kept: break
            case .nonFinite:
                droppedRows.append(i)
                nonFiniteCount += 1
            case .threw:
                droppedRows.append(i)
                thrownCount += 1
            case .pending, .wrongLength: break
            }
        }
        processed = start + done
        let problems = collected.withLock { list -> [(Status, SimulationProblem)] in
            defer { list.removeAll() }
            return list.sorted { $0.1.row < $1.1.row }
        }
        for (status, problem) in problems {
            switch status {
            case .nonFinite where problem.row < processed && nonFiniteExamples.count < Self.examplesKept:
                nonFiniteExamples.append(problem)
            case .threw
            where thrownExamples.count < Self.examplesKept
                && (problem.row < processed || stopReason.load(ordering: .relaxed) == Stop.everyThrew.rawValue):
                thrownExamples.append(problem)
            case .wrongLength where stopProblem == nil:
                stopProblem = problem
            default: break
            }
        }
        if stopReason.load(ordering: .relaxed) == Stop.everyThrew.rawValue, stopProblem == nil {
            stopProblem = thrownExamples.first
        }
    }

    /// Simulates `rows`: x of row `i` goes to `output[i * outputLength ..< (i + 1) * outputLength]`
    /// (the run's buffer), its status to `status[i - blockStart]`.
    private func simulateItem(
        rows: Range<Int>, blockStart: Int, output: UnsafeMutableBufferPointer<Float>,
        status: UnsafeMutableBufferPointer<Status>, slot: CrashSlot?, stop: borrowing Atomic<Int>, collect: Bool
    ) {
        let m = model.outputLength
        if let batch = model.simulator.batchFunction {
            if stop.load(ordering: .relaxed) != 0 { return }
            if Interruption.isRequested || (interruptionRow.map { rows.contains($0) } ?? false) {
                stop.store(Stop.interrupted.rawValue, ordering: .relaxed)
                return
            }
            var local = base.stream((firstRow + rows.lowerBound) / SimulationModel.chunkSize)
            let thetaRows = theta.selecting(rows: Array(rows))
            if let slot { thetaRows.storage.withUnsafeBufferPointer { slot.record(row: rows.lowerBound, theta: $0) } }
            let x: SampleMatrix
            do { x = try batch(thetaRows, &local) } catch {
                for (r, i) in rows.enumerated() {
                    status[i - blockStart] = .threw
                    if collect, r == 0 {
                        note(.threw, SimulationProblem(row: i, theta: thetaRows.row(r), reason: "\(error)"))
                    }
                }
                noteThrows(rows.count, stop: stop)
                return
            }
            guard x.rows == thetaRows.rows, x.columns == m else {
                let found = x.rows == thetaRows.rows ? x.columns : x.storage.count / max(thetaRows.rows, 1)
                for i in rows { status[i - blockStart] = .wrongLength }
                if collect {
                    note(
                        .wrongLength,
                        SimulationProblem(
                            row: rows.lowerBound, theta: thetaRows.row(0),
                            reason: "returned \(x.rows) × \(x.columns) for \(thetaRows.rows) θ", foundLength: found))
                }
                stop.store(Stop.wrongLength.rawValue, ordering: .relaxed)
                return
            }
            _ = returnedCount.add(rows.count, ordering: .relaxed)
            for (r, i) in rows.enumerated() {
                var row = x.row(r)
                if includeNoise { for noise in model.noiseModels { noise.apply(&row, &local) } }
                finish(row: i, x: row, blockStart: blockStart, output: output, status: status, collect: collect)
            }
            return
        }
        // A failure elsewhere stops this item only between items, so that the rows before the
        // first failure are all done; an interrupt stops it at once.
        if stop.load(ordering: .relaxed) != 0 { return }
        for i in rows {
            if stop.load(ordering: .relaxed) == Stop.interrupted.rawValue { return }
            if Interruption.isRequested || i == interruptionRow {
                stop.store(Stop.interrupted.rawValue, ordering: .relaxed)
                return
            }
            let t = theta.row(i)
            if let slot { t.withUnsafeBufferPointer { slot.record(row: i, theta: $0) } }
            var local = base.stream(firstRow + i)
            let x: [Double]
            do { x = try model.uncheckedSimulation(t, using: &local, includeNoise: includeNoise) } catch {
                status[i - blockStart] = .threw
                if collect { note(.threw, SimulationProblem(row: i, theta: t, reason: "\(error)")) }
                noteThrows(1, stop: stop)
                continue
            }
            guard x.count == m else {
                status[i - blockStart] = .wrongLength
                if collect {
                    note(
                        .wrongLength,
                        SimulationProblem(row: i, theta: t, reason: "returned \(x.count) values", foundLength: x.count))
                }
                stop.store(Stop.wrongLength.rawValue, ordering: .relaxed)
                return
            }
            _ = returnedCount.add(1, ordering: .relaxed)
            finish(row: i, x: x, blockStart: blockStart, output: output, status: status, collect: collect)
        }
    }

    @inline(__always)
    private func finish(
        row i: Int, x: [Double], blockStart: Int, output: UnsafeMutableBufferPointer<Float>,
        status: UnsafeMutableBufferPointer<Status>, collect: Bool
    ) {
        let m = model.outputLength
        // Finite in Float32 too: x is stored as Float32.
        if let bad = x.firstIndex(where: { !Float($0).isFinite }) {
            status[i - blockStart] = .nonFinite
            if collect {
                let beyond = x[bad].isFinite ? " (beyond Float32's range)" : ""
                note(
                    .nonFinite,
                    SimulationProblem(
                        row: i, theta: theta.row(i), reason: "\(Count.short(x[bad])) at output index \(bad)\(beyond)"))
            }
            return
        }
        let offset = i * m
        for j in 0..<m { output[offset + j] = Float(x[j]) }
        status[i - blockStart] = .kept
    }

    /// Stops the run when every simulation so far threw (at least 100 of them, or the whole run).
    private func noteThrows(_ n: Int, stop: borrowing Atomic<Int>) {
        let threw = threwCount.add(n, ordering: .relaxed).newValue
        if threw >= min(100, count), returnedCount.load(ordering: .relaxed) == 0, keptCount == 0, nonFiniteCount == 0 {
            stop.store(Stop.everyThrew.rawValue, ordering: .relaxed)
        }
    }

    /// Keeps a problem for the messages (the first few per block suffice: rows come roughly in order).
    private func note(_ status: Status, _ problem: SimulationProblem) {
        collected.withLock { list in
            if list.count < 64 || status == .wrongLength { list.append((status, problem)) }
        }
    }

    /// θ with the parameter names.
    func named(_ values: [Double]) -> NamedParameters {
        NamedParameters(names: model.parameterNames, values: values)
    }

    /// The warning for the simulations this call dropped, or `nil`.
    /// - Parameters:
    ///   - nonFinite: Dropped for NaN/±∞ in this call.
    ///   - thrown: Dropped because the simulator threw, in this call.
    func dropWarning(nonFinite: Int, thrown: Int) -> String? {
        guard nonFinite + thrown > 0 else { return nil }
        var parts: [String] = []
        if nonFinite > 0 {
            let examples = nonFiniteExamples.map { "θ = \(named($0.theta)) (\($0.reason))" }.joined(separator: "; ")
            parts.append(
                "\(Count.grouped(nonFinite)) returned NaN or ±∞" + (examples.isEmpty ? "" : ", first at \(examples)"))
        }
        if thrown > 0 {
            let examples = thrownExamples.map { "θ = \(named($0.theta)): \($0.reason)" }.joined(separator: "; ")
            parts.append("\(Count.grouped(thrown)) threw" + (examples.isEmpty ? "" : ", first at \(examples)"))
        }
        return "warning: \(Count.grouped(nonFinite + thrown)) of \(Count.grouped(processed)) simulations were dropped: "
            + parts.joined(separator: "; ")
    }
}

extension Simulator {
    /// Whether the simulator is declared on batches.
    var isBatched: Bool { batchFunction != nil }
}
