/// A snapshot of a counted task (simulations run, samples drawn) for a live progress display:
/// done of total, rate and estimated time left, as a compact SVG card and a one-line text.
public struct TaskProgress: Plot {
    /// The task's title.
    public var title: String
    /// The number of items planned.
    public var total: Int
    /// The number of items done.
    public var completed: Int = 0
    /// The plural noun for an item ("simulations").
    public var unit: String
    /// Seconds since the task started.
    public var elapsedSeconds: Double = 0
    /// Whether the task has ended.
    public var isFinished = false
    /// Colours and fonts.
    public var theme: Theme

    /// Creates the state before the first item.
    /// - Parameters:
    ///   - title: The task's title.
    ///   - total: The number of items planned (at least 1).
    ///   - unit: The plural noun for an item.
    ///   - theme: The theme.
    public init(title: String, total: Int, unit: String = "items", theme: Theme = .default) {
        self.title = title
        self.total = max(1, total)
        self.unit = unit
        self.theme = theme
    }

    /// The fraction done, 0–1.
    public var fractionDone: Double {
        guard total > 0 else { return 1 }  // `total` is public: 0 or negative must not divide
        return min(1, Double(max(0, completed)) / Double(total))
    }

    /// Items per second so far; `nil` before any time has passed.
    public var rate: Double? { elapsedSeconds > 0 && completed > 0 ? Double(completed) / elapsedSeconds : nil }

    /// Seconds left at the current rate; `nil` before the first item, 0 when finished.
    public var estimatedSecondsRemaining: Double? {
        if isFinished { return 0 }
        guard let rate else { return nil }
        return Double(max(0, total - completed)) / rate
    }

    /// One console line: `title  1200/5000 simulations [####......]  850/s  4 s left`.
    public var textLine: String {
        let width = 20
        let filled = Int((fractionDone * Double(width)).rounded(.down))
        var line = "\(title)  \(completed)/\(total) \(unit) ["
        line += String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        if let rate { line += "  " + NumberFormatting.significant(rate, digits: 3) + "/s" }
        if isFinished {
            line += "  done in " + NumberFormatting.duration(elapsedSeconds)
        } else if let remaining = estimatedSecondsRemaining {
            line += "  " + NumberFormatting.duration(remaining) + " left"
        }
        return line
    }

    /// The text line (the `text/plain` representation).
    public var textDescription: String { textLine }

    /// The card size: 420 × 96 pixels.
    public var size: Size { Size(width: 420, height: 96) }

    /// Draws the card: title, counter, progress bar, rate and times.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(size: size, background: theme.background, title: title, description: textLine)
        let text = TextStyle(size: theme.fontSize, color: theme.foreground)
        renderer.drawText(
            title, at: Point(12, 22), style: TextStyle(size: theme.fontSize * 1.1, color: theme.foreground, bold: true))
        let percent = NumberFormatting.fixed(fractionDone * 100, decimals: 0) + "%"
        renderer.drawText(
            "\(completed) / \(total) \(unit)  (\(percent))" + (isFinished ? "  finished" : ""), at: Point(12, 42),
            style: text)
        let bar = Rect(x: 12, y: 52, width: 396, height: 10)
        renderer.drawRect(bar, fill: FillStyle(color: theme.grid), stroke: nil)
        renderer.drawRect(
            Rect(x: bar.x, y: bar.y, width: bar.width * fractionDone, height: bar.height),
            fill: FillStyle(color: theme.color(at: 0)), stroke: nil)
        var times = "elapsed " + NumberFormatting.duration(elapsedSeconds)
        if let rate { times += " · " + NumberFormatting.significant(rate, digits: 3) + " \(unit)/s" }
        if !isFinished, let remaining = estimatedSecondsRemaining {
            times += " · about " + NumberFormatting.duration(remaining) + " left"
        }
        renderer.drawText(
            times, at: Point(12, 82), style: TextStyle(size: theme.fontSize * 0.9, color: theme.mutedForeground))
    }
}
