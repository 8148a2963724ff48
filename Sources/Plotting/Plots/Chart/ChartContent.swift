/// What one panel of a line chart shows (the shared engine behind ``DataPlot``,
/// ``TrainingCurvePlot``, ``CoveragePlot`` and ``DriftPlot``). Internal.
struct ChartContent {
    struct Line {
        var xs: [Double]
        var ys: [Double]
        var stroke: StrokeStyle
        var markers: Bool = false
    }

    struct Band {
        var xs: [Double]
        var lower: [Double]
        var upper: [Double]
        var fill: FillStyle
    }

    struct Marker {
        var x: Double
        var y: Double
        var color: Color
        var radius: Double = 4
        var label: String? = nil
    }

    struct Rule {
        enum Orientation { case vertical, horizontal, diagonal }
        var orientation: Orientation
        var value: Double = 0
        var stroke: StrokeStyle
    }

    var lines: [Line] = []
    var bands: [Band] = []
    var markers: [Marker] = []
    var rules: [Rule] = []
    var xDomain: ClosedRange<Double>? = nil
    var yDomain: ClosedRange<Double>? = nil
    var yKind: Scale.Kind = .linear

    /// The x and y ranges of everything drawn (finite values only), padded by 4 % in y.
    func domains() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xLow = Double.infinity, xHigh = -Double.infinity
        var yLow = Double.infinity, yHigh = -Double.infinity
        func include(_ xs: [Double], _ ys: [Double]) {
            for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite && (yKind == .linear || y > 0) {
                xLow = min(xLow, x)
                xHigh = max(xHigh, x)
                yLow = min(yLow, y)
                yHigh = max(yHigh, y)
            }
        }
        for line in lines { include(line.xs, line.ys) }
        for band in bands {
            include(band.xs, band.lower)
            include(band.xs, band.upper)
        }
        for marker in markers { include([marker.x], [marker.y]) }
        if !xLow.isFinite { (xLow, xHigh) = (0, 1) }
        if !yLow.isFinite { (yLow, yHigh) = yKind == .linear ? (0, 1) : (0.1, 10) }
        var y: ClosedRange<Double>
        if yKind == .logarithmic {
            y = (yLow / 1.3)...(yHigh * 1.3)
        } else {
            let pad = yHigh > yLow ? (yHigh - yLow) * 0.04 : max(abs(yLow) * 0.1, 0.5)
            y = (yLow - pad)...(yHigh + pad)
        }
        if let yDomain { y = yDomain }
        return (xDomain ?? (xLow...max(xHigh, xLow)), y)
    }
}

/// Reduces a polyline to at most about four points per `buckets` column (first, minimum,
/// maximum, last), preserving its envelope; shorter inputs are returned unchanged.
func decimated(xs: [Double], ys: [Double], buckets: Int) -> (xs: [Double], ys: [Double]) {
    let count = min(xs.count, ys.count)
    guard count > 4 * max(buckets, 1), let xLow = xs.first, let xHigh = xs.last, xHigh > xLow else {
        return (Array(xs.prefix(count)), Array(ys.prefix(count)))
    }
    var outX: [Double] = []
    var outY: [Double] = []
    var index = 0
    let width = (xHigh - xLow) / Double(buckets)
    while index < count {
        let bucket = Int((xs[index] - xLow) / width)
        var end = index
        var minIndex = index, maxIndex = index
        while end < count && Int((xs[end] - xLow) / width) == bucket {
            if ys[end] < ys[minIndex] { minIndex = end }
            if ys[end] > ys[maxIndex] { maxIndex = end }
            end += 1
        }
        if end == index { end = index + 1 }  // non-monotonic x: keep the point
        let kept = Set([index, minIndex, maxIndex, end - 1]).sorted()
        for k in kept {
            outX.append(xs[k])
            outY.append(ys[k])
        }
        index = end
    }
    return (outX, outY)
}

extension AxisPanel {
    /// Draws bands, rules, lines and markers of `content`, clipped to the frame.
    func drawContent<R: Renderer>(_ content: ChartContent, theme: Theme, into renderer: inout R) {
        renderer.pushClip(frame)
        let buckets = Int(frame.width)
        for band in content.bands {
            let upper = decimated(xs: band.xs, ys: band.upper, buckets: buckets)
            let lower = decimated(xs: band.xs, ys: band.lower, buckets: buckets)
            var ring: [Point] = []
            for (x, y) in zip(upper.xs, upper.ys) where x.isFinite && y.isFinite { ring.append(point(x, y)) }
            for (x, y) in zip(lower.xs, lower.ys).reversed() where x.isFinite && y.isFinite { ring.append(point(x, y)) }
            renderer.drawPolygons([ring], fill: band.fill, stroke: nil)
        }
        for rule in content.rules {
            switch rule.orientation {
            case .vertical:
                renderer.drawLine(from: Point(x(rule.value), frame.y), to: Point(x(rule.value), frame.maxY), stroke: rule.stroke)
            case .horizontal:
                renderer.drawLine(from: Point(frame.x, y(rule.value)), to: Point(frame.maxX, y(rule.value)), stroke: rule.stroke)
            case .diagonal:
                let low = max(x.domain.lowerBound, y.domain.lowerBound)
                let high = min(x.domain.upperBound, y.domain.upperBound)
                renderer.drawLine(from: point(low, low), to: point(high, high), stroke: rule.stroke)
            }
        }
        for line in content.lines {
            let reduced = decimated(xs: line.xs, ys: line.ys, buckets: buckets)
            // Split at non-finite values (and non-positive values on a log scale).
            var piece: [Point] = []
            var pieces: [[Point]] = []
            for (xv, yv) in zip(reduced.xs, reduced.ys) {
                if xv.isFinite && yv.isFinite && (y.kind == .linear || yv > 0) {
                    piece.append(point(xv, yv))
                } else if !piece.isEmpty {
                    pieces.append(piece)
                    piece = []
                }
            }
            if !piece.isEmpty { pieces.append(piece) }
            for piece in pieces {
                if piece.count == 1 {
                    renderer.drawCircle(center: piece[0], radius: line.stroke.width, fill: FillStyle(color: line.stroke.color), stroke: nil)
                } else {
                    renderer.drawPolyline(piece, stroke: line.stroke)
                }
                if line.markers && piece.count <= 200 {
                    for p in piece {
                        renderer.drawCircle(center: p, radius: line.stroke.width + 1, fill: FillStyle(color: line.stroke.color), stroke: nil)
                    }
                }
            }
        }
        for marker in content.markers where marker.x.isFinite && marker.y.isFinite {
            renderer.drawCircle(
                center: point(marker.x, marker.y), radius: marker.radius, fill: FillStyle(color: marker.color),
                stroke: StrokeStyle(color: theme.background, width: 1))
        }
        renderer.popClip()
        for marker in content.markers where marker.x.isFinite && marker.y.isFinite {
            guard let label = marker.label else { continue }
            let p = point(marker.x, marker.y)
            let size = theme.fontSize * 0.85
            let width = renderer.textWidth(label, fontSize: size)
            let rightSide = p.x + 8 + width < frame.maxX
            // Below the point (free at a minimum of a curve), or above it near the bottom.
            let below = p.y + 8 + size
            let textY = below <= frame.maxY - 4 ? below : max(frame.y + size + 2, p.y - 8)
            renderer.drawText(
                label, at: Point(rightSide ? p.x + 6 : p.x - 6, textY),
                style: TextStyle(size: size, color: theme.foreground, anchor: rightSide ? .start : .end))
        }
    }
}
