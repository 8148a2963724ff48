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

    /// Draws `count` parameter vectors from `model`'s prior, simulates them on all cores and
    /// stores the valid pairs.
    /// - Returns: The number of simulations kept.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for a negative count; `InterruptedError`.
    mutating func simulate(_ model: SimulationModel, count: Int, seed: UInt64) throws -> Int {
        guard count >= 0 else { throw EstimatorError.invalidArgument("count must be ≥ 0, got \(count)") }
        var rng = RandomSource(seed: seed)
        let batch = try model.simulateFromPrior(count: count, using: &rng, invalid: .drop)
        if let warning = batch.warning {
            discard(batch.droppedCount, warning: warning)
        }
        store(parameters: batch.parameters, data: batch.data)
        return batch.parameters.rows
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
        let keep = (0..<theta.rows).filter { i in theta.row(i).allSatisfy(\.isFinite) && x.row(i).allSatisfy(\.isFinite) }
        if keep.count == theta.rows {
            store(parameters: theta, data: x)
        } else {
            let dropped = theta.rows - keep.count
            discard(dropped, warning: "\(dropped) of \(theta.rows) appended simulation(s) contain NaN or infinite values and were dropped")
            store(parameters: theta.selecting(rows: keep), data: x.selecting(rows: keep))
        }
        return keep.count
    }

    /// Forgets all stored simulations and the count of dropped ones.
    mutating func removeAll() {
        self = SimulationStore(parameterCount: parameters.columns, observationLength: data.columns)
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

    private mutating func store(parameters theta: SampleMatrix, data x: SampleMatrix) {
        // Widths are checked by the callers, so the concatenations have consistent shapes.
        parameters = try! SampleMatrix(rows: parameters.rows + theta.rows, columns: parameters.columns,
                                       storage: parameters.storage + theta.storage)
        data = try! SampleMatrix(rows: data.rows + x.rows, columns: data.columns, storage: data.storage + x.storage)
    }
}
