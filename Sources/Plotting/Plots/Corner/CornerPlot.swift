/// A corner (pair) plot of posterior samples: 1-D marginal histograms on the diagonal and 2-D
/// densities below it, with contours at credible levels.
///
/// The 2-D panels bin the samples (they never draw points, so size and render time do not grow
/// with the number of samples), smooth the 2-D histogram with a Gaussian, and draw the
/// highest-density regions holding the ``credibleLevels`` of the mass (68 % and 95 % by default),
/// as in corner.py (Foreman-Mackey, JOSS 2016). Several sample sets (e.g. GNPE, NPE and a
/// reference sampler) are overlaid in distinct palette colours with a legend. Each marginal
/// shows the median and an equal-tailed credible interval, also written above the panel.
///
/// ```swift
/// let plot = try CornerPlot(
///     sets: [.init("GNPE", samples: gnpeSamples), .init("NPE", samples: npeSamples)],
///     parameters: [.init("m₁", unit: "M☉", truth: 36), .init("m₂", unit: "M☉", truth: 29)])
/// try plot.save(to: "corner.svg")
/// ```
public struct CornerPlot: Plot {
    /// One parameter (one row and column of the plot).
    public struct Parameter: Equatable, Sendable {
        /// The parameter's name.
        public var name: String
        /// Its unit, shown in brackets after the name; `nil` for none.
        public var unit: String?
        /// The plotted range (e.g. the prior's support); `nil` to take it from the samples.
        public var range: ClosedRange<Double>?
        /// The true value, marked with a line; `nil` for none.
        public var truth: Double?
        /// The period of a periodic parameter (a phase, a polarisation angle, a right
        /// ascension), or `nil`. A periodic parameter is plotted over one period: samples and
        /// the truth are wrapped onto the range, histograms and 2-D densities wrap across its
        /// ends, and the median and interval are taken on the circle (cut where the samples are
        /// sparsest), so a posterior across the ends is summarised as one peak.
        public var period: Double?

        /// Creates a parameter description.
        /// - Parameters:
        ///   - name: The name.
        ///   - unit: The unit, or `nil`.
        ///   - range: The plotted range (the prior's support, say), or `nil` to use the data
        ///     (for a periodic parameter: `0...period`).
        ///   - truth: The true value, or `nil`.
        ///   - period: The period of a periodic parameter, or `nil`; a given `range` must be one
        ///     period wide.
        public init(
            _ name: String, unit: String? = nil, range: ClosedRange<Double>? = nil, truth: Double? = nil,
            period: Double? = nil
        ) {
            self.name = name
            self.unit = unit
            self.range = range
            self.truth = truth
            self.period = period
        }

        /// Whether the parameter is periodic (has a ``period``).
        public var isPeriodic: Bool { period != nil }

        /// The axis label: `name [unit]`.
        public var axisLabel: String {
            guard let unit, !unit.isEmpty else { return name }
            return "\(name) [\(unit)]"
        }
    }

    /// One set of samples drawn in one colour.
    public struct SampleSet: Sendable {
        /// The legend name.
        public var name: String
        /// The samples, `[count, parameters]`.
        public var samples: [[Double]]
        /// The colour; `nil` for the theme's next palette colour.
        public var color: Color?

        /// Creates a sample set.
        /// - Parameters:
        ///   - name: The legend name.
        ///   - samples: The samples, `[count, parameters]`.
        ///   - color: A colour, or `nil` for the theme's palette.
        public init(_ name: String, samples: [[Double]], color: Color? = nil) {
            self.name = name
            self.samples = samples
            self.color = color
        }
    }

    /// How the 2-D densities are shaded.
    public enum Shading: Equatable, Sendable {
        /// Density shading for a single set; filled credible regions when several sets overlap.
        case automatic
        /// Shade the smoothed density in several steps, with credible contours as lines.
        case density
        /// Fill the credible regions (nested, semi-transparent) with their contours.
        case credibleRegions
    }

    /// The median and credible interval of one parameter in one set.
    ///
    /// For a periodic parameter the median lies in the plotted range and the interval is
    /// continuous around it, so `lower` or `upper` may lie outside the range by less than a
    /// period (the interval wraps).
    public struct Summary: Equatable, Sendable {
        /// The median.
        public var median: Double
        /// The lower end of the equal-tailed interval.
        public var lower: Double
        /// The upper end of the equal-tailed interval.
        public var upper: Double
    }

    /// The parameters, in plot order.
    public let parameters: [Parameter]
    /// The sample sets, drawn in order (later sets on top).
    public let sets: [SampleSet]
    /// The plot title, or `nil`.
    public let title: String?
    /// Probability masses enclosed by the 2-D contours, each in (0, 1).
    public let credibleLevels: [Double]
    /// The probability of the interval drawn over each marginal (0.9: 5 %–95 %).
    public let intervalLevel: Double
    /// Bins along each axis, for the 1-D and 2-D histograms.
    public let bins: Int
    /// The Gaussian smoothing of the 2-D histograms, in bins (0: none).
    public let smoothing: Double
    /// How 2-D densities are shaded.
    public let shading: Shading
    /// Colours and fonts.
    public let theme: Theme
    /// The side of one panel in pixels.
    public let panelSize: Double
    /// The plotted range of each parameter (given, or from the samples), `[parameters]`.
    public let ranges: [ClosedRange<Double>]
    /// Median and interval per set and parameter, `[sets, parameters]`.
    public let summaries: [[Summary]]
    /// The histogram bin of every sample, `[sets, parameters, count]` (−1 outside the range).
    let binIndices: [[[Int32]]]

    /// Creates a corner plot of one or more sample sets.
    /// - Parameters:
    ///   - sets: The sample sets, each `[count, parameters]`.
    ///   - parameters: One description per parameter (name, unit, range, truth).
    ///   - title: A title, or `nil`.
    ///   - credibleLevels: Masses enclosed by the contours (default 68 % and 95 %).
    ///   - intervalLevel: Probability of the marginal intervals (default 0.9).
    ///   - bins: Histogram bins per axis, 5–400 (default 40).
    ///   - smoothing: Gaussian smoothing of the 2-D histograms in bins, 0–10 (default 1).
    ///   - shading: How 2-D densities are shaded.
    ///   - theme: ``Theme/light`` or ``Theme/dark``, or your own.
    ///   - panelSize: Panel side in pixels, 40–600 (default 120).
    /// - Throws: ``PlottingError`` when there are no sets or parameters, a set is empty, a sample
    ///   has the wrong number of values, or an option is out of range.
    /// - Complexity: O(sets × count × parameters × log count) for the summaries; drawing adds
    ///   O(sets × count × parameters²) for the 2-D histograms.
    public init(
        sets: [SampleSet], parameters: [Parameter], title: String? = nil,
        credibleLevels: [Double] = [0.68, 0.95], intervalLevel: Double = 0.9, bins: Int = 40,
        smoothing: Double = 1, shading: Shading = .automatic, theme: Theme = .default,
        panelSize: Double = 120
    ) throws {
        guard !parameters.isEmpty else { throw PlottingError.emptyData("a corner plot needs at least one parameter") }
        guard parameters.count <= 40 else {
            throw PlottingError.invalidOption("a corner plot shows at most 40 parameters, got \(parameters.count)")
        }
        guard !sets.isEmpty else { throw PlottingError.emptyData("a corner plot needs at least one sample set") }
        for set in sets {
            guard !set.samples.isEmpty else {
                throw PlottingError.emptyData("sample set '\(set.name)' has no samples")
            }
            for (index, sample) in set.samples.enumerated() where sample.count != parameters.count {
                throw PlottingError.shapeMismatch(
                    "sample \(index) of set '\(set.name)' has \(sample.count) values, expected \(parameters.count) (one per parameter)"
                )
            }
        }
        for level in credibleLevels where !(level > 0 && level < 1) {
            throw PlottingError.invalidOption("credible levels must lie strictly between 0 and 1, got \(level)")
        }
        guard intervalLevel > 0 && intervalLevel < 1 else {
            throw PlottingError.invalidOption(
                "the interval level must lie strictly between 0 and 1, got \(intervalLevel)")
        }
        guard (5...400).contains(bins) else { throw PlottingError.invalidOption("bins must be 5–400, got \(bins)") }
        guard smoothing >= 0 && smoothing <= 10 else {
            throw PlottingError.invalidOption("smoothing must be 0–10 bins, got \(smoothing)")
        }
        guard panelSize >= 40 && panelSize <= 600 else {
            throw PlottingError.invalidOption("panel size must be 40–600 pixels, got \(panelSize)")
        }
        for parameter in parameters {
            if let range = parameter.range,
                !(range.lowerBound.isFinite && range.upperBound.isFinite && range.upperBound > range.lowerBound)
            {
                throw PlottingError.invalidOption(
                    "the range of '\(parameter.name)' must be finite with positive width, got \(range)")
            }
            if let period = parameter.period {
                guard period.isFinite, period > 0 else {
                    throw PlottingError.invalidOption(
                        "the period of '\(parameter.name)' must be finite and positive, got \(period)")
                }
                if let range = parameter.range,
                    abs((range.upperBound - range.lowerBound) - period) > 1e-9 * max(period, 1)
                {
                    throw PlottingError.invalidOption(
                        "the range of periodic '\(parameter.name)' must be one period (\(period)) wide, got \(range)")
                }
            }
        }
        self.parameters = parameters
        self.sets = sets
        self.title = title
        self.credibleLevels = credibleLevels.sorted(by: >)
        self.intervalLevel = intervalLevel
        self.bins = bins
        self.smoothing = smoothing
        self.shading = shading
        self.theme = theme
        self.panelSize = panelSize

        // Columns of finite values (one pass per set), then summaries and data ranges.
        var summaries: [[Summary]] = []
        var dataLower = [Double](repeating: .infinity, count: parameters.count)
        var dataUpper = [Double](repeating: -.infinity, count: parameters.count)
        let tail = (1 - intervalLevel) / 2
        var allColumns: [[[Double]]] = []
        for set in sets {
            var columns = Self.columns(of: set.samples, parameterCount: parameters.count)
            for p in parameters.indices {
                guard let period = parameters[p].period else { continue }
                let low = parameters[p].range?.lowerBound ?? 0
                columns[p] = columns[p].map { Self.wrapped($0, low: low, period: period) }
            }
            allColumns.append(columns)
            var row: [Summary] = []
            for p in parameters.indices {
                let finite = columns[p].contains { !$0.isFinite } ? columns[p].filter { $0.isFinite } : columns[p]
                if let period = parameters[p].period {
                    let low = parameters[p].range?.lowerBound ?? 0
                    row.append(Self.circularSummary(of: finite, low: low, period: period, tail: tail, bins: bins))
                    continue
                }
                let q = Quantiles.quantiles(of: finite, at: [0.5, tail, 1 - tail, 0.0005, 0.9995])
                row.append(Summary(median: q[0], lower: q[1], upper: q[2]))
                if !finite.isEmpty {
                    dataLower[p] = min(dataLower[p], q[3])
                    dataUpper[p] = max(dataUpper[p], q[4])
                }
            }
            summaries.append(row)
        }
        self.summaries = summaries
        ranges = parameters.indices.map { p -> ClosedRange<Double> in
            if let range = parameters[p].range { return range }
            if let period = parameters[p].period { return 0...period }
            var lower = dataLower[p]
            var upper = dataUpper[p]
            if let truth = parameters[p].truth, truth.isFinite {
                lower = min(lower, truth)
                upper = max(upper, truth)
            }
            guard lower.isFinite, upper.isFinite else { return 0...1 }
            if upper <= lower {
                let pad = max(abs(lower) * 0.05, 0.5)
                return (lower - pad)...(upper + pad)
            }
            // Halves keep the width finite for values near ±Double.greatestFiniteMagnitude.
            let pad = (upper / 2 - lower / 2) * 0.1
            return max(lower - pad, -Double.greatestFiniteMagnitude)...min(upper + pad, Double.greatestFiniteMagnitude)
        }
        let ranges = self.ranges
        binIndices = allColumns.map { columns in
            columns.indices.map { p in Histogram.binIndices(of: columns[p], range: ranges[p], bins: bins) }
        }
    }

    /// `value` wrapped onto `[low, low + period)` (non-finite values unchanged).
    static func wrapped(_ value: Double, low: Double, period: Double) -> Double {
        guard value.isFinite, value < low || value >= low + period else { return value }
        let r = value - period * ((value - low) / period).rounded(.down)
        return r >= low + period || r < low ? low : r
    }

    /// The median and equal-tailed interval of values on a circle of `period` starting at
    /// `low`: the circle is cut in the middle of its emptiest histogram bin, the values are
    /// unrolled from there, and the median is wrapped back onto the range (the interval stays
    /// continuous around it).
    static func circularSummary(of values: [Double], low: Double, period: Double, tail: Double, bins: Int) -> Summary {
        guard !values.isEmpty else { return Summary(median: .nan, lower: .nan, upper: .nan) }
        let indices = Histogram.binIndices(of: values, range: low...(low + period), bins: bins)
        var counts = [Int](repeating: 0, count: bins)
        for index in indices where index >= 0 { counts[Int(index)] += 1 }
        let emptiest = counts.indices.min { counts[$0] < counts[$1] } ?? 0
        let cut = low + (Double(emptiest) + 0.5) * period / Double(bins)
        let unrolled = values.map { $0 < cut ? $0 + period : $0 }
        let q = Quantiles.quantiles(of: unrolled, at: [0.5, tail, 1 - tail])
        let median = wrapped(q[0], low: low, period: period)
        return Summary(median: median, lower: median - (q[0] - q[1]), upper: median + (q[2] - q[0]))
    }

    /// The samples as columns, `[parameters, count]`.
    private static func columns(of samples: [[Double]], parameterCount: Int) -> [[Double]] {
        var columns = [[Double]](repeating: [], count: parameterCount)
        for p in 0..<parameterCount { columns[p].reserveCapacity(samples.count) }
        for sample in samples {
            sample.withUnsafeBufferPointer { values in
                for p in 0..<parameterCount { columns[p].append(values[p]) }
            }
        }
        return columns
    }

    /// Creates a corner plot of one sample set.
    /// - Parameters:
    ///   - samples: The samples, `[count, parameters]`.
    ///   - labels: One name per parameter.
    ///   - truths: The true values, `[parameters]`, or `nil`.
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    /// - Throws: ``PlottingError`` as ``init(sets:parameters:title:credibleLevels:intervalLevel:bins:smoothing:shading:theme:panelSize:)``,
    ///   and when `truths` has the wrong length.
    public init(
        samples: [[Double]], labels: [String], truths: [Double]? = nil, title: String? = nil, theme: Theme = .default
    ) throws {
        if let truths, truths.count != labels.count {
            throw PlottingError.shapeMismatch("\(truths.count) truths for \(labels.count) parameters")
        }
        let parameters = labels.enumerated().map { index, label in
            Parameter(label, truth: truths?[index])
        }
        try self.init(
            sets: [SampleSet("samples", samples: samples)], parameters: parameters, title: title, theme: theme)
    }

    /// The colour of set `index`.
    public func color(ofSet index: Int) -> Color {
        sets[index].color ?? theme.color(at: index)
    }

    /// The drawing size in pixels.
    public var size: Size {
        let layout = CornerLayout(plot: self)
        return layout.size
    }
}
