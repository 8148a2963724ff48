import Dispatch
import Foundation
import Synchronization
import TensorCore

/// Simulation-based calibration (SBC) of any posterior that can sample given an observation:
/// draw test cases θ* from the prior and x* from the simulator, draw L posterior samples given
/// each x*, and record per parameter the rank of θ*_j among the samples — uniform on `0 ... L`
/// for a calibrated posterior (Talts et al., "Validating Bayesian inference algorithms with
/// simulation-based calibration", arXiv 1804.06788, 2018). For a posterior with a density it
/// also records how many samples are denser than θ*, which gives the expected coverage of
/// highest-density regions (Deistler et al., "Truncated proposals for scalable and
/// hassle-free simulation-based inference", arXiv 2210.04815, 2022; sbi's `run_sbc` with
/// `reduce_fns = posterior.log_prob`).
///
/// **Cost.** `testCases × posteriorSamples` posterior draws (one flow pass per NPE draw; one
/// Gibbs chain per GNPE draw), plus `testCases` simulations and, with a density,
/// `testCases × (posteriorSamples + 1)` density evaluations.
///
/// **Cores and seeds.** Test cases run in parallel, each worker with its own copy of the
/// posterior (``PosteriorSampling/concurrentCopy()``); a posterior whose sampling already uses
/// all cores (GNPE's Gibbs sampler) runs one case at a time. Measured on 2 cores (damped
/// oscillator NPE, 100 cases × 200 samples): 0.6–0.7 s on one worker, 0.32 s on two; drawing
/// the same 20,000 samples in one batched flow pass over 20,000 contexts took 0.7 s, because
/// the embedding network then runs once per sample instead of once per case. Case i draws its posterior samples with
/// a seed from stream i of a generator seeded by ``seed`` (after the prior draws and the
/// simulations, which are seeded the same way as ``SimulationModel/simulate(_:using:includeNoise:invalid:)``),
/// so the result depends on the seed, never on the number of workers.
///
/// **Interruption.** Interrupting (the ■ button) stops after the cases in progress and throws
/// `InterruptedError` whose `partialResult` is a ``CalibrationResult`` of the cases completed
/// (``CalibrationResult/isComplete`` `false`).
///
/// ```swift
/// let sbc = SimulationBasedCalibration(testCases: 200, posteriorSamples: 200, seed: 7)
/// let npeCalibration = try sbc.run(npe)                        // or run(try npe.posterior, model: model)
/// npeCalibration.pValues                                       // [parameters]
/// let gnpeCalibration = try sbc.run(gnpe)                      // ranks only: GNPE has no density
/// ```
public struct SimulationBasedCalibration: Sendable {
    /// The number of test cases N (default 200).
    public var testCaseCount: Int
    /// The number of posterior samples L per test case (default 200); ranks lie in `0 ... L`.
    public var posteriorSampleCount: Int
    /// The seed of the test set and of the posterior draws (default 1).
    public var seed: UInt64
    /// The largest number of test cases sampled at once, or `nil` (default) for one per core —
    /// or one at a time for a posterior whose sampling already runs on all cores
    /// (``PosteriorSampling/samplesOnAllCores``, GNPE). The result does not depend on it.
    public var maximumConcurrency: Int?
    /// Whether to rank θ* by density too when the posterior has one (default `true`).
    public var ranksByDensity: Bool

    /// Creates a calibration plan.
    /// - Parameters:
    ///   - testCases: N ≥ 1 (a few hundred give useful p-values).
    ///   - posteriorSamples: L ≥ 2 per case.
    ///   - seed: The seed.
    ///   - maximumConcurrency: Workers, or `nil` for one per core.
    ///   - ranksByDensity: Whether to compute highest-density ranks when a density exists.
    public init(testCases: Int = 200, posteriorSamples: Int = 200, seed: UInt64 = 1, maximumConcurrency: Int? = nil,
                ranksByDensity: Bool = true) {
        testCaseCount = testCases
        posteriorSampleCount = posteriorSamples
        self.seed = seed
        self.maximumConcurrency = maximumConcurrency
        self.ranksByDensity = ranksByDensity
    }

    /// Calibrates a posterior on test cases drawn from a model's prior and simulator.
    ///
    /// Invalid simulations (NaN, ±∞, a throwing simulator) are dropped and counted, as in training.
    /// - Parameters:
    ///   - posterior: The posterior to check; its parameters must be the model's.
    ///   - model: The prior and simulator of the test cases.
    ///   - progress: Called after each completed case with (cases done, cases to do), from a
    ///     worker thread, one call at a time.
    /// - Returns: The ranks and what follows from them.
    /// - Throws: ``CalibrationError`` for a count below 1, fewer than 2 samples, a concurrency
    ///   below 1, parameters that differ from the model's, or a test set with no valid
    ///   simulation; the posterior's error of the lowest-numbered case if every case failed;
    ///   `InterruptedError` (see the type's documentation for its partial result).
    public func run<Posterior: PosteriorSampling>(
        _ posterior: Posterior, model: SimulationModel, progress: (@Sendable (_ completed: Int, _ total: Int) -> Void)? = nil
    ) throws -> CalibrationResult {
        try validate()
        try checkNames(posterior.parameterNames, model.prior.names, what: "the model")
        var rng = RandomSource(seed: seed)
        let truths = model.prior.sample(count: testCaseCount, using: &rng)
        let batch = try model.simulate(truths, using: &rng, invalid: .drop)
        let dropped = Set(batch.dropped.map(\.row))
        let kept = (0 ..< testCaseCount).filter { !dropped.contains($0) }
        guard !kept.isEmpty else { throw CalibrationError.noValidSimulations(planned: testCaseCount) }
        let base = RandomSource(seed: rng.next())
        var warnings: [String] = []
        if let warning = batch.warning { warnings.append("test set: " + warning) }
        return try rank(posterior, prior: model.prior, caseNumbers: kept, truths: batch.parameters,
                        observations: batch.data, base: base, planned: testCaseCount, dropped: dropped.count,
                        warnings: warnings, progress: progress)
    }

    /// Calibrates a posterior on a given test set (simulated elsewhere, or stored), ignoring
    /// ``testCaseCount``: case i is row i.
    /// - Parameters:
    ///   - posterior: The posterior to check.
    ///   - prior: The prior the truths were drawn from (its names must be the posterior's; its
    ///     periodic parameters are wrapped and tested with Kuiper's statistic).
    ///   - parameters: θ*, `[cases, parameters]`, drawn from `prior`.
    ///   - observations: x*, `[cases, observationLength]`, row i simulated at θ* row i.
    ///   - progress: Called after each completed case with (cases done, cases to do).
    /// - Returns: The ranks and what follows from them.
    /// - Throws: ``CalibrationError`` for fewer than 2 samples, a concurrency below 1, names or
    ///   shapes that disagree, an empty test set or NaN or ±∞ in it; as
    ///   ``run(_:model:progress:)`` otherwise.
    public func run<Posterior: PosteriorSampling>(
        _ posterior: Posterior, prior: JointPrior, parameters: SampleMatrix, observations: SampleMatrix,
        progress: (@Sendable (_ completed: Int, _ total: Int) -> Void)? = nil
    ) throws -> CalibrationResult {
        var plan = self
        plan.testCaseCount = max(parameters.rows, 1)
        try plan.validate()
        try checkNames(posterior.parameterNames, prior.names, what: "the prior")
        guard parameters.rows > 0, parameters.rows == observations.rows, parameters.columns == prior.dimension,
              observations.columns > 0 else {
            throw CalibrationError.invalidTestSet(
                "parameters \(parameters.rows) × \(parameters.columns) and observations \(observations.rows) × "
                    + "\(observations.columns) for \(prior.dimension) parameters: need the same, non-zero number of rows")
        }
        for (name, matrix) in [("parameters", parameters), ("observations", observations)] {
            if let (row, column, value) = InputValidation.firstNonFinite(in: matrix) {
                throw CalibrationError.invalidTestSet("\(name) row \(row), column \(column) is \(value)")
            }
        }
        var rng = RandomSource(seed: seed)
        let base = RandomSource(seed: rng.next())
        return try plan.rank(posterior, prior: prior, caseNumbers: Array(0 ..< parameters.rows), truths: parameters,
                             observations: observations, base: base, planned: parameters.rows, dropped: 0, warnings: [],
                             progress: progress)
    }

    // MARK: - Running

    /// Throws for counts out of range.
    func validate() throws {
        guard testCaseCount >= 1 else { throw CalibrationError.invalidTestCaseCount(testCaseCount) }
        guard posteriorSampleCount >= 2 else { throw CalibrationError.tooFewPosteriorSamples(posteriorSampleCount) }
        if let workers = maximumConcurrency, workers < 1 { throw CalibrationError.invalidConcurrency(workers) }
    }

    private func checkNames(_ posterior: [String], _ reference: [String], what: String) throws {
        guard posterior == reference else {
            throw CalibrationError.parameterMismatch(
                "the posterior's parameters \(posterior) differ from those of \(what) \(reference)")
        }
    }

    /// What one case produced.
    private struct CaseOutcome: Sendable {
        var ranks: [Int]
        var densityRank: Int?
        var warning: String?
    }

    /// Samples and ranks the given cases on all workers.
    private func rank<Posterior: PosteriorSampling>(
        _ posterior: Posterior, prior: JointPrior, caseNumbers: [Int], truths: SampleMatrix, observations: SampleMatrix,
        base: RandomSource, planned: Int, dropped: Int, warnings initialWarnings: [String],
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> CalibrationResult {
        let n = caseNumbers.count
        let wrappedTruths = try prior.wrappingPeriodicParameters(of: truths)
        let cores = posterior.samplesOnAllCores ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let workers = min(maximumConcurrency ?? cores, n)
        let byDensity = ranksByDensity && posterior.providesDensity
        // Each worker holds its samples (Doubles, and the Floats a flow draws).
        try InputValidation.checkCount(posteriorSampleCount, columns: (prior.dimension + 1) * workers, bytesPerValue: 16,
                                       purpose: "calibration with \(posteriorSampleCount) posterior samples per case")
        let state = RankingState(count: n)
        // Worker threads do not see a task-local interruption source: poll it explicitly.
        let localSource = Interruption.localSource
        let samples = posteriorSampleCount
        let copies = (0 ..< workers).map { _ in UncheckedBox(posterior.concurrentCopy()) }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let sampler = copies[w].value
            while true {
                if state.isStopped || Interruption.isRequested || localSource?.isRequested == true {
                    state.stop(interrupted: true)
                    return
                }
                guard let k = state.nextCase() else { return }
                var caseRNG = base.stream(caseNumbers[k])
                do {
                    let outcome = try Self.rankCase(
                        caseNumbers[k], sampler: sampler, prior: prior, truth: wrappedTruths.row(k),
                        observation: observations.row(k), samples: samples, byDensity: byDensity, rng: &caseRNG)
                    state.finish(k, outcome: outcome, progress: progress)
                } catch is InterruptedError {
                    state.stop(interrupted: true)
                    return
                } catch {
                    state.fail(k, error: error, progress: progress)
                }
            }
        }
        // Consume a pending task-local request (the process-wide flag was consumed by the
        // checkpoint that threw, or is consumed here).
        if state.wasInterrupted { try? Interruption.checkpoint("calibration") }
        let finished = state.outcomes.enumerated().compactMap { k, outcome in outcome.map { (k, $0) } }
        let done = finished.map(\.0)
        let failures = (0 ..< n).compactMap { k in state.errors[k].map { (k, $0) } }
        var warnings = initialWarnings
        let unsettled = finished.compactMap { k, outcome in outcome.warning.map { (caseNumbers[k], $0) } }
        if let first = unsettled.first {
            warnings.append("\(unsettled.count) of \(done.count) cases warned while sampling; case \(first.0): \(first.1)")
        }
        if let first = failures.first {
            warnings.append("sampling failed for \(failures.count) case(s); case \(caseNumbers[first.0]): \(first.1)")
        }
        let result = try CalibrationResult(
            parameterNames: prior.names, periodic: prior.periodic, posteriorSampleCount: samples, plannedCaseCount: planned,
            caseNumbers: done.map { caseNumbers[$0] }, truths: truths.selecting(rows: done),
            ranks: finished.map(\.1.ranks),
            highestDensityRanks: byDensity ? finished.map { $0.1.densityRank ?? 0 } : nil,
            droppedSimulationCount: dropped,
            failedCases: failures.map { .init(testCase: caseNumbers[$0.0], reason: String(describing: $0.1)) },
            isComplete: !state.wasInterrupted, warnings: warnings)
        if state.wasInterrupted {
            throw InterruptedError(location: "calibration, \(done.count) of \(n) cases").keeping(result)
        }
        if done.isEmpty, let first = failures.first { throw first.1 }
        return result
    }

    /// Draws case `number`'s samples and ranks its truth.
    private static func rankCase<Posterior: PosteriorSampling>(
        _ number: Int, sampler: Posterior, prior: JointPrior, truth: [Double], observation: [Double], samples count: Int,
        byDensity: Bool, rng: inout RandomSource
    ) throws -> CaseOutcome {
        let d = truth.count
        let raw = try sampler.sample(count: count, given: observation, seed: rng.next())
        let warning = sampler.lastSamplingWarning
        guard raw.rows == count, raw.columns == d else {
            throw CalibrationError.invalidSamples(
                testCase: number, "expected \(count) × \(d) samples, got \(raw.rows) × \(raw.columns)")
        }
        if let (row, column, value) = InputValidation.firstNonFinite(in: raw) {
            throw CalibrationError.invalidSamples(testCase: number, "sample \(row), parameter \(column) is \(value)")
        }
        let drawn = try prior.wrappingPeriodicParameters(of: raw)
        var ranks = [Int](repeating: 0, count: d)
        for j in 0 ..< d {
            var below = 0, tied = 0
            let t = truth[j]
            for i in 0 ..< count {
                let v = drawn[i, j]
                if v < t { below += 1 } else if v == t { tied += 1 }
            }
            ranks[j] = below + (tied > 0 ? Int(rng.next() % UInt64(tied + 1)) : 0)
        }
        var densityRank: Int?
        if byDensity {
            var points = raw
            try points.append(row: truth)
            let logq = try sampler.logProbability(of: points, given: observation)
            guard logq.count == count + 1 else {
                throw CalibrationError.invalidSamples(
                    testCase: number, "the density gave \(logq.count) values for \(count + 1) points")
            }
            let atTruth = logq[count]
            var denser = 0, tied = 0
            for i in 0 ..< count {
                if logq[i] > atTruth { denser += 1 } else if logq[i] == atTruth { tied += 1 }
            }
            densityRank = denser + (tied > 0 ? Int(rng.next() % UInt64(tied + 1)) : 0)
        }
        return CaseOutcome(ranks: ranks, densityRank: densityRank, warning: warning)
    }

    /// The shared bookkeeping of the workers (next case, outcomes, errors, stop), under a lock.
    private final class RankingState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let count: Int
        private var completed = 0
        private var stopped = false
        private var interrupted = false
        private(set) var outcomes: [CaseOutcome?]
        private(set) var errors: [(any Error)?]

        init(count: Int) {
            self.count = count
            outcomes = Array(repeating: nil, count: count)
            errors = Array(repeating: nil, count: count)
        }

        var isStopped: Bool { lock.withLock { stopped } }
        var wasInterrupted: Bool { lock.withLock { interrupted } }

        func nextCase() -> Int? {
            lock.withLock {
                guard !stopped, next < count else { return nil }
                next += 1
                return next - 1
            }
        }

        func stop(interrupted: Bool) {
            lock.withLock {
                stopped = true
                if interrupted { self.interrupted = true }
            }
        }

        func finish(_ k: Int, outcome: CaseOutcome, progress: (@Sendable (Int, Int) -> Void)?) {
            lock.withLock {
                outcomes[k] = outcome
                completed += 1
                progress?(completed, count)
            }
        }

        func fail(_ k: Int, error: any Error, progress: (@Sendable (Int, Int) -> Void)?) {
            lock.withLock {
                errors[k] = error
                completed += 1
                progress?(completed, count)
            }
        }
    }
}

/// A value handed to worker threads whose type is not declared `Sendable`; each worker uses its
/// own instance only.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
