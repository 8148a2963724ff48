import Inference
import Plotting

extension ImportanceSampling {
    /// The weight diagnostics of this run as an ``ImportanceWeightPlot``: the histogram of
    /// log₁₀(n·w) and the share of the weight carried by the largest weights, with the
    /// effective sample size and efficiency in the legend.
    ///
    /// ```swift
    /// try result.importanceSampling.weightPlot(name: "NPE")   // a cell ending here shows it
    /// ```
    /// - Parameters:
    ///   - name: The legend name (default "weights").
    ///   - title: A title, or `nil` (default "Importance weights").
    /// - Returns: The plot.
    /// - Throws: ``PlottingError`` as ``ImportanceWeightPlot/init(sets:title:bins:theme:size:)``
    ///   (not for the weights of a successful run, which always include a positive one).
    public func weightPlot(name: String = "weights", title: String? = "Importance weights") throws
        -> ImportanceWeightPlot
    {
        try ImportanceWeightPlot(sets: [.init(name, logWeights: logWeights)], title: title)
    }
}

extension GNPEImportanceSampling {
    /// The weight diagnostics of this run (see ``ImportanceSampling/weightPlot(name:title:)``).
    /// - Parameters:
    ///   - name: The legend name (default "GNPE").
    ///   - title: A title, or `nil` (default "Importance weights").
    /// - Returns: The plot.
    /// - Throws: ``PlottingError`` as ``ImportanceWeightPlot/init(sets:title:bins:theme:size:)``.
    public func weightPlot(name: String = "GNPE", title: String? = "Importance weights") throws -> ImportanceWeightPlot
    {
        try importanceSampling.weightPlot(name: name, title: title)
    }
}

extension ImportanceWeightPlot.WeightSet {
    /// The log weights of an importance-sampling run, to compare several in one plot:
    /// `ImportanceWeightPlot(sets: [.init("NPE", npe), .init("GNPE", gnpe.importanceSampling)])`.
    /// - Parameters:
    ///   - name: The legend name.
    ///   - result: The run.
    ///   - color: A colour, or `nil` for the theme's palette.
    public init(_ name: String, _ result: ImportanceSampling, color: Color? = nil) {
        self.init(name, logWeights: result.logWeights, color: color)
    }
}
