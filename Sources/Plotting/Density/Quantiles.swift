/// Sample quantiles and the summaries shown over marginal histograms.
public enum Quantiles {
    /// The `p`-quantile of sorted values by linear interpolation between order statistics
    /// (type 7 of Hyndman and Fan, 1996, the default of R and NumPy).
    /// - Parameters:
    ///   - sorted: Values in increasing order, without NaN, `[count]`.
    ///   - p: The probability, 0–1.
    /// - Returns: The quantile; NaN for an empty array.
    public static func quantile(ofSorted sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = min(max(p, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let t = position - Double(lower)
        return sorted[lower] + t * (sorted[upper] - sorted[lower])
    }

    /// The median and the equal-tailed credible interval of `values`.
    /// - Parameters:
    ///   - values: Samples, `[count]`; NaN values are ignored.
    ///   - level: The interval's probability, e.g. 0.9 for the 5 %–95 % interval.
    /// - Returns: `(median, lower, upper)`; NaN when no finite value is given.
    public static func medianAndInterval(of values: [Double], level: Double) -> (median: Double, lower: Double, upper: Double) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        let tail = (1 - level) / 2
        return (
            quantile(ofSorted: sorted, 0.5), quantile(ofSorted: sorted, tail),
            quantile(ofSorted: sorted, 1 - tail)
        )
    }
}
