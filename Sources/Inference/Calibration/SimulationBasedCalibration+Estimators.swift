import TensorCore

extension SimulationBasedCalibration {
    /// Calibrates a trained NPE on test cases from its model (ranks and highest-density coverage).
    /// - Parameters:
    ///   - npe: A trained estimator built with `NPE(model:)`.
    ///   - progress: Called after each completed case with (cases done, cases to do).
    /// - Returns: The ranks and what follows from them.
    /// - Throws: ``EstimatorError/notTrained`` before training, ``EstimatorError/noModel`` for an
    ///   estimator built from a prior only (use ``run(_:prior:parameters:observations:progress:)``
    ///   with simulations of your own); as ``run(_:model:progress:)`` otherwise.
    public func run(_ npe: NPE, progress: (@Sendable (_ completed: Int, _ total: Int) -> Void)? = nil) throws
        -> CalibrationResult {
        try validate()
        let posterior = try npe.posterior
        guard let model = npe.model else { throw EstimatorError.noModel }
        return try labelled(npe.displayName) { try run(posterior, model: model, progress: progress) }
    }

    /// Calibrates a trained GNPE estimator on test cases from its model (ranks only: GNPE's
    /// posterior has no density, so ``CalibrationResult/highestDensityRanks`` is `nil`).
    /// - Parameters:
    ///   - gnpe: A trained estimator; its posterior's Gibbs iterations and start are used.
    ///   - progress: Called after each completed case with (cases done, cases to do).
    /// - Returns: The ranks and what follows from them.
    /// - Throws: ``EstimatorError/notTrained`` before training; as ``run(_:model:progress:)`` otherwise.
    public func run(_ gnpe: GNPEEstimator, progress: (@Sendable (_ completed: Int, _ total: Int) -> Void)? = nil) throws
        -> CalibrationResult {
        try validate()
        let posterior = try gnpe.posterior
        return try labelled(gnpe.displayName) { try run(posterior, model: gnpe.model, progress: progress) }
    }

    /// The result of `body` labelled `label`, also as an interrupted run's partial result.
    private func labelled(_ label: String, _ body: () throws -> CalibrationResult) throws -> CalibrationResult {
        do {
            var result = try body()
            result.label = label
            return result
        } catch let error as InterruptedError {
            guard var partial = error.partialResult as? CalibrationResult else { throw error }
            partial.label = label
            throw error.keeping(partial)
        }
    }
}
