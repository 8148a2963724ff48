import Inference
import Plotting

extension CalibrationResult {
    /// The P–P plot of the calibration: per parameter, the fraction of test cases whose
    /// posterior CDF at the truth (``CalibrationResult/cumulativeProbabilities``) is at most each
    /// credibility level, against the level, with the band a calibrated posterior stays in.
    /// - Parameters:
    ///   - title: A title (default "<label> calibration", e.g. "NPE calibration", or
    ///     "Simulation-based calibration" without a ``CalibrationResult/label``).
    ///   - confidence: The band's probability (default 0.95).
    /// - Returns: The plot; `display(...)` it or end a cell with it.
    /// - Throws: ``PlottingError`` for a result without test cases or a confidence outside (0, 1).
    public func plot(title: String? = nil, confidence: Double = 0.95) throws -> CoveragePlot {
        try CoveragePlot(quantiles: cumulativeProbabilities, parameterNames: parameterNames, confidence: confidence,
                         title: title ?? defaultTitle)
    }

    /// "<label> calibration · N cases", or "Simulation-based calibration · N cases".
    var defaultTitle: String {
        (label.map { "\($0) calibration" } ?? "Simulation-based calibration") + " · \(caseCount) cases"
    }

    /// The expected coverage of highest-density regions as a P–P plot: the fraction of test
    /// cases whose truth lies inside the posterior's highest-density region of each level
    /// (below the diagonal: over-confident; above: under-confident).
    /// - Parameters:
    ///   - title: A title (default "Expected coverage of highest-density regions", after the label).
    ///   - confidence: The band's probability (default 0.95).
    /// - Returns: The plot.
    /// - Throws: ``CalibrationError/densityUnavailable(_:)`` for a posterior without a density
    ///   (GNPE); ``PlottingError`` for a result without test cases.
    public func expectedCoveragePlot(title: String? = nil, confidence: Double = 0.95) throws -> CoveragePlot {
        guard let levels = highestDensityLevels else {
            throw CalibrationError.densityUnavailable(
                "this calibration's posterior gave no density (GNPE gives samples only), so there are no "
                    + "highest-density regions; plot() shows the per-parameter P–P curves")
        }
        return try CoveragePlot(
            quantiles: levels.map { [$0] }, parameterNames: ["highest-density region"], confidence: confidence,
            title: title ?? (label.map { "\($0): " } ?? "") + "expected coverage of highest-density regions")
    }
}

extension CalibrationResult: RichDisplayable {
    /// The P–P plot's SVG, and as text the summary with each parameter's p-value (for a result
    /// without test cases, the summary alone).
    public var mimeBundle: [String: String] {
        guard let plot = try? plot() else { return ["text/plain": description] }
        return ["image/svg+xml": plot.svg, "text/plain": description]
    }
}
