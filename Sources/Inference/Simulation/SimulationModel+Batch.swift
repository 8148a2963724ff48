import Dispatch
import Synchronization
import TensorCore

/// What to do with a simulation that returns NaN, ±∞ or the wrong number of values, or throws.
public enum InvalidSimulationPolicy: Sendable {
    /// Throw ``ModelError`` naming the first offending θ (in row order).
    case throwError
    /// Drop the simulation and count it (sbi's default: NaN simulations are dropped with a warning).
    case drop
}

/// The result of simulating a batch.
public struct SimulationBatch: Sendable {
    /// The parameters of the kept simulations: `[kept, parameterCount]`.
    public var parameters: SampleMatrix
    /// The data: `[kept, outputLength]`, row i simulated at `parameters` row i.
    public var data: SampleMatrix
    /// The rows of the input batch that were dropped, with the reason.
    public var dropped: [(row: Int, problem: ModelError)]

    /// The number of dropped simulations.
    public var droppedCount: Int { dropped.count }

    /// A warning line if simulations were dropped, e.g. for a notebook to print.
    public var warning: String? {
        guard let first = dropped.first else { return nil }
        return "\(dropped.count) simulation(s) dropped as invalid; first: \(first.problem)"
    }
}

extension SimulationModel {
    /// The number of simulations per work item; fixed so that the work split never depends on
    /// the core count.
    static var chunkSize: Int { 64 }

    /// Simulates every row of `parameters` on all cores.
    ///
    /// Simulation i draws from its own stream `base.stream(i)`, where `base` is a generator seeded
    /// from one draw of `rng` (a batch simulator: chunk c of 64 rows draws from `base.stream(c)`):
    /// the result depends on `rng` and the batch, never on the thread count.
    ///
    /// - Parameters:
    ///   - parameters: θ, `[batch, parameterCount]`.
    ///   - rng: The random source (advanced by one draw).
    ///   - includeNoise: Whether to apply the noise models.
    ///   - invalid: The policy for NaN, ±∞ or wrong-length outputs (default `.throwError`).
    /// - Returns: The kept parameters and data, and the dropped rows.
    /// - Throws: ``ModelError`` (wrong θ width, or an invalid simulation under `.throwError`),
    ///   ``InterruptedError`` if the user interrupts.
    public func simulate(
        _ parameters: SampleMatrix, using rng: inout RandomSource, includeNoise: Bool = true,
        invalid: InvalidSimulationPolicy = .throwError
    ) throws -> SimulationBatch {
        guard parameters.columns == parameterCount else {
            throw ModelError.wrongParameterCount(expected: parameterCount, found: parameters.columns)
        }
        let n = parameters.rows
        let m = outputLength
        let base = RandomSource(seed: rng.next())
        var output = [Double](repeating: 0, count: n * m)
        var problems = [ModelError?](repeating: nil, count: n)
        let chunks = (n + Self.chunkSize - 1) / Self.chunkSize
        let stop = StopFlag()
        output.withUnsafeMutableBufferPointer { out in
            problems.withUnsafeMutableBufferPointer { probs in
                let outPtr = out, probPtr = probs
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    if stop.isSet || Interruption.isRequested { stop.set(); return }
                    let rowRange = c * Self.chunkSize ..< min(n, (c + 1) * Self.chunkSize)
                    if let batch = simulator.batchFunction {
                        var local = base.stream(c)
                        let theta = parameters.selecting(rows: Array(rowRange))
                        let x: SampleMatrix
                        do { x = try batch(theta, &local) } catch {
                            let reason = String(describing: error)
                            for (r, i) in rowRange.enumerated() { probPtr[i] = .simulatorThrew(theta: theta.row(r), error: reason) }
                            return
                        }
                        for (r, i) in rowRange.enumerated() {
                            let t = theta.row(r)
                            guard x.rows == theta.rows, x.columns == m else {
                                probPtr[i] = .wrongOutputLength(expected: m, found: x.rows == theta.rows ? x.columns : x.storage.count / max(theta.rows, 1), theta: t)
                                continue
                            }
                            var row = x.row(r)
                            if includeNoise { for noise in noiseModels { noise.apply(&row, &local) } }
                            if let problem = check(row, theta: t) {
                                probPtr[i] = problem
                            } else {
                                for j in 0 ..< m { outPtr[i * m + j] = row[j] }
                            }
                        }
                        return
                    }
                    for i in rowRange {
                        let theta = parameters.row(i)
                        var local = base.stream(i)
                        let x: [Double]
                        do { x = try uncheckedSimulation(theta, using: &local, includeNoise: includeNoise) } catch {
                            probPtr[i] = .simulatorThrew(theta: theta, error: String(describing: error))
                            continue
                        }
                        if let problem = check(x, theta: theta) {
                            probPtr[i] = problem
                        } else {
                            for j in 0 ..< m { outPtr[i * m + j] = x[j] }
                        }
                    }
                }
            }
        }
        if stop.isSet { try Interruption.checkpoint("simulation") ; throw InterruptedError(location: "simulation") }
        var dropped: [(Int, ModelError)] = []
        for (i, p) in problems.enumerated() {
            if let p {
                if invalid == .throwError { throw p }
                dropped.append((i, p))
            }
        }
        if dropped.isEmpty {
            return SimulationBatch(parameters: parameters, data: try SampleMatrix(rows: n, columns: m, storage: output), dropped: [])
        }
        let keep = (0 ..< n).filter { problems[$0] == nil }
        let all = try SampleMatrix(rows: n, columns: m, storage: output)
        return SimulationBatch(parameters: parameters.selecting(rows: keep), data: all.selecting(rows: keep), dropped: dropped)
    }

    /// Draws `count` parameter vectors from the prior and simulates them.
    /// - Parameters:
    ///   - count: The number of simulations.
    ///   - rng: The random source.
    ///   - invalid: The policy for invalid simulations (default `.drop`, as sbi).
    /// - Returns: The kept (θ, x) pairs.
    /// - Throws: As ``simulate(_:using:includeNoise:invalid:)``.
    public func simulateFromPrior(count: Int, using rng: inout RandomSource, invalid: InvalidSimulationPolicy = .drop) throws -> SimulationBatch {
        let theta = prior.sample(count: count, using: &rng)
        return try simulate(theta, using: &rng, invalid: invalid)
    }
}

/// A flag shared by worker threads.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
