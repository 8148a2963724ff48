import Inference
import Plotting

extension GibbsDiagnostics {
    /// The drift of the Gibbs chains' pose proxies as a ``DriftPlot``: one series per pose
    /// parameter (the KS statistic between successive iterations' proxies), with the settling
    /// threshold as the tolerance line. Point 1 is the change from iteration 1 to iteration 2.
    /// - Parameter title: A title (default "GNPE Gibbs convergence").
    /// - Returns: The plot; `display(...)` it or end a cell with it.
    /// - Throws: ``PlottingError/emptyData(_:)`` for a single-iteration run (no drift recorded).
    public func driftPlot(title: String? = "GNPE Gibbs convergence") throws -> DriftPlot {
        let series = poseNames.indices.map { j in DriftPlot.Series(poseNames[j], values: driftSeries(j)) }
        return try DriftPlot(series: series, tolerance: threshold, driftLabel: "KS statistic of the proxies", title: title)
    }
}
