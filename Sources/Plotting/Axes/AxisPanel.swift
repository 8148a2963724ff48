/// One rectangular plotting area with an x and a y scale, its frame, grid, ticks and labels.
///
/// Internal building block shared by every plot.
struct AxisPanel {
    /// The plotting area in pixels.
    var frame: Rect
    /// Horizontal scale (domain → `frame.x ... frame.maxX`).
    var x: Scale
    /// Vertical scale (domain → `frame.maxY ... frame.y`).
    var y: Scale
    /// Horizontal ticks.
    var xTicks: Ticks
    /// Vertical ticks.
    var yTicks: Ticks

    init(
        frame: Rect, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>,
        xKind: Scale.Kind = .linear, yKind: Scale.Kind = .linear, xTickCount: Int = 6,
        yTickCount: Int = 5
    ) {
        self.frame = frame
        x = Scale(domain: xDomain, pixels: (frame.x, frame.maxX), kind: xKind)
        y = Scale(domain: yDomain, pixels: (frame.maxY, frame.y), kind: yKind)
        xTicks =
            xKind == .linear
            ? Ticks.linear(in: x.domain, targetCount: xTickCount)
            : Ticks.logarithmic(in: x.domain, targetCount: xTickCount)
        yTicks =
            yKind == .linear
            ? Ticks.linear(in: y.domain, targetCount: yTickCount)
            : Ticks.logarithmic(in: y.domain, targetCount: yTickCount)
    }

    /// This panel without ticks closer than `fraction` of the panel's size to its edges (so that
    /// labels of neighbouring panels in a grid do not collide).
    func insettingTicks(by fraction: Double) -> AxisPanel {
        var copy = self
        func keep(_ ticks: Ticks, _ scale: Scale, _ length: Double, _ start: Double) -> Ticks {
            let low = min(scale.pixels.0, scale.pixels.1) + fraction * length
            let high = max(scale.pixels.0, scale.pixels.1) - fraction * length
            let pairs = zip(ticks.values, ticks.labels).filter {
                scale($0.0) >= low - 1e-9 && scale($0.0) <= high + 1e-9
            }
            return Ticks(values: pairs.map { $0.0 }, step: ticks.step, labels: pairs.map { $0.1 })
        }
        copy.xTicks = keep(xTicks, x, frame.width, frame.x)
        copy.yTicks = keep(yTicks, y, frame.height, frame.y)
        return copy
    }

    /// This panel with x ticks at whole numbers only (epochs, iterations).
    func withIntegerXTicks(targetCount: Int = 6) -> AxisPanel {
        var copy = self
        if x.kind == .linear { copy.xTicks = Ticks.integers(in: x.domain, targetCount: targetCount) }
        return copy
    }

    /// The pixel position of a data point.
    func point(_ xValue: Double, _ yValue: Double) -> Point { Point(x(xValue), y(yValue)) }

    /// Draws grid lines at the ticks.
    func drawGrid<R: Renderer>(theme: Theme, vertical: Bool = true, horizontal: Bool = true, into renderer: inout R) {
        let stroke = StrokeStyle(color: theme.grid, width: 0.8)
        if vertical {
            for value in xTicks.values {
                let px = x(value)
                renderer.drawLine(from: Point(px, frame.y), to: Point(px, frame.maxY), stroke: stroke)
            }
        }
        if horizontal {
            for value in yTicks.values {
                let py = y(value)
                renderer.drawLine(from: Point(frame.x, py), to: Point(frame.maxX, py), stroke: stroke)
            }
        }
    }

    /// Draws the frame, the tick marks and, where asked, tick labels and axis labels.
    func drawAxes<R: Renderer>(
        theme: Theme, xLabel: String?, yLabel: String?, showXTickLabels: Bool = true,
        showYTickLabels: Bool = true, showYTicks: Bool = true, rotateXTickLabels: Bool = false,
        into renderer: inout R
    ) {
        let axisStroke = StrokeStyle(color: theme.foreground, width: 1)
        renderer.drawRect(frame, fill: nil, stroke: axisStroke)
        let tickSize = theme.fontSize * 0.85
        let tickStyle = TextStyle(size: tickSize, color: theme.mutedForeground, anchor: .middle)
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let px = x(value)
            renderer.drawLine(from: Point(px, frame.maxY), to: Point(px, frame.maxY + 4), stroke: axisStroke)
            if showXTickLabels {
                if rotateXTickLabels {
                    var style = tickStyle
                    style.anchor = .end
                    style.rotation = -45
                    renderer.drawText(label, at: Point(px + 3, frame.maxY + 8 + tickSize * 0.6), style: style)
                } else {
                    renderer.drawText(label, at: Point(px, frame.maxY + 6 + tickSize), style: tickStyle)
                }
            }
        }
        var widestYLabel = 0.0
        if showYTicks {
            var style = tickStyle
            style.anchor = .end
            for (value, label) in zip(yTicks.values, yTicks.labels) {
                let py = y(value)
                renderer.drawLine(from: Point(frame.x - 4, py), to: Point(frame.x, py), stroke: axisStroke)
                if showYTickLabels {
                    renderer.drawText(label, at: Point(frame.x - 6, py + tickSize * 0.35), style: style)
                    widestYLabel = max(widestYLabel, renderer.textWidth(label, fontSize: tickSize))
                }
            }
        }
        let labelStyle = TextStyle(size: theme.fontSize, color: theme.foreground, anchor: .middle)
        if let xLabel, !xLabel.isEmpty {
            let offset = rotateXTickLabels ? tickSize * 3.2 + 12 : tickSize + theme.fontSize + 12
            renderer.drawText(xLabel, at: Point(frame.midX, frame.maxY + offset), style: labelStyle)
        }
        if let yLabel, !yLabel.isEmpty {
            var style = labelStyle
            style.rotation = -90
            let px = frame.x - (showYTickLabels ? widestYLabel + 14 : 10)
            renderer.drawText(yLabel, at: Point(px, frame.midY), style: style)
        }
    }
}
