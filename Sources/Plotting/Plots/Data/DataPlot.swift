/// Observed data with the posterior-predictive median and credible bands, one panel per channel
/// (for example one per detector), stacked with a shared x axis.
///
/// ```swift
/// let plot = try DataPlot(channels: [
///     .init("H1", observed: strainH1, median: medianH1,
///           bands: [.init(level: 0.9, lower: lowH1, upper: highH1)]),
///     .init("L1", observed: strainL1)],
///     x: times, xLabel: "time [s]")
/// ```
public struct DataPlot: Plot {
    /// A credible band of the posterior predictive.
    public struct Band: Equatable, Sendable {
        /// Its probability (e.g. 0.9).
        public var level: Double
        /// The lower edge, `[points]`.
        public var lower: [Double]
        /// The upper edge, `[points]`.
        public var upper: [Double]

        /// Creates a band.
        public init(level: Double, lower: [Double], upper: [Double]) {
            self.level = level
            self.lower = lower
            self.upper = upper
        }
    }

    /// One stacked panel.
    public struct Channel: Equatable, Sendable {
        /// The channel name (the panel's y label).
        public var name: String
        /// The observed series, `[points]`.
        public var observed: [Double]
        /// The posterior-predictive median, `[points]`, or `nil`.
        public var median: [Double]?
        /// Posterior-predictive bands (widest drawn first).
        public var bands: [Band]
        /// A reference series such as the injected signal, `[points]`, drawn dashed in the
        /// theme's reference colour, or `nil`.
        public var reference: [Double]?

        /// Creates a channel.
        /// - Parameters:
        ///   - name: The channel name.
        ///   - observed: The observed series, `[points]`.
        ///   - median: The predictive median, `[points]`, or `nil`.
        ///   - bands: Predictive bands, each `[points]`.
        ///   - reference: A reference series (e.g. the injected signal), `[points]`, or `nil`.
        public init(
            _ name: String, observed: [Double], median: [Double]? = nil, bands: [Band] = [],
            reference: [Double]? = nil
        ) {
            self.name = name
            self.observed = observed
            self.median = median
            self.bands = bands
            self.reference = reference
        }

        /// Creates a channel whose median and bands summarise predicted series, one per
        /// posterior sample (for instance the whitened signal of each sample in one detector).
        ///
        /// At every point the median and the equal-tailed intervals of the predictions are
        /// taken (NaN predictions ignored; a point without finite predictions is a gap).
        /// - Parameters:
        ///   - name: The channel name.
        ///   - observed: The observed series, `[points]`.
        ///   - predictions: Predicted series, `[samples, points]`.
        ///   - levels: Probabilities of the bands, each in (0, 1) (default 50 % and 90 %).
        ///   - reference: A reference series (e.g. the injected signal), `[points]`, or `nil`.
        /// - Throws: ``PlottingError`` for no predictions, a prediction or reference whose
        ///   length differs from `observed` (named by index), or a level outside (0, 1).
        /// - Complexity: O(samples × points) (quantiles by bucket selection at each point).
        public init(
            _ name: String, observed: [Double], predictions: [[Double]], levels: [Double] = [0.5, 0.9],
            reference: [Double]? = nil
        ) throws {
            guard !predictions.isEmpty else {
                throw PlottingError.emptyData("channel '\(name)' has no predicted series")
            }
            let count = observed.count
            for (index, series) in predictions.enumerated() where series.count != count {
                throw PlottingError.shapeMismatch(
                    "predicted series \(index) of channel '\(name)' has \(series.count) points, expected \(count) (as observed)")
            }
            if let reference, reference.count != count {
                throw PlottingError.shapeMismatch(
                    "the reference of channel '\(name)' has \(reference.count) points, expected \(count)")
            }
            for level in levels where !(level > 0 && level < 1) {
                throw PlottingError.invalidOption("band levels must lie strictly between 0 and 1, got \(level)")
            }
            let sortedLevels = levels.sorted()
            var probabilities = [0.5]
            for level in sortedLevels { probabilities += [(1 - level) / 2, (1 + level) / 2] }
            var median = [Double](repeating: .nan, count: count)
            var lower = [[Double]](repeating: [Double](repeating: .nan, count: count), count: sortedLevels.count)
            var upper = lower
            var column = [Double](repeating: 0, count: predictions.count)
            for t in 0..<count {
                for s in predictions.indices { column[s] = predictions[s][t] }
                let finite = column.filter { $0.isFinite }
                guard !finite.isEmpty else { continue }
                let q = Quantiles.quantiles(of: finite, at: probabilities)
                median[t] = q[0]
                for k in sortedLevels.indices {
                    lower[k][t] = q[1 + 2 * k]
                    upper[k][t] = q[2 + 2 * k]
                }
            }
            self.init(
                name, observed: observed, median: median,
                bands: sortedLevels.indices.map { Band(level: sortedLevels[$0], lower: lower[$0], upper: upper[$0]) },
                reference: reference)
        }
    }

    /// The channels, top to bottom.
    public let channels: [Channel]
    /// The shared x values, `[points]`.
    public let x: [Double]
    /// The x-axis label.
    public let xLabel: String
    /// The title, or `nil`.
    public let title: String?
    /// The legend's label for the channels' ``Channel/median`` lines (default "predictive
    /// median"; e.g. "whitened signal" when the line is a model rather than a posterior summary).
    public let medianLabel: String
    /// The legend's label for the channels' ``Channel/reference`` lines (default "injected
    /// signal").
    public let referenceLabel: String
    /// Colours and fonts.
    public let theme: Theme
    /// The width in pixels.
    public let width: Double
    /// The height of each channel's panel in pixels.
    public let channelHeight: Double

    /// Creates a data plot.
    /// - Parameters:
    ///   - channels: One or more channels, all with the same number of points.
    ///   - x: The shared x values, `[points]`, increasing; `nil` for 0, 1, 2, ….
    ///   - xLabel: The x-axis label.
    ///   - title: A title, or `nil`.
    ///   - medianLabel: The legend's label for the median lines (default "predictive median").
    ///   - referenceLabel: The legend's label for the reference lines (default "injected signal").
    ///   - theme: The theme.
    ///   - width: The width in pixels (default 720).
    ///   - channelHeight: The height of each panel (default 150).
    /// - Throws: ``PlottingError`` for no channels, an empty channel, series whose lengths
    ///   differ from `x`, or a NaN or ±∞ in `x` (named by index; NaN in the series is drawn as a gap).
    public init(
        channels: [Channel], x: [Double]? = nil, xLabel: String = "time", title: String? = nil,
        medianLabel: String = "predictive median", referenceLabel: String = "injected signal",
        theme: Theme = .default, width: Double = 720, channelHeight: Double = 150
    ) throws {
        guard !channels.isEmpty else { throw PlottingError.emptyData("a data plot needs at least one channel") }
        let count = x?.count ?? channels[0].observed.count
        guard count > 0 else { throw PlottingError.emptyData("channel '\(channels[0].name)' has no points") }
        for channel in channels {
            guard channel.observed.count == count else {
                throw PlottingError.shapeMismatch(
                    "channel '\(channel.name)' has \(channel.observed.count) observed points, expected \(count)")
            }
            if let median = channel.median, median.count != count {
                throw PlottingError.shapeMismatch(
                    "the median of channel '\(channel.name)' has \(median.count) points, expected \(count)")
            }
            if let reference = channel.reference, reference.count != count {
                throw PlottingError.shapeMismatch(
                    "the reference of channel '\(channel.name)' has \(reference.count) points, expected \(count)")
            }
            for band in channel.bands where band.lower.count != count || band.upper.count != count {
                throw PlottingError.shapeMismatch(
                    "the \(CornerPlot.percent(band.level)) band of channel '\(channel.name)' has \(band.lower.count)/\(band.upper.count) points, expected \(count)"
                )
            }
        }
        guard width >= 200, channelHeight >= 50, width <= 20_000, channelHeight <= 20_000 else {
            throw PlottingError.invalidOption(
                "a data plot needs a width of at least 200 and panels of at least 50 pixels")
        }
        self.channels = channels
        if let x, let bad = x.firstIndex(where: { !$0.isFinite }) {
            throw PlottingError.invalidOption("x[\(bad)] is \(x[bad]); the x values must be finite")
        }
        self.x = x ?? (0..<count).map(Double.init)
        self.xLabel = xLabel
        self.title = title
        self.medianLabel = medianLabel
        self.referenceLabel = referenceLabel
        self.theme = theme
        self.width = width
        self.channelHeight = channelHeight
    }

    /// Creates a posterior-predictive plot of several channels (e.g. the whitened strain of each
    /// detector) from predicted series, one per posterior sample: each panel shows the data,
    /// the predictions' median and 50 %/90 % bands, and optionally the injected signal.
    ///
    /// ```swift
    /// // times [n]; data [detectors][n]; whitened signals of posterior samples [detectors][samples][n]
    /// try DataPlot(x: times, observed: data, predictions: signals, channelNames: ["H1", "L1", "V1"],
    ///              injected: injectedSignals, xLabel: "time [s]", title: "Whitened strain")
    /// ```
    /// - Parameters:
    ///   - x: The shared x values (times), `[points]`, finite.
    ///   - observed: The data, `[channels, points]`.
    ///   - predictions: Predicted series, `[channels, samples, points]`.
    ///   - channelNames: One name per channel.
    ///   - levels: Probabilities of the bands (default 50 % and 90 %).
    ///   - injected: The true (injected) series, `[channels, points]`, or `nil`.
    ///   - xLabel: The x-axis label.
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    ///   - width: The width in pixels.
    ///   - channelHeight: The height of each panel.
    /// - Throws: ``PlottingError`` when the numbers of channels, names, predictions or injected
    ///   series differ, for the reasons of ``Channel/init(_:observed:predictions:levels:reference:)``,
    ///   and those of ``init(channels:x:xLabel:title:medianLabel:referenceLabel:theme:width:channelHeight:)``.
    public init(
        x: [Double], observed: [[Double]], predictions: [[[Double]]], channelNames: [String],
        levels: [Double] = [0.5, 0.9], injected: [[Double]]? = nil, xLabel: String = "time", title: String? = nil,
        theme: Theme = .default, width: Double = 720, channelHeight: Double = 150
    ) throws {
        guard observed.count == channelNames.count, predictions.count == channelNames.count else {
            throw PlottingError.shapeMismatch(
                "\(channelNames.count) channel names, \(observed.count) observed series and \(predictions.count) sets of predictions; one each per channel"
            )
        }
        if let injected, injected.count != channelNames.count {
            throw PlottingError.shapeMismatch(
                "\(injected.count) injected series for \(channelNames.count) channels")
        }
        let channels = try channelNames.indices.map { k in
            try Channel(
                channelNames[k], observed: observed[k], predictions: predictions[k], levels: levels,
                reference: injected?[k])
        }
        try self.init(
            channels: channels, x: x, xLabel: xLabel, title: title, theme: theme, width: width,
            channelHeight: channelHeight)
    }

    private var top: Double { title == nil ? 14 : theme.fontSize * 1.2 + 22 }
    private let gap = 10.0

    /// The drawing size.
    public var size: Size {
        let panels = Double(channels.count) * channelHeight + Double(channels.count - 1) * gap
        return Size(width: width, height: (top + panels + 52).rounded(.up))
    }

    /// A summary of channels and how much of the data lies inside the widest band.
    public var textDescription: String {
        var text =
            "Data plot" + (title.map { " '\($0)'" } ?? "") + ": \(channels.count) channel"
            + (channels.count == 1 ? "" : "s") + " of \(x.count) points"
        if channels.contains(where: { $0.median != nil }) {
            text += medianLabel == "predictive median" ? " with posterior-predictive median" : " with \(medianLabel)"
        }
        text += "."
        for channel in channels {
            text += "\n  \(channel.name)"
            if let band = channel.bands.max(by: { $0.level < $1.level }) {
                let inside = zip(channel.observed, zip(band.lower, band.upper)).filter { $0 >= $1.0 && $0 <= $1.1 }
                    .count
                text +=
                    ": " + CornerPlot.percent(Double(inside) / Double(channel.observed.count))
                    + " of the data inside the "
                    + CornerPlot.percent(band.level) + " predictive band"
            }
        }
        return text
    }

    /// Draws the stacked panels, the shared x axis and the legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        let size = size
        renderer.beginDrawing(
            size: size, background: theme.background, title: title ?? "Data plot", description: textDescription)
        ChartFrame.drawTitle(title, size: size, theme: theme, into: &renderer)
        let predictive = theme.color(at: 0)
        let xDomain = (x.min() ?? 0)...(x.max() ?? 1)
        var legend: [LegendEntry] = [.init(label: "observed", color: theme.mutedForeground, key: .line(dash: []))]
        for (index, channel) in channels.enumerated() {
            var content = ChartContent()
            let bands = channel.bands.sorted { $0.level > $1.level }
            for (rank, band) in bands.enumerated() {
                let opacity = 0.16 + 0.12 * Double(rank)
                content.bands.append(
                    .init(
                        xs: x, lower: band.lower, upper: band.upper,
                        fill: FillStyle(color: predictive, opacity: opacity)))
                if index == 0 {
                    legend.append(
                        .init(
                            label: CornerPlot.percent(band.level) + " predictive", color: predictive,
                            key: .swatch(opacity: opacity)))
                }
            }
            content.lines.append(
                .init(xs: x, ys: channel.observed, stroke: StrokeStyle(color: theme.mutedForeground, width: 0.9)))
            if let median = channel.median {
                content.lines.append(.init(xs: x, ys: median, stroke: StrokeStyle(color: predictive, width: 1.6)))
                if index == 0 {
                    legend.append(.init(label: medianLabel, color: predictive, key: .line(dash: [])))
                }
            }
            if let reference = channel.reference {
                content.lines.append(
                    .init(xs: x, ys: reference, stroke: StrokeStyle(color: theme.reference, width: 1.2, dash: [5, 3])))
                if !legend.contains(where: { $0.label == referenceLabel }) {
                    legend.append(.init(label: referenceLabel, color: theme.reference, key: .line(dash: [5, 3])))
                }
            }
            content.xDomain = xDomain
            let frame = Rect(
                x: 72, y: top + Double(index) * (channelHeight + gap), width: width - 92, height: channelHeight)
            let panel = AxisPanel(
                frame: frame, xDomain: xDomain, yDomain: content.domains().y, xTickCount: 8, yTickCount: 4)
            panel.drawGrid(theme: theme, into: &renderer)
            panel.drawContent(content, theme: theme, into: &renderer)
            let isLast = index == channels.count - 1
            panel.drawAxes(
                theme: theme, xLabel: isLast ? xLabel : nil, yLabel: channel.name, showXTickLabels: isLast,
                into: &renderer)
        }
        drawLegend(legend, topRight: Point(width - 26, top + 6), theme: theme, into: &renderer)
    }
}
