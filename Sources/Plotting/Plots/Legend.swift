/// One entry of a plot legend.
struct LegendEntry {
    /// How the entry's key is drawn.
    enum Key {
        /// A short line.
        case line(dash: [Double])
        /// A filled square.
        case swatch(opacity: Double)
        /// A dot.
        case marker
    }

    var label: String
    var color: Color
    var key: Key
}

/// The size of the box ``drawLegend(_:topRight:theme:into:)`` draws for `entries`.
func legendBoxSize(_ entries: [LegendEntry], theme: Theme) -> Size {
    guard !entries.isEmpty else { return Size(width: 0, height: 0) }
    let size = theme.fontSize * 0.9
    let measure = SVGRenderer()
    let textWidth = entries.map { measure.textWidth($0.label, fontSize: size) }.max() ?? 0
    return Size(width: 8 + 18 + 6 + textWidth + 8, height: Double(entries.count) * size * 1.5 + 8)
}

/// Draws a boxed legend with its top-right corner at `topRight`.
/// - Returns: The legend's frame.
@discardableResult
func drawLegend<R: Renderer>(
    _ entries: [LegendEntry], topRight: Point, theme: Theme, into renderer: inout R
) -> Rect {
    guard !entries.isEmpty else { return Rect(x: topRight.x, y: topRight.y, width: 0, height: 0) }
    let size = theme.fontSize * 0.9
    let rowHeight = size * 1.5
    let keyWidth = 18.0
    let textWidth = entries.map { renderer.textWidth($0.label, fontSize: size) }.max() ?? 0
    let width = 8 + keyWidth + 6 + textWidth + 8
    let height = Double(entries.count) * rowHeight + 8
    let box = Rect(x: topRight.x - width, y: topRight.y, width: width, height: height)
    renderer.drawRect(
        box, fill: FillStyle(color: theme.background, opacity: 0.85),
        stroke: StrokeStyle(color: theme.grid, width: 1))
    for (index, entry) in entries.enumerated() {
        let midY = box.y + 4 + rowHeight * (Double(index) + 0.5)
        let keyX = box.x + 8
        switch entry.key {
        case .line(let dash):
            renderer.drawLine(
                from: Point(keyX, midY), to: Point(keyX + keyWidth, midY),
                stroke: StrokeStyle(color: entry.color, width: 2, dash: dash))
        case .swatch(let opacity):
            renderer.drawRect(
                Rect(x: keyX + 2, y: midY - 5, width: keyWidth - 4, height: 10),
                fill: FillStyle(color: entry.color, opacity: opacity),
                stroke: StrokeStyle(color: entry.color, width: 1))
        case .marker:
            renderer.drawCircle(
                center: Point(keyX + keyWidth / 2, midY), radius: 3.5, fill: FillStyle(color: entry.color),
                stroke: nil)
        }
        renderer.drawText(
            entry.label, at: Point(keyX + keyWidth + 6, midY + size * 0.35),
            style: TextStyle(size: size, color: theme.foreground))
    }
    return box
}
