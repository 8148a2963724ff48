/// The drift of the GNPE Gibbs sampler's pose proxies per iteration, one line per series.
///
/// GNPE (Dax et al., ICLR 2022, arXiv 2111.13139) alternates θ ~ q(θ | x′, ĝ) and ĝ ~ κ(g(θ));
/// the chain has converged when a drift measure of the proxies (for example the mean absolute
/// change of each proxy, or a divergence between successive proxy distributions) stops
/// decreasing. An optional tolerance draws a horizontal reference line.
public struct DriftPlot: Plot {
    /// One drift series.
    public struct Series: Equatable, Sendable {
        /// The legend name (for example a detector's time-shift proxy).
        public var name: String
        /// The drift after iteration 1, 2, …, `[iterations]`.
        public var values: [Double]

        /// Creates a series.
        public init(_ name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// The series, drawn in palette order.
    public let series: [Series]
    /// The convergence tolerance line, or `nil`.
    public let tolerance: Double?
    /// The y-axis label.
    public let driftLabel: String
    /// Linear or logarithmic y axis.
    public let scale: Scale.Kind
    /// The title, or `nil`.
    public let title: String?
    /// Colours and fonts.
    public let theme: Theme
    /// The drawing size.
    public let size: Size

    /// Creates a drift plot.
    /// - Parameters:
    ///   - series: One or more drift series, each `[iterations]`.
    ///   - tolerance: A convergence tolerance to draw, or `nil`.
    ///   - driftLabel: The y-axis label (default "proxy drift").
    ///   - scale: `nil` chooses logarithmic when all values are positive and span over two
    ///     decades, else linear.
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    ///   - size: The drawing size (default 640 × 360).
    /// - Throws: ``PlottingError/emptyData(_:)`` for no series or an empty series;
    ///   ``PlottingError/invalidOption(_:)`` for a logarithmic scale with non-positive values only.
    public init(
        series: [Series], tolerance: Double? = nil, driftLabel: String = "proxy drift", scale: Scale.Kind? = nil,
        title: String? = nil, theme: Theme = .default, size: Size = Size(width: 640, height: 360)
    ) throws {
        guard !series.isEmpty else { throw PlottingError.emptyData("a drift plot needs at least one series") }
        for item in series where item.values.isEmpty {
            throw PlottingError.emptyData("drift series '\(item.name)' has no values")
        }
        let values = series.flatMap { $0.values }.filter { $0.isFinite }
        let positive = values.filter { $0 > 0 }
        if scale == .logarithmic && positive.isEmpty {
            throw PlottingError.invalidOption("a logarithmic drift axis needs positive values")
        }
        if let scale {
            self.scale = scale
        } else if positive.count == values.count, let low = positive.min(), let high = positive.max(), high / low > 100
        {
            self.scale = .logarithmic
        } else {
            self.scale = .linear
        }
        self.series = series
        self.tolerance = tolerance
        self.driftLabel = driftLabel
        self.title = title
        self.theme = theme
        try size.validate(minimum: Size(width: 120, height: 80), for: "drift plot")
        self.size = size
    }

    /// A summary: iterations and each series' final drift.
    public var textDescription: String {
        var text =
            "Gibbs proxy drift" + (title.map { " '\($0)'" } ?? "") + " over "
            + "\(series.map { $0.values.count }.max() ?? 0) iterations"
        if let tolerance { text += " (tolerance " + NumberFormatting.significant(tolerance, digits: 3) + ")" }
        text += ":"
        for item in series {
            text += "\n  \(item.name): final " + NumberFormatting.significant(item.values.last ?? .nan, digits: 4)
        }
        return text
    }

    /// Draws the series with iteration markers, the tolerance line and the legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(
            size: size, background: theme.background, title: title ?? "Gibbs proxy drift", description: textDescription)
        ChartFrame.drawTitle(title, size: size, theme: theme, into: &renderer)
        var content = ChartContent()
        content.yKind = scale
        for (index, item) in series.enumerated() {
            content.lines.append(
                .init(
                    xs: item.values.indices.map { Double($0 + 1) }, ys: item.values,
                    stroke: StrokeStyle(color: theme.color(at: index), width: 1.6), markers: true))
        }
        if let tolerance {
            content.rules.append(
                .init(
                    orientation: .horizontal, value: tolerance,
                    stroke: StrokeStyle(color: theme.reference, width: 1, opacity: 0.7, dash: [5, 3])))
            // Keep the tolerance line inside the y range.
            content.markers = []
        }
        var domains = content.domains()
        if let tolerance, tolerance.isFinite, scale == .linear || tolerance > 0 {
            let low = min(domains.y.lowerBound, scale == .linear ? tolerance : tolerance / 1.3)
            let high = max(domains.y.upperBound, scale == .linear ? tolerance : tolerance * 1.3)
            domains.y = low...high
        }
        let count = series.map { $0.values.count }.max() ?? 1
        domains.x = count > 1 ? 1...Double(count) : 0.5...1.5
        let panel = AxisPanel(
            frame: ChartFrame.panelFrame(size: size, hasTitle: title != nil, theme: theme), xDomain: domains.x,
            yDomain: domains.y, yKind: scale
        ).withIntegerXTicks()
        panel.drawGrid(theme: theme, into: &renderer)
        panel.drawContent(content, theme: theme, into: &renderer)
        panel.drawAxes(theme: theme, xLabel: "Gibbs iteration", yLabel: driftLabel, into: &renderer)
        var entries = series.enumerated().map {
            LegendEntry(label: $1.name, color: theme.color(at: $0), key: .line(dash: []))
        }
        if tolerance != nil {
            entries.append(.init(label: "tolerance", color: theme.reference, key: .line(dash: [5, 3])))
        }
        drawLegend(entries, topRight: Point(panel.frame.maxX - 6, panel.frame.y + 6), theme: theme, into: &renderer)
    }
}
