/// A snapshot of a training run for a live progress display: epoch of total, the latest losses,
/// a small loss curve and the estimated time left, as a compact SVG card and a one-line text.
///
/// The notebook layer (`TrainingProgressDisplay` in GNPE) shows it with a display id and
/// replaces it in place as training proceeds.
public struct TrainingProgress: Plot {
    /// The run's title.
    public var title: String
    /// The number of epochs planned.
    public var totalEpochs: Int
    /// Training loss of each finished epoch, `[epochs]`.
    public var trainingLoss: [Double] = []
    /// Validation loss of each finished epoch, `[epochs]` (may be empty).
    public var validationLoss: [Double] = []
    /// The last finished epoch (1-based; 0 before the first).
    public var epoch: Int = 0
    /// Seconds since training started.
    public var elapsedSeconds: Double = 0
    /// Whether training has ended (early stopping, completion or interruption).
    public var isFinished = false
    /// Colours and fonts.
    public var theme: Theme

    /// Creates the state before the first epoch.
    /// - Parameters:
    ///   - title: The run's title.
    ///   - totalEpochs: The number of epochs planned (at least 1).
    ///   - theme: The theme.
    public init(title: String, totalEpochs: Int, theme: Theme = .default) {
        self.title = title
        self.totalEpochs = max(1, totalEpochs)
        self.theme = theme
    }

    /// Seconds left, extrapolated from the mean epoch time; `nil` before the first epoch, 0 when finished.
    public var estimatedSecondsRemaining: Double? {
        if isFinished { return 0 }
        guard epoch > 0 else { return nil }
        return elapsedSeconds / Double(epoch) * Double(max(0, totalEpochs - epoch))
    }

    /// The fraction of epochs done, 0–1.
    public var fractionDone: Double {
        guard totalEpochs > 0 else { return 1 }  // public vars: never divide by 0 or go negative
        return min(1, Double(max(0, epoch)) / Double(totalEpochs))
    }

    /// One line for a console: `title  epoch 12/50 [#####.....]  train 1.234  val 1.301  42 s left`.
    public var textLine: String {
        let width = 20
        let filled = Int((fractionDone * Double(width)).rounded(.down))
        var line = "\(title)  epoch \(epoch)/\(totalEpochs) ["
        line += String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        if let loss = trainingLoss.last { line += "  train " + NumberFormatting.significant(loss, digits: 4) }
        if let loss = validationLoss.last { line += "  val " + NumberFormatting.significant(loss, digits: 4) }
        if isFinished {
            line += "  done in " + NumberFormatting.duration(elapsedSeconds)
        } else if let remaining = estimatedSecondsRemaining {
            line += "  " + NumberFormatting.duration(remaining) + " left"
        }
        return line
    }

    /// The text line (the `text/plain` representation).
    public var textDescription: String { textLine }

    /// The card size: 560 × 132 pixels.
    public var size: Size { Size(width: 560, height: 132) }

    /// Draws the card: title, epoch counter, progress bar, losses, times and a loss curve.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(size: size, background: theme.background, title: title, description: textLine)
        let fontSize = theme.fontSize
        let text = TextStyle(size: fontSize, color: theme.foreground)
        let muted = TextStyle(size: fontSize * 0.9, color: theme.mutedForeground)
        renderer.drawText(
            title, at: Point(12, 22), style: TextStyle(size: fontSize * 1.1, color: theme.foreground, bold: true))
        renderer.drawText(
            "epoch \(epoch) / \(totalEpochs)" + (isFinished ? "  (finished)" : ""), at: Point(12, 44), style: text)
        let bar = Rect(x: 12, y: 54, width: 240, height: 10)
        renderer.drawRect(bar, fill: FillStyle(color: theme.grid), stroke: nil)
        renderer.drawRect(
            Rect(x: bar.x, y: bar.y, width: bar.width * fractionDone, height: bar.height),
            fill: FillStyle(color: theme.color(at: 0)), stroke: nil)
        var losses = ""
        if let loss = trainingLoss.last { losses += "train " + NumberFormatting.significant(loss, digits: 4) }
        if let loss = validationLoss.last {
            losses += (losses.isEmpty ? "" : "   ") + "validation " + NumberFormatting.significant(loss, digits: 4)
        }
        renderer.drawText(losses.isEmpty ? "waiting for the first epoch" : losses, at: Point(12, 84), style: text)
        var times = "elapsed " + NumberFormatting.duration(elapsedSeconds)
        if !isFinished, let remaining = estimatedSecondsRemaining {
            times += " · about " + NumberFormatting.duration(remaining) + " left"
        }
        renderer.drawText(times, at: Point(12, 106), style: muted)

        // The loss curve.
        guard !trainingLoss.isEmpty || !validationLoss.isEmpty,
            let curve = try? TrainingCurvePlot(trainingLoss: trainingLoss, validationLoss: validationLoss, theme: theme)
        else { return }
        var small = theme
        small.fontSize = 9
        var content = curve.content()
        content.xDomain = 1...Double(max(2, totalEpochs))
        let panel = AxisPanel(
            frame: Rect(x: 310, y: 12, width: 236, height: 92), xDomain: content.xDomain!, yDomain: content.domains().y,
            xTickCount: 4, yTickCount: 3
        ).withIntegerXTicks(targetCount: 4)
        panel.drawGrid(theme: small, into: &renderer)
        panel.drawContent(content, theme: small, into: &renderer)
        panel.drawAxes(theme: small, xLabel: nil, yLabel: nil, into: &renderer)
    }
}
