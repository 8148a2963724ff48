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
        return try run(posterior, model: model, progress: progress)
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
        return try run(try gnpe.posterior, model: gnpe.model, progress: progress)
    }
}
