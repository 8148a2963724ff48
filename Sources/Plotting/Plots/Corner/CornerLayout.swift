/// Where the panels, titles and legend of a ``CornerPlot`` go.
struct CornerLayout {
    let count: Int
    let panel: Double
    let gap: Double = 6
    let left: Double = 72
    let right: Double = 14
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
