import TensorCore

extension NPE {
    /// Draws `count` parameter vectors from the prior, simulates them on all cores and stores the
    /// valid pairs (invalid simulations are dropped and counted).
    /// - Parameters:
    ///   - count: The number of simulations.
    ///   - seed: Seeds the prior draws and the simulator noise (same seed, same simulations).
    /// - Returns: The number of simulations kept.
    /// - Throws: ``EstimatorError/noModel`` for an estimator built from a prior;
    ///   ``EstimatorError/invalidArgument(_:)`` for a negative count; `InterruptedError`.
    @discardableResult
    public func appendSimulations(count: Int, seed: UInt64) throws -> Int {
        guard let model else { throw EstimatorError.noModel }
        guard count >= 0 else { throw EstimatorError.invalidArgument("count must be ≥ 0, got \(count)") }
        var rng = RandomSource(seed: seed)
        let batch = try model.simulateFromPrior(count: count, using: &rng, invalid: .drop)
        if let warning = batch.warning {
            discard(batch.droppedCount, warning: warning)
        }
        store(parameters: batch.parameters, data: batch.data)
        return batch.parameters.rows
    }

    /// Stores simulations made elsewhere (e.g. read from `.npy` files); rows whose θ or x contain
    /// NaN or infinite values are dropped and counted.
    /// - Parameters:
    ///   - parameters: θ, `[n, parameterCount]`, drawn from ``prior``.
    ///   - data: x, `[n, observationLength]`, row i simulated at θ row i.
    /// - Returns: The number of simulations kept.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` naming the expected sizes.
    @discardableResult
    public func appendSimulations(parameters theta: SampleMatrix, data x: SampleMatrix) throws -> Int {
        guard theta.columns == prior.dimension else {
            throw EstimatorError.shapeMismatch("parameters must have \(prior.dimension) columns (\(prior.names.joined(separator: ", "))), got \(theta.columns)")
        }
        guard x.columns == observationLength else {
            throw EstimatorError.shapeMismatch("data must have \(observationLength) columns, got \(x.columns)")
        }
        guard theta.rows == x.rows else {
            throw EstimatorError.shapeMismatch("parameters have \(theta.rows) rows but data has \(x.rows)")
        }
        var keep = [Int]()
        keep.reserveCapacity(theta.rows)
        for i in 0..<theta.rows where theta.row(i).allSatisfy(\.isFinite) && x.row(i).allSatisfy(\.isFinite) {
            keep.append(i)
        }
        if keep.count == theta.rows {
            store(parameters: theta, data: x)
        } else {
            let dropped = theta.rows - keep.count
            discard(dropped, warning: "\(dropped) of \(theta.rows) appended simulation(s) contain NaN or infinite values and were dropped")
            store(parameters: theta.selecting(rows: keep), data: x.selecting(rows: keep))
        }
        return keep.count
    }

    /// Forgets all stored simulations and the count of dropped ones (the trained flow is kept).
    public func removeSimulations() {
        parameters = SampleMatrix(rows: 0, columns: prior.dimension)
        data = SampleMatrix(rows: 0, columns: observationLength)
        discardedSimulationCount = 0
        warnings = []
    }

    private func discard(_ count: Int, warning: String) {
        discardedSimulationCount += count
        warnings.append(warning)
    }

    private func store(parameters theta: SampleMatrix, data x: SampleMatrix) {
        // Rows are validated by the callers, so the concatenations have consistent shapes.
        parameters = try! SampleMatrix(rows: parameters.rows + theta.rows, columns: parameters.columns,
                                       storage: parameters.storage + theta.storage)
        data = try! SampleMatrix(rows: data.rows + x.rows, columns: data.columns, storage: data.storage + x.storage)
    }
}
