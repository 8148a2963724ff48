import Inference

extension SimulationBasedCalibration {
    /// Calibrates a trained NPE with a live progress display of the test cases.
    ///
    /// ```swift
    /// let calibration = try SimulationBasedCalibration(testCases: 100, posteriorSamples: 200).runShowingProgress(npe)
    /// calibration            // a cell ending here shows the P–P plot
    /// ```
    /// - Parameters:
    ///   - npe: A trained estimator built with `NPE(model:)`.
    ///   - title: The display's title (default "NPE calibration · N test cases").
    /// - Returns: The calibration.
    /// - Throws: As `SimulationBasedCalibration.run(_:progress:)` with an NPE; the display is finished either way.
    public func runShowingProgress(_ npe: NPE, title: String? = nil) throws -> CalibrationResult {
        try showingProgress(title: title ?? "NPE calibration · \(testCaseCount) test cases") { progress in
            try run(npe, progress: progress)
        }
    }

    /// Calibrates a trained GNPE estimator with a live progress display of the test cases.
    /// - Parameters:
    ///   - gnpe: A trained estimator.
    ///   - title: The display's title (default "GNPE calibration · N test cases").
    /// - Returns: The calibration (ranks only: GNPE has no density).
    /// - Throws: As `SimulationBasedCalibration.run(_:progress:)` with a GNPE estimator; the display is finished either way.
    public func runShowingProgress(_ gnpe: GNPEEstimator, title: String? = nil) throws -> CalibrationResult {
        try showingProgress(title: title ?? "GNPE calibration · \(testCaseCount) test cases") { progress in
            try run(gnpe, progress: progress)
        }
    }

    /// Calibrates any posterior on test cases from a model with a live progress display.
    /// - Parameters:
    ///   - posterior: The posterior to check.
    ///   - model: The prior and simulator of the test cases.
    ///   - title: The display's title (default "Calibration · N test cases").
    /// - Returns: The calibration.
    /// - Throws: As ``SimulationBasedCalibration/run(_:model:progress:)``; the display is finished either way.
    public func runShowingProgress<Posterior: PosteriorSampling>(
        _ posterior: Posterior, model: SimulationModel, title: String? = nil
    ) throws -> CalibrationResult {
        try showingProgress(title: title ?? "Calibration · \(testCaseCount) test cases") { progress in
            try run(posterior, model: model, progress: progress)
        }
    }

    private func showingProgress(
        title: String, _ body: (@escaping @Sendable (Int, Int) -> Void) throws -> CalibrationResult
    ) throws -> CalibrationResult {
        let display = TaskProgressDisplay(title: title, total: testCaseCount, unit: "test cases")
        defer { display.finish() }
        return try body { completed, _ in display.update(completed: completed) }
    }
}
