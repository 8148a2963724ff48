/// Diagnostics of importance-sampling weights: the distribution of the normalised weights and
/// the share of the total weight carried by the largest ones, with the effective sample size and
/// the sample efficiency of each set.
///
/// The left panel is the histogram of log₁₀(n·wᵢ) for normalised weights wᵢ (Σwᵢ = 1) of n
/// samples: equal weights sit at 0, a good proposal gives a narrow peak round 0, a poor one a
/// long tail to the left and a few samples far to the right (the diagnostic of DINGO-IS, Dax et
/// al., PRL 130, 171403, 2023). The right panel is the share of the total weight held by the
/// largest k weights against k/n (log scale); for equal weights it is the dashed diagonal, for a
/// collapsed proposal it jumps to 1 within the first few samples. Effective sample size
/// ESS = 1/Σwᵢ² and efficiency ESS/n (Kish 1965) are in the legend.
///
/// Inputs are plain log weights, for instance the `logWeights` of the library's importance
/// sampling result (`import GNPE` adds `result.weightPlot()`).
///
/// ```swift
/// let plot = try ImportanceWeightPlot(sets: [.init("NPE", logWeights: npe.logWeights),
///                                            .init("GNPE", logWeights: gnpe.logWeights)])
/// plot.sampleEfficiencies      // [0.012, 0.14]
/// ```
public struct ImportanceWeightPlot: Plot {
    /// The log weights of one importance-sampling run.
    public struct WeightSet: Sendable {
        /// The legend name.
        public var name: String
        /// Unnormalised log weights log wᵢ, `[n]`; −∞ for a zero weight.
        public var logWeights: [Double]
        /// The colour; `nil` for the theme's next palette colour.
        public var color: Color?

        /// Creates a weight set.
        /// - Parameters:
        ///   - name: The legend name.
        ///   - logWeights: Unnormalised log weights, `[n]`; −∞ for a zero weight.
        ///   - color: A colour, or `nil` for the theme's palette.
        public init(_ name: String, logWeights: [Double], color: Color? = nil) {
            self.name = name
            self.logWeights = logWeights
            self.color = color
        }
    }

    /// The weight sets, drawn in order.
    public let sets: [WeightSet]
    /// The title, or `nil`.
    public let title: String?
    /// Bins of the histogram.
    public let bins: Int
    /// Colours and fonts.
    public let theme: Theme
    /// The drawing size.
    public let size: Size
    /// The effective sample size (Σwᵢ)²/Σwᵢ² of each set, `[sets]`.
    public let effectiveSampleSizes: [Double]
    /// ESS / n of each set, in (0, 1], `[sets]`.
    public let sampleEfficiencies: [Double]
    /// The number of zero weights (log weight −∞) in each set, `[sets]`.
    public let zeroWeightCounts: [Int]
    /// Each set's normalised weights in decreasing order, `[sets, n]`.
    let sortedWeights: [[Double]]

    /// Creates the diagnostics of one or more sets of log weights.
    /// - Parameters:
    ///   - sets: The weight sets, each with `[n]` log weights.
    ///   - title: A title, or `nil`.
    ///   - bins: Histogram bins, 5–400 (default 40).
    ///   - theme: The theme.
    ///   - size: The drawing size (default 900 × 340; the legend takes the right-hand side).
    /// - Throws: ``PlottingError`` when there are no sets, a set is empty or has only zero
    ///   weights, a log weight is NaN or +∞ (named by set and index), or an option is out of
    ///   range.
    /// - Complexity: O(n log n) per set (the weights are sorted).
    public init(
        sets: [WeightSet], title: String? = nil, bins: Int = 40, theme: Theme = .default,
        size: Size = Size(width: 900, height: 340)
    ) throws {
        guard !sets.isEmpty else {
            throw PlottingError.emptyData("a weight plot needs at least one set of log weights")
        }
        for set in sets {
            guard !set.logWeights.isEmpty else {
                throw PlottingError.emptyData("weight set '\(set.name)' has no weights")
            }
            if let i = set.logWeights.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
                throw PlottingError.invalidOption(
                    "log weight \(i) of set '\(set.name)' is \(set.logWeights[i]); log weights must be finite or −∞")
            }
            guard set.logWeights.contains(where: { $0 > -.infinity }) else {
                throw PlottingError.emptyData("every weight of set '\(set.name)' is zero (all log weights are −∞)")
            }
        }
        guard (5...400).contains(bins) else { throw PlottingError.invalidOption("bins must be 5–400, got \(bins)") }
        try size.validate(minimum: Size(width: 480, height: 200), for: "weight plot")
        self.sets = sets
        self.title = title
        self.bins = bins
        self.theme = theme
        self.size = size
        var sorted: [[Double]] = []
        var ess: [Double] = []
        var efficiency: [Double] = []
        var zeros: [Int] = []
        for set in sets {
            let largest = set.logWeights.max() ?? 0
            var sum = 0.0
            for value in set.logWeights { sum += exp(value - largest) }
            let logTotal = largest + log(sum)
            let weights = set.logWeights.map { exp($0 - logTotal) }
            let squares = weights.reduce(0) { $0 + $1 * $1 }
            ess.append(1 / squares)
            efficiency.append(min(1, 1 / squares / Double(weights.count)))
            zeros.append(set.logWeights.filter { $0 == -.infinity }.count)
            sorted.append(weights.sorted(by: >))
        }
        sortedWeights = sorted
        effectiveSampleSizes = ess
        sampleEfficiencies = efficiency
        zeroWeightCounts = zeros
    }

    /// Creates the diagnostics of one set of log weights.
    /// - Parameters:
    ///   - logWeights: Unnormalised log weights, `[n]`.
    ///   - name: The legend name (default "weights").
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    /// - Throws: ``PlottingError`` as ``init(sets:title:bins:theme:size:)``.
    public init(logWeights: [Double], name: String = "weights", title: String? = nil, theme: Theme = .default) throws {
        try self.init(sets: [WeightSet(name, logWeights: logWeights)], title: title, theme: theme)
    }

    /// The share of the total weight carried by the largest `fraction` of set `s`'s samples
    /// (at least one sample).
    /// - Parameters:
    ///   - fraction: A fraction of the samples, in [0, 1].
    ///   - s: The set index (default 0).
    /// - Returns: A share in [0, 1] (NaN for a set index out of range).
    public func shareOfWeight(inLargest fraction: Double, set s: Int = 0) -> Double {
        guard sets.indices.contains(s), !fraction.isNaN else { return .nan }
        let weights = sortedWeights[s]
        let k = min(weights.count, max(1, Int((min(max(fraction, 0), 1) * Double(weights.count)).rounded(.up))))
        return min(1, weights.prefix(k).reduce(0, +))
    }

    /// The colour of set `index`.
    /// - Parameter index: The set index.
    /// - Returns: The set's colour or the theme's palette colour.
    public func color(ofSet index: Int) -> Color {
        sets[index].color ?? theme.color(at: index)
    }

    /// "NPE: ESS 123 of 10000 (1.2%)".
    func summary(set s: Int) -> String {
        let n = sets[s].logWeights.count
        return sets[s].name + ": ESS " + NumberFormatting.significant(effectiveSampleSizes[s], digits: 3) + " of \(n) ("
            + NumberFormatting.significant(sampleEfficiencies[s] * 100, digits: 3) + "%)"
    }

    /// A summary: per set, n, ESS, efficiency, zero weights and the weight in the largest 1 %.
    public var textDescription: String {
        var lines = [
            "Importance-weight diagnostics" + (title.map { " '\($0)'" } ?? "") + " of \(sets.count) set"
                + (sets.count == 1 ? "" : "s") + ":"
        ]
        for s in sets.indices {
            var line = "  " + summary(set: s) + "; the largest 1% of the samples carry "
            line += CornerPlot.percent(shareOfWeight(inLargest: 0.01, set: s)) + " of the weight"
            if zeroWeightCounts[s] > 0 { line += "; \(zeroWeightCounts[s]) zero weights" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Draws the histogram of log₁₀(n·w), the cumulative share of the largest weights, and the
    /// legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(
            size: size, background: theme.background, title: title ?? "Importance-weight diagnostics",
            description: textDescription)
        ChartFrame.drawTitle(title, size: size, theme: theme, into: &renderer)
        let whole = ChartFrame.panelFrame(size: size, hasTitle: title != nil, theme: theme, left: 64)
        let entries = legendEntries
        let legend = legendBoxSize(entries, theme: theme)
        let gap = 72.0
        let panelWidth = max(60, (whole.width - legend.width - 16 - gap) / 2)
        let left = Rect(x: whole.x, y: whole.y, width: panelWidth, height: whole.height)
        let right = Rect(x: whole.x + panelWidth + gap, y: whole.y, width: panelWidth, height: whole.height)
        drawHistogram(in: left, into: &renderer)
        drawCumulativeShare(in: right, into: &renderer)
        drawLegend(entries, topRight: Point(size.width - 14, whole.y), theme: theme, into: &renderer)
    }

    /// One line per set with its ESS and efficiency, and the equal-weight reference.
    var legendEntries: [LegendEntry] {
        var entries = sets.indices.map {
            LegendEntry(label: summary(set: $0), color: color(ofSet: $0), key: .line(dash: []))
        }
        entries.append(LegendEntry(label: "equal weights", color: theme.mutedForeground, key: .line(dash: [4, 3])))
        return entries
    }

    // MARK: - Panels

    private func drawHistogram<R: Renderer>(in frame: Rect, into renderer: inout R) {
        // log₁₀(n·w) of the positive weights; the range spans the bulk of every set.
        let values = sortedWeights.map { weights -> [Double] in
            let n = Double(weights.count)
            return weights.filter { $0 > 0 }.map { log10(n * $0) }.filter { $0.isFinite }
        }
        var low = Double.infinity
        var high = -Double.infinity
        for set in values where !set.isEmpty {
            let q = Quantiles.quantiles(of: set, at: [0.001, 1])
            low = min(low, q[0])
            high = max(high, q[1])
        }
        low = min(low, 0)
        high = max(high, 0)
        if !(low.isFinite && high.isFinite) || high - low < 1e-9 { (low, high) = (-1, 1) }
        let pad = (high - low) * 0.04
        let range = (low - pad)...(high + pad)
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        var content = ChartContent()
        var peak = 0.0
        for s in sets.indices {
            var counts = [Double](repeating: 0, count: bins)
            for value in values[s] {
                // Values below the range (the far tail) are counted in the first bin.
                let position = (value - range.lowerBound) / width
                let index = position.isFinite ? min(max(Int(max(position, 0)), 0), bins - 1) : 0
                counts[index] += 1
            }
            let fractions = counts.map { $0 / Double(sets[s].logWeights.count) }
            peak = max(peak, fractions.max() ?? 0)
            var xs = [range.lowerBound]
            var ys = [0.0]
            for (index, fraction) in fractions.enumerated() {
                xs.append(range.lowerBound + Double(index) * width)
                ys.append(fraction)
                xs.append(range.lowerBound + Double(index + 1) * width)
                ys.append(fraction)
            }
            xs.append(range.upperBound)
            ys.append(0)
            content.lines.append(.init(xs: xs, ys: ys, stroke: StrokeStyle(color: color(ofSet: s), width: 1.5)))
        }
        content.rules.append(
            .init(
                orientation: .vertical, value: 0,
                stroke: StrokeStyle(color: theme.mutedForeground, width: 1, dash: [4, 3])))
        let panel = AxisPanel(frame: frame, xDomain: range, yDomain: 0...(peak > 0 ? peak * 1.08 : 1))
        panel.drawGrid(theme: theme, into: &renderer)
        panel.drawContent(content, theme: theme, into: &renderer)
        panel.drawAxes(
            theme: theme, xLabel: "log₁₀(n·w)  (0: equal weights)", yLabel: "fraction of samples", into: &renderer)
    }

    private func drawCumulativeShare<R: Renderer>(in frame: Rect, into renderer: inout R) {
        let largest = sortedWeights.map(\.count).max() ?? 1
        let xDomain = (1 / Double(max(largest, 2)))...1.0
        var content = ChartContent()
        // About 300 log-spaced points per curve (the largest weights matter most).
        func positions(_ n: Int) -> [Int] {
            var ks: [Int] = []
            let steps = 300
            for j in 0...steps {
                let k = Int((pow(Double(n), Double(j) / Double(steps))).rounded())
                if k >= 1 && k <= n && ks.last != k { ks.append(k) }
            }
            if ks.last != n { ks.append(n) }
            return ks
        }
        let reference = positions(largest)
        content.lines.append(
            .init(
                xs: reference.map { Double($0) / Double(largest) }, ys: reference.map { Double($0) / Double(largest) },
                stroke: StrokeStyle(color: theme.mutedForeground, width: 1, dash: [4, 3])))
        for s in sets.indices {
            let weights = sortedWeights[s]
            var cumulative = [Double](repeating: 0, count: weights.count)
            var running = 0.0
            for (index, weight) in weights.enumerated() {
                running += weight
                cumulative[index] = min(running, 1)
            }
            let ks = positions(weights.count)
            content.lines.append(
                .init(
                    xs: ks.map { Double($0) / Double(weights.count) }, ys: ks.map { cumulative[$0 - 1] },
                    stroke: StrokeStyle(color: color(ofSet: s), width: 1.6)))
        }
        let panel = AxisPanel(frame: frame, xDomain: xDomain, yDomain: 0...1.02, xKind: .logarithmic)
        panel.drawGrid(theme: theme, into: &renderer)
        panel.drawContent(content, theme: theme, into: &renderer)
        panel.drawAxes(
            theme: theme, xLabel: "fraction of samples, largest weights first", yLabel: "share of the weight",
            into: &renderer)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
