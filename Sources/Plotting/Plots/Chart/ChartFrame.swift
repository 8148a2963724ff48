/// Margins and title placement for single-panel charts. Internal.
enum ChartFrame {
    /// The plotting area of a chart of `size` with an optional title.
    static func panelFrame(size: Size, hasTitle: Bool, theme: Theme, left: Double = 72) -> Rect {
        let top = hasTitle ? theme.fontSize * 1.2 + 22 : 14
        return Rect(x: left, y: top, width: size.width - left - 20, height: size.height - top - 52)
    }

    /// Draws the chart title centred at the top.
    static func drawTitle<R: Renderer>(_ title: String?, size: Size, theme: Theme, into renderer: inout R) {
        guard let title else { return }
        renderer.drawText(
            title, at: Point(size.width / 2, 8 + theme.fontSize * 1.2),
            style: TextStyle(size: theme.fontSize * 1.2, color: theme.foreground, anchor: .middle, bold: true))
    }
}
