import Inference
import Plotting

extension JointPrior {
    /// One ``CornerPlot/Parameter`` per parameter, named as in the prior: periodic parameters are
    /// plotted over their full period (the prior's support) with their ``CornerPlot/Parameter/period``
    /// set, so that their histograms and densities wrap across the ends and samples a period
    /// outside are wrapped; the others are plotted over the samples' range.
    ///
    /// ```swift
    /// let samples = try prior.wrappingPeriodicParameters(of: draws)
    /// try CornerPlot(sets: [.init("prior", samples: samples.rowVectors)], parameters: prior.cornerParameters())
    /// ```
    /// - Parameters:
    ///   - labels: Axis names to use instead of the parameter names (`[dimension]`; missing or
    ///     extra entries are ignored).
    ///   - truths: True values to mark, `[dimension]`, or `nil`.
    /// - Returns: `[dimension]` corner-plot parameters.
    public func cornerParameters(labels: [String]? = nil, truths: [Double]? = nil) -> [CornerPlot.Parameter] {
        names.indices.map { j in
            let support = distributions[j].support
            return CornerPlot.Parameter(
                labels.flatMap { j < $0.count ? $0[j] : nil } ?? names[j],
                range: periodic[j] ? support : nil,
                truth: truths.flatMap { j < $0.count ? $0[j] : nil },
                period: period(ofParameterAt: j))
        }
    }
}
