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

        /// Creates a channel.
        /// - Parameters:
        ///   - name: The channel name.
        ///   - observed: The observed series, `[points]`.
        ///   - median: The predictive median, `[points]`, or `nil`.
        ///   - bands: Predictive bands, each `[points]`.
        public init(_ name: String, observed: [Double], median: [Double]? = nil, bands: [Band] = []) {
            self.name = name
            self.observed = observed
            self.median = median
            self.bands = bands
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
    ///   - theme: The theme.
    ///   - width: The width in pixels (default 720).
    ///   - channelHeight: The height of each panel (default 150).
    /// - Throws: ``PlottingError`` for no channels, an empty channel, series whose lengths
    ///   differ from `x`, or a NaN or ±∞ in `x` (named by index; NaN in the series is drawn as a gap).
    public init(
        channels: [Channel], x: [Double]? = nil, xLabel: String = "time", title: String? = nil,
        medianLabel: String = "predictive median", theme: Theme = .default, width: Double = 720, channelHeight: Double = 150
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
        self.theme = theme
        self.width = width
        self.channelHeight = channelHeight
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
