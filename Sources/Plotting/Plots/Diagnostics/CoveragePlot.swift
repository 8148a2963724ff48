/// A P–P plot of posterior calibration: for each parameter, the fraction of test simulations
/// whose true value lies below a given posterior quantile, against that quantile, with the band
/// expected from a calibrated posterior.
///
/// Input is, per simulation and parameter, the posterior CDF at the true value
/// (u = q(θ ≤ θ_true | x)); for a calibrated posterior these are uniform, so their empirical CDF
/// follows the diagonal. The shaded band holds the central `confidence` mass of the empirical
/// CDF of `n` uniform values at each level α (binomial quantiles of Bin(n, α) / n).
/// Simulation-based calibration: Talts et al., arXiv 1804.06788 (2018); P–P plots for NPE as in
/// Dax et al., PRL 127, 241103 (2021).
public struct CoveragePlot: Plot {
    /// Posterior CDF values at the truths, `[simulations, parameters]`, each in [0, 1].
    public let quantiles: [[Double]]
    /// One name per parameter.
    public let parameterNames: [String]
    /// The probability of the confidence band (default 0.95).
    public let confidence: Double
    /// The title, or `nil`.
    public let title: String?
    /// Colours and fonts.
    public let theme: Theme
    /// The drawing size.
    public let size: Size

    /// Creates a P–P plot from posterior CDF values at the truths.
    /// - Parameters:
    ///   - quantiles: `[simulations, parameters]` values in [0, 1].
    ///   - parameterNames: One name per parameter.
    ///   - confidence: The band's probability, in (0, 1).
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    ///   - size: The drawing size (default 460 × 440).
    /// - Throws: ``PlottingError`` for no simulations, rows of the wrong length, values
    ///   outside [0, 1], or a confidence outside (0, 1).
    public init(
        quantiles: [[Double]], parameterNames: [String], confidence: Double = 0.95, title: String? = nil,
        theme: Theme = .default, size: Size = Size(width: 460, height: 440)
    ) throws {
        guard !quantiles.isEmpty else { throw PlottingError.emptyData("a coverage plot needs at least one simulation") }
        guard !parameterNames.isEmpty else {
            throw PlottingError.emptyData("a coverage plot needs at least one parameter name")
        }
        for (index, row) in quantiles.enumerated() {
            guard row.count == parameterNames.count else {
                throw PlottingError.shapeMismatch(
                    "simulation \(index) has \(row.count) values for \(parameterNames.count) parameters")
            }
            for value in row where !(value >= 0 && value <= 1) {
                throw PlottingError.invalidOption(
                    "posterior quantiles must lie in [0, 1], got \(value) in simulation \(index)")
            }
        }
        guard confidence > 0 && confidence < 1 else {
            throw PlottingError.invalidOption("the confidence must lie strictly between 0 and 1, got \(confidence)")
        }
        self.quantiles = quantiles
        self.parameterNames = parameterNames
        self.confidence = confidence
        self.title = title
        self.theme = theme
        try size.validate(minimum: Size(width: 160, height: 140), for: "coverage plot")
        self.size = size
    }

    /// Creates a P–P plot from simulation-based-calibration ranks.
    /// - Parameters:
    ///   - ranks: `[simulations, parameters]` ranks of the truth among `rankCount` posterior
    ///     samples, each in 0...rankCount.
    ///   - rankCount: The number of posterior samples per simulation.
    ///   - parameterNames: One name per parameter.
    ///   - confidence: The band's probability.
    ///   - title: A title, or `nil`.
    ///   - theme: The theme.
    /// - Throws: ``PlottingError`` as ``init(quantiles:parameterNames:confidence:title:theme:size:)``, or for a rank outside 0...rankCount.
    public init(
        ranks: [[Int]], rankCount: Int, parameterNames: [String], confidence: Double = 0.95, title: String? = nil,
        theme: Theme = .default
    ) throws {
        guard rankCount >= 1 else {
            throw PlottingError.invalidOption("rankCount must be at least 1, got \(rankCount)")
        }
        let quantiles = try ranks.map { row in
            try row.map { rank -> Double in
                guard rank >= 0 && rank <= rankCount else {
                    throw PlottingError.invalidOption("rank \(rank) is outside 0...\(rankCount)")
                }
                return (Double(rank) + 0.5) / (Double(rankCount) + 1)  // `rankCount + 1` overflows for Int.max
            }
        }
        try self.init(
            quantiles: quantiles, parameterNames: parameterNames, confidence: confidence, title: title, theme: theme)
    }

    /// The empirical CDF of parameter `p`'s quantiles at each level, `[levels]`.
    /// - Parameters:
    ///   - p: The parameter index.
    ///   - levels: Credibility levels α in [0, 1].
    /// - Returns: The fraction of simulations with quantile ≤ α, for each α.
    public func empiricalCoverage(parameter p: Int, at levels: [Double]) -> [Double] {
        let sorted = quantiles.map { $0[p] }.sorted()
        let n = Double(sorted.count)
        return levels.map { level in
            var low = 0
            var high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] <= level { low = mid + 1 } else { high = mid }
            }
            return Double(low) / n
        }
    }

    /// The largest vertical distance between parameter `p`'s empirical CDF and the diagonal
    /// (the Kolmogorov–Smirnov statistic against the uniform distribution).
    public func maximumDeviation(parameter p: Int) -> Double {
        let sorted = quantiles.map { $0[p] }.sorted()
        let n = Double(sorted.count)
        var worst = 0.0
        for (index, value) in sorted.enumerated() {
            worst = max(worst, abs(Double(index + 1) / n - value), abs(value - Double(index) / n))
        }
        return worst
    }

    /// The band for `simulations` calibrated simulations at each level: the
    /// `(1 − confidence)/2` and `(1 + confidence)/2` quantiles of Bin(n, α) / n.
    /// - Parameters:
    ///   - levels: Levels α in [0, 1].
    ///   - simulations: The number of simulations n.
    ///   - confidence: The band's probability.
    /// - Returns: `(lower, upper)`, each `[levels]`.
    public static func confidenceBand(at levels: [Double], simulations: Int, confidence: Double) -> (
        lower: [Double], upper: [Double]
    ) {
        let n = simulations
        let lowTail = (1 - confidence) / 2
        let highTail = 1 - lowTail
        var lower: [Double] = []
        var upper: [Double] = []
        for alpha in levels {
            if alpha <= 0 || alpha >= 1 {
                lower.append(alpha <= 0 ? 0 : 1)
                upper.append(alpha <= 0 ? 0 : 1)
                continue
            }
            let mean = Double(n) * alpha
            let sd = (Double(n) * alpha * (1 - alpha)).squareRoot()
            let start = max(0, Int(mean - 12 * sd - 1))
            let logNorm = logGamma(Double(n) + 1)
            var cumulative = 0.0
            var low: Int?
            var high: Int?
            var k = start
            while k <= n && high == nil {
                let logPMF =
                    logNorm - logGamma(Double(k) + 1) - logGamma(Double(n - k) + 1) + Double(k) * log(alpha)
                    + Double(n - k) * log1p(-alpha)
                cumulative += exp(logPMF)
                if low == nil && cumulative >= lowTail { low = k }
                if cumulative >= highTail { high = k }
                k += 1
            }
            lower.append(Double(low ?? 0) / Double(n))
            upper.append(Double(high ?? n) / Double(n))
        }
        return (lower, upper)
    }

    /// A summary with each parameter's largest deviation from the diagonal.
    public var textDescription: String {
        var text =
            "P–P coverage plot" + (title.map { " '\($0)'" } ?? "") + " of \(parameterNames.count) parameter"
            + (parameterNames.count == 1 ? "" : "s") + " over \(quantiles.count) simulations with a "
            + CornerPlot.percent(confidence) + " band. Largest deviation from the diagonal:"
        for (p, name) in parameterNames.enumerated() {
            text += "\n  \(name): " + NumberFormatting.fixed(maximumDeviation(parameter: p), decimals: 3)
        }
        return text
    }

    /// Draws the band, the diagonal, one empirical CDF per parameter and the legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(
            size: size, background: theme.background, title: title ?? "P–P coverage plot", description: textDescription)
        ChartFrame.drawTitle(title, size: size, theme: theme, into: &renderer)
        let levels = (0...100).map { Double($0) / 100 }
        let band = Self.confidenceBand(at: levels, simulations: quantiles.count, confidence: confidence)
        var content = ChartContent()
        content.bands.append(
            .init(
                xs: levels, lower: band.lower, upper: band.upper,
                fill: FillStyle(color: theme.mutedForeground, opacity: 0.2)))
        content.rules.append(
            .init(orientation: .diagonal, stroke: StrokeStyle(color: theme.mutedForeground, width: 1, dash: [4, 3])))
        for p in parameterNames.indices {
            // The exact empirical CDF as a step function through the sorted values.
            let sorted = quantiles.map { $0[p] }.sorted()
            let n = Double(sorted.count)
            var xs: [Double] = [0]
            var ys: [Double] = [0]
            for (index, value) in sorted.enumerated() {
                xs.append(value)
                ys.append(Double(index) / n)
                xs.append(value)
                ys.append(Double(index + 1) / n)
            }
            xs.append(1)
            ys.append(1)
            content.lines.append(.init(xs: xs, ys: ys, stroke: StrokeStyle(color: theme.color(at: p), width: 1.6)))
        }
        content.xDomain = 0...1
        content.yDomain = 0...1
        var frame = ChartFrame.panelFrame(size: size, hasTitle: title != nil, theme: theme, left: 64)
        let side = min(frame.width, frame.height)
        frame = Rect(x: frame.x, y: frame.y, width: side, height: side)
        let panel = AxisPanel(frame: frame, xDomain: 0...1, yDomain: 0...1)
        panel.drawGrid(theme: theme, into: &renderer)
        panel.drawContent(content, theme: theme, into: &renderer)
        panel.drawAxes(theme: theme, xLabel: "credibility level", yLabel: "empirical coverage", into: &renderer)
        var entries = parameterNames.enumerated().map {
            LegendEntry(label: $1, color: theme.color(at: $0), key: .line(dash: []))
        }
        entries.append(
            .init(
                label: CornerPlot.percent(confidence) + " band", color: theme.mutedForeground,
                key: .swatch(opacity: 0.2)))
        // The lower-right triangle stays free for calibrated posteriors.
        drawLegend(
            entries, topRight: Point(frame.maxX - 6, frame.y + frame.height * 0.5), theme: theme, into: &renderer)
    }
}

/// log Γ(x) for x > 0 by the Lanczos approximation (g = 7, nine coefficients; relative error
/// about 1e-15), independent of the C library so that output is the same everywhere.
func logGamma(_ x: Double) -> Double {
    let coefficients: [Double] = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]
    if x < 0.5 { return log(Double.pi / abs(sin(Double.pi * x))) - logGamma(1 - x) }
    let z = x - 1
    var sum = coefficients[0]
    for index in 1..<coefficients.count { sum += coefficients[index] / (z + Double(index)) }
    let t = z + 7.5
    return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
