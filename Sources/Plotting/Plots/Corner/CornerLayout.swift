/// Where the panels, titles and legend of a ``CornerPlot`` go.
struct CornerLayout {
    let count: Int
    let panel: Double
    let gap: Double = 6
    let left: Double = 72
    let right: Double
    /// The legend's size (computed from its entries).
    let legendSize: Size
    let bottom: Double = 72
    let titleHeight: Double
    let summaryLineHeight: Double
    let summaryHeight: Double
    let top: Double

    init(plot: CornerPlot) {
        count = plot.parameters.count
        panel = plot.panelSize
        titleHeight = plot.title == nil ? 0 : plot.theme.fontSize * 1.3 + 10
        summaryLineHeight = plot.theme.fontSize * 0.8 * 1.25
        summaryHeight = Double(plot.sets.count) * summaryLineHeight + 6
        top = 10 + titleHeight + summaryHeight
        legendSize = legendBoxSize(plot.legendEntries, theme: plot.theme)
        // The legend sits in the empty upper-right triangle, starting at the second column; widen
        // the right margin when it is wider than that triangle.
        let free = count > 1 ? Double(count - 1) * (panel + gap) - gap : 0
        // With one parameter there is no free triangle: the legend goes right of the panel.
        right = count > 1 ? max(14, legendSize.width - free + 14) : legendSize.width + 24
    }

    /// The legend's top-right corner.
    var legendTopRight: Point {
        if count == 1 {
            let frame = self.frame(row: 0, column: 0)
            return Point(frame.maxX + 12 + legendSize.width, frame.y)
        }
        let second = frame(row: 0, column: 1)
        let last = frame(row: 0, column: count - 1)
        return Point(max(last.maxX, second.x + legendSize.width), second.y)
    }

    var size: Size {
        let grid = Double(count) * panel + Double(count - 1) * gap
        return Size(width: (left + grid + right).rounded(.up), height: (top + grid + bottom).rounded(.up))
    }

    /// The frame of the panel in `row` and `column` (row 0 at the top).
    func frame(row: Int, column: Int) -> Rect {
        Rect(
            x: left + Double(column) * (panel + gap), y: top + Double(row) * (panel + gap), width: panel,
            height: panel)
    }
}
