extension CornerPlot {
    /// Draws the plot: diagonal marginals, lower-triangle densities, axes, summaries, legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        let layout = CornerLayout(plot: self)
        let n = parameters.count
        renderer.beginDrawing(
            size: layout.size, background: theme.background, title: title ?? "Corner plot",
            description: textDescription)
        if let title {
            renderer.drawText(
                title, at: Point(layout.size.width / 2, 10 + theme.fontSize * 1.2),
                style: TextStyle(size: theme.fontSize * 1.2, color: theme.foreground, anchor: .middle, bold: true))
        }

        for row in 0..<n {
            for column in 0...row {
                let frame = layout.frame(row: row, column: column)
                if row == column {
                    drawMarginal(p: row, frame: frame, binIndices: binIndices, isBottom: row == n - 1, into: &renderer)
                } else {
                    drawPair(
                        x: column, y: row, frame: frame, binIndices: binIndices, isBottom: row == n - 1,
                        isLeft: column == 0, into: &renderer)
                }
            }
            drawSummaryTitles(
                p: row, frame: layout.frame(row: row, column: row), lineHeight: layout.summaryLineHeight,
                into: &renderer)
        }
        drawCornerLegend(layout: layout, into: &renderer)
    }

    // MARK: - Panels

    private func drawMarginal<R: Renderer>(
        p: Int, frame: Rect, binIndices: [[[Int32]]], isBottom: Bool, into renderer: inout R
    ) {
        let range = ranges[p]
        let binWidth = (range.upperBound - range.lowerBound) / Double(bins)
        var densities: [[Double]] = []
        for s in sets.indices {
            var counts = [Double](repeating: 0, count: bins)
            for index in binIndices[s][p] where index >= 0 { counts[Int(index)] += 1 }
            let total = counts.reduce(0, +)
            densities.append(total > 0 ? counts.map { $0 / (total * binWidth) } : counts)
        }
        let peak = densities.flatMap { $0 }.max() ?? 1
        let panel = AxisPanel(
            frame: frame, xDomain: range, yDomain: 0...(peak > 0 ? peak * 1.08 : 1), xTickCount: 4
        ).insettingTicks(by: 0.06)
        renderer.pushClip(frame)
        for s in sets.indices {
            let color = color(ofSet: s)
            let summary = summaries[s][p]
            let dashed = StrokeStyle(color: color, width: 1, opacity: 0.9, dash: [3, 2])
            for value in [summary.lower, summary.upper].map({ plotted($0, parameter: p) }) where value.isFinite {
                renderer.drawLine(
                    from: panel.point(value, panel.y.domain.lowerBound),
                    to: panel.point(value, panel.y.domain.upperBound), stroke: dashed)
            }
            if summary.median.isFinite {
                renderer.drawLine(
                    from: panel.point(summary.median, panel.y.domain.lowerBound),
                    to: panel.point(summary.median, panel.y.domain.upperBound),
                    stroke: StrokeStyle(color: color, width: 1.3))
            }
            var points: [Point] = [panel.point(range.lowerBound, 0)]
            for (index, value) in densities[s].enumerated() {
                let x0 = range.lowerBound + Double(index) * binWidth
                points.append(panel.point(x0, value))
                points.append(panel.point(x0 + binWidth, value))
            }
            points.append(panel.point(range.upperBound, 0))
            renderer.drawPolygons(
                [points], fill: sets.count == 1 ? FillStyle(color: color, opacity: 0.18) : nil,
                stroke: StrokeStyle(color: color, width: 1.4))
        }
        if let truth = parameters[p].truth.map({ plotted($0, parameter: p) }), truth.isFinite {
            renderer.drawLine(
                from: Point(panel.x(truth), frame.y), to: Point(panel.x(truth), frame.maxY),
                stroke: StrokeStyle(color: theme.reference, width: 1.2, opacity: 0.85))
        }
        renderer.popClip()
        panel.drawAxes(
            theme: theme, xLabel: isBottom ? parameters[p].axisLabel : nil, yLabel: nil,
            showXTickLabels: isBottom, showYTickLabels: false, showYTicks: false,
            rotateXTickLabels: true, into: &renderer)
    }

    private func drawPair<R: Renderer>(
        x px: Int, y py: Int, frame: Rect, binIndices: [[[Int32]]], isBottom: Bool, isLeft: Bool,
        into renderer: inout R
    ) {
        let panel = AxisPanel(frame: frame, xDomain: ranges[px], yDomain: ranges[py], xTickCount: 4, yTickCount: 4)
            .insettingTicks(by: 0.06)
        renderer.pushClip(frame)
        let shadeDensity: Bool
        switch shading {
        case .automatic: shadeDensity = sets.count == 1
        case .density: shadeDensity = true
        case .credibleRegions: shadeDensity = false
        }
        for s in sets.indices {
            let color = color(ofSet: s)
            var histogram = Histogram2D(
                xIndices: binIndices[s][px], yIndices: binIndices[s][py], xRange: ranges[px],
                yRange: ranges[py], bins: bins)
            let (periodicX, periodicY) = (parameters[px].isPeriodic, parameters[py].isPeriodic)
            histogram = histogram.smoothed(sigma: smoothing, periodicX: periodicX, periodicY: periodicY)
            let peak = histogram.counts.max() ?? 0
            guard peak > 0 else { continue }
            func pixelRings(_ level: Double) -> [[Point]] {
                Self.rings(of: histogram, level: level, periodicX: periodicX, periodicY: periodicY).map { ring in
                    ring.map { g in
                        Point(
                            frame.x + (g.x + 0.5) / Double(bins) * frame.width,
                            frame.maxY - (g.y + 0.5) / Double(bins) * frame.height)
                    }
                }
            }
            if shadeDensity {
                let steps = 7
                for k in 1...steps {
                    let level = peak * Double(k) / Double(steps + 1)
                    renderer.drawPolygons(pixelRings(level), fill: FillStyle(color: color, opacity: 0.13), stroke: nil)
                }
            }
            let thresholds = histogram.thresholds(enclosing: credibleLevels)
            for (index, level) in thresholds.enumerated() where level.isFinite && level > 0 {
                let rings = pixelRings(level)
                let width = index == thresholds.count - 1 ? 1.4 : 1.0
                renderer.drawPolygons(
                    rings, fill: shadeDensity ? nil : FillStyle(color: color, opacity: 0.13),
                    stroke: StrokeStyle(color: color, width: width))
            }
        }
        let truthStroke = StrokeStyle(color: theme.reference, width: 1, opacity: 0.75)
        let truthX = parameters[px].truth.map { plotted($0, parameter: px) }.flatMap { $0.isFinite ? $0 : nil }
        let truthY = parameters[py].truth.map { plotted($0, parameter: py) }.flatMap { $0.isFinite ? $0 : nil }
        if let truthX {
            renderer.drawLine(
                from: Point(panel.x(truthX), frame.y), to: Point(panel.x(truthX), frame.maxY), stroke: truthStroke)
        }
        if let truthY {
            renderer.drawLine(
                from: Point(frame.x, panel.y(truthY)), to: Point(frame.maxX, panel.y(truthY)), stroke: truthStroke)
        }
        if let truthX, let truthY {
            renderer.drawCircle(
                center: panel.point(truthX, truthY), radius: 2.8, fill: FillStyle(color: theme.reference), stroke: nil)
        }
        renderer.popClip()
        panel.drawAxes(
            theme: theme, xLabel: isBottom ? parameters[px].axisLabel : nil,
            yLabel: isLeft ? parameters[py].axisLabel : nil, showXTickLabels: isBottom,
            showYTickLabels: isLeft, rotateXTickLabels: true, into: &renderer)
    }

    // MARK: - Periodic axes

    /// `value` as drawn on parameter `p`'s axis: wrapped onto the range for a periodic parameter.
    func plotted(_ value: Double, parameter p: Int) -> Double {
        guard let period = parameters[p].period else { return value }
        return Self.wrapped(value, low: ranges[p].lowerBound, period: period)
    }

    /// The contours of `histogram` at `level` in its bin coordinates. Along a periodic axis the
    /// grid is first extended by one wrapped bin at each end, so that a region across the
    /// boundary is cut by the panel's edge (the clip) instead of closing just inside it.
    static func rings(of histogram: Histogram2D, level: Double, periodicX: Bool, periodicY: Bool)
        -> [[(x: Double, y: Double)]]
    {
        guard periodicX || periodicY else {
            return ContourTracer.rings(
                values: histogram.counts, columns: histogram.xBins, rows: histogram.yBins, level: level)
        }
        let (nx, ny) = (histogram.xBins, histogram.yBins)
        let padX = periodicX ? 1 : 0
        let padY = periodicY ? 1 : 0
        let w = nx + 2 * padX
        let h = ny + 2 * padY
        var values = [Double](repeating: 0, count: w * h)
        for j in 0..<h {
            let row = ((j - padY) % ny + ny) % ny
            for i in 0..<w {
                let column = ((i - padX) % nx + nx) % nx
                values[j * w + i] = histogram.counts[row * nx + column]
            }
        }
        return ContourTracer.rings(values: values, columns: w, rows: h, level: level).map { ring in
            ring.map { (x: $0.x - Double(padX), y: $0.y - Double(padY)) }
        }
    }

    // MARK: - Text

    private func drawSummaryTitles<R: Renderer>(p: Int, frame: Rect, lineHeight: Double, into renderer: inout R) {
        let size = theme.fontSize * 0.8
        for s in sets.indices {
            let line = summaryText(set: s, parameter: p, includeName: sets.count == 1)
            let y = frame.y - 6 - Double(sets.count - 1 - s) * lineHeight
            renderer.drawText(
                line, at: Point(frame.midX, y),
                style: TextStyle(
                    size: size, color: sets.count == 1 ? theme.foreground : color(ofSet: s), anchor: .middle))
        }
    }

    /// "name = median +up −down" with as many decimals as the interval needs.
    func summaryText(set s: Int, parameter p: Int, includeName: Bool) -> String {
        let summary = summaries[s][p]
        let up = summary.upper - summary.median
        let down = summary.median - summary.lower
        let prefix = includeName ? parameters[p].name + " = " : ""
        guard summary.median.isFinite else { return prefix + "n/a" }
        return prefix + Self.formatWithError(summary.median, up: up, down: down)
    }

    /// A value with asymmetric errors, to two significant digits of the smaller error.
    static func formatWithError(_ value: Double, up: Double, down: Double) -> String {
        let error = min(abs(up), abs(down))
        let scale = max(abs(value), abs(up), abs(down))
        if scale >= 1e5 || (scale > 0 && scale < 1e-3) {
            return NumberFormatting.significant(value, digits: 3) + " +" + NumberFormatting.significant(up, digits: 2)
                + " −" + NumberFormatting.significant(down, digits: 2)
        }
        let decimals = error > 0 ? max(0, min(6, 1 - Int(floor(log10(error))))) : 2
        func format(_ x: Double) -> String { NumberFormatting.fixed(x, decimals: decimals, trimmingZeros: false) }
        return format(value) + " +" + format(up) + " −" + format(down)
    }

    /// The legend: the sets (when several), truth, contour levels, marginal lines.
    var legendEntries: [LegendEntry] {
        var entries: [LegendEntry] = []
        if sets.count > 1 {
            for s in sets.indices {
                entries.append(LegendEntry(label: sets[s].name, color: color(ofSet: s), key: .swatch(opacity: 0.35)))
            }
        }
        if parameters.contains(where: { $0.truth != nil }) {
            entries.append(LegendEntry(label: "truth", color: theme.reference, key: .line(dash: [])))
        }
        if parameters.count > 1 && !credibleLevels.isEmpty {
            let levels = credibleLevels.sorted().map { Self.percent($0) }.joined(separator: ", ")
            entries.append(
                LegendEntry(label: "contours: \(levels)", color: theme.mutedForeground, key: .line(dash: [])))
        }
        entries.append(
            LegendEntry(
                label: "median, \(Self.percent(intervalLevel)) interval", color: theme.mutedForeground,
                key: .line(dash: [3, 2])))
        return entries
    }

    private func drawCornerLegend<R: Renderer>(layout: CornerLayout, into renderer: inout R) {
        drawLegend(legendEntries, topRight: layout.legendTopRight, theme: theme, into: &renderer)
    }

    static func percent(_ fraction: Double) -> String {
        NumberFormatting.fixed(fraction * 100, decimals: 1) + "%"
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
