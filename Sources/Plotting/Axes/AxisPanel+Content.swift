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
                renderer.drawLine(
                    from: Point(x(rule.value), frame.y), to: Point(x(rule.value), frame.maxY), stroke: rule.stroke)
            case .horizontal:
                renderer.drawLine(
                    from: Point(frame.x, y(rule.value)), to: Point(frame.maxX, y(rule.value)), stroke: rule.stroke)
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
                    renderer.drawCircle(
                        center: piece[0], radius: line.stroke.width, fill: FillStyle(color: line.stroke.color),
                        stroke: nil)
                } else {
                    renderer.drawPolyline(piece, stroke: line.stroke)
                }
                if line.markers && piece.count <= 200 {
                    for p in piece {
                        renderer.drawCircle(
                            center: p, radius: line.stroke.width + 1, fill: FillStyle(color: line.stroke.color),
                            stroke: nil)
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
