import Inference
import Plotting

extension GibbsDiagnostics {
    /// The drift of the Gibbs chains' pose proxies as a ``DriftPlot``: one series per pose
    /// parameter (the KS statistic between successive iterations' proxies, Kuiper's for a
    /// periodic pose), with the settling threshold as the tolerance line. Point 1 is the change
    /// from iteration 1 to iteration 2.
    ///
    /// When periodic and non-periodic poses are mixed, the periodic series are scaled by
    /// ``threshold`` / ``circularThreshold`` so that one tolerance line serves both (the legend
    /// says so).
    /// - Parameter title: A title (default "GNPE Gibbs convergence").
    /// - Returns: The plot; `display(...)` it or end a cell with it.
    /// - Throws: ``PlottingError/emptyData(_:)`` for a single-iteration run (no drift recorded).
    public func driftPlot(title: String? = "GNPE Gibbs convergence") throws -> DriftPlot {
        let periodicPoses = poseNames.indices.map { periodic.indices.contains($0) && periodic[$0] }
        if periodicPoses.allSatisfy({ !$0 }) || periodicPoses.allSatisfy({ $0 }) {
            let circular = periodicPoses.first ?? false
            let series = poseNames.indices.map { j in DriftPlot.Series(poseNames[j], values: driftSeries(j)) }
            return try DriftPlot(series: series, tolerance: circular ? circularThreshold : threshold,
                                 driftLabel: circular ? "Kuiper statistic of the proxies" : "KS statistic of the proxies",
                                 title: title)
        }
        let scale = threshold / circularThreshold
        let series = poseNames.indices.map { j in
            periodicPoses[j]
                ? DriftPlot.Series("\(poseNames[j]) (Kuiper × \((scale * 1000).rounded() / 1000))", values: driftSeries(j).map { $0 * scale })
                : DriftPlot.Series(poseNames[j], values: driftSeries(j))
        }
        return try DriftPlot(series: series, tolerance: threshold, driftLabel: "KS statistic of the proxies", title: title)
    }
}
