/// Training and validation loss per epoch, with the best epoch (lowest validation loss) marked.
///
/// ```swift
/// let plot = try TrainingCurvePlot(trainingLoss: history.train, validationLoss: history.validation)
/// ```
public struct TrainingCurvePlot: Plot {
    /// Training loss per epoch, `[epochs]` (epoch 1 first).
    public let trainingLoss: [Double]
    /// Validation loss per epoch, `[epochs]`, or empty.
    public let validationLoss: [Double]
    /// The title, or `nil`.
    public let title: String?
    /// The y-axis label.
    public let lossLabel: String
    /// Colours and fonts.
    public let theme: Theme
    /// The drawing size.
    public let size: Size

    /// Creates a training-curve plot.
    /// - Parameters:
    ///   - trainingLoss: Training loss per epoch, `[epochs]`.
    ///   - validationLoss: Validation loss per epoch, `[epochs]` (may be shorter while training
    ///     runs), or empty for none.
    ///   - title: A title, or `nil`.
    ///   - lossLabel: The y-axis label (default "loss (−log q)").
    ///   - theme: The theme.
    ///   - size: The drawing size (default 640 × 360).
    /// - Throws: ``PlottingError/emptyData(_:)`` when both arrays are empty,
    ///   ``PlottingError/shapeMismatch(_:)`` when the validation series is longer than the training series.
    public init(
        trainingLoss: [Double], validationLoss: [Double] = [], title: String? = nil,
        lossLabel: String = "loss (−log q)", theme: Theme = .default, size: Size = Size(width: 640, height: 360)
    ) throws {
        guard !trainingLoss.isEmpty || !validationLoss.isEmpty else {
            throw PlottingError.emptyData("a training curve needs at least one loss value")
        }
        guard trainingLoss.isEmpty || validationLoss.count <= trainingLoss.count else {
            throw PlottingError.shapeMismatch(
                "\(validationLoss.count) validation losses but only \(trainingLoss.count) training losses")
        }
        guard size.width >= 120, size.height >= 80, size.width <= 20_000, size.height <= 20_000 else {
            throw PlottingError.invalidOption("a training curve needs at least 120 × 80 pixels")
        }
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.title = title
        self.lossLabel = lossLabel
        self.theme = theme
        self.size = size
    }

    /// The best epoch (1-based) and its loss: the lowest finite validation loss, or the lowest
    /// training loss when there is no validation series; `nil` when no loss is finite.
    public var bestEpoch: (epoch: Int, loss: Double)? {
        let series = validationLoss.isEmpty ? trainingLoss : validationLoss
        var best: (Int, Double)?
        for (index, value) in series.enumerated() where value.isFinite {
            if best == nil || value < best!.1 { best = (index + 1, value) }
        }
        return best
    }

    /// A one-line summary.
    public var textDescription: String {
        var text = "Training curve" + (title.map { " '\($0)'" } ?? "") + ": \(trainingLoss.count) epochs"
        if let last = trainingLoss.last {
            text += ", final training loss " + NumberFormatting.significant(last, digits: 4)
        }
        if let last = validationLoss.last {
            text += ", final validation loss " + NumberFormatting.significant(last, digits: 4)
        }
        if let best = bestEpoch {
            text +=
                "; best epoch \(best.epoch) (" + (validationLoss.isEmpty ? "training" : "validation") + " loss "
                + NumberFormatting.significant(best.loss, digits: 4) + ")"
        }
        return text + "."
    }

    /// The chart content, shared with the compact progress card.
    func content() -> ChartContent {
        var content = ChartContent()
        let trainColor = theme.color(at: 0)
        let validationColor = theme.color(at: 1)
        let count = max(trainingLoss.count, validationLoss.count)
        let epochs = (0..<count).map { Double($0 + 1) }
        if !trainingLoss.isEmpty {
            content.lines.append(
                .init(
                    xs: Array(epochs.prefix(trainingLoss.count)), ys: trainingLoss,
                    stroke: StrokeStyle(color: trainColor, width: 1.8)))
        }
        if !validationLoss.isEmpty {
            content.lines.append(
                .init(
                    xs: Array(epochs.prefix(validationLoss.count)), ys: validationLoss,
                    stroke: StrokeStyle(color: validationColor, width: 1.8, dash: [5, 3])))
        }
        if let best = bestEpoch {
            content.rules.append(
                .init(
                    orientation: .vertical, value: Double(best.epoch),
                    stroke: StrokeStyle(color: theme.mutedForeground, width: 1, dash: [2, 3])))
            content.markers.append(
                .init(
                    x: Double(best.epoch), y: best.loss, color: validationLoss.isEmpty ? trainColor : validationColor))
        }
        content.xDomain = count > 1 ? 1...Double(count) : 0.5...1.5
        return content
    }

    /// Draws the loss curves, the best-epoch marker and the legend.
    public func draw<R: Renderer>(into renderer: inout R) {
        renderer.beginDrawing(
            size: size, background: theme.background, title: title ?? "Training curve", description: textDescription)
        ChartFrame.drawTitle(title, size: size, theme: theme, into: &renderer)
        let content = content()
        let domains = content.domains()
        let panel = AxisPanel(
            frame: ChartFrame.panelFrame(size: size, hasTitle: title != nil, theme: theme), xDomain: domains.x,
            yDomain: domains.y
        ).withIntegerXTicks()
        panel.drawGrid(theme: theme, into: &renderer)
        panel.drawContent(content, theme: theme, into: &renderer)
        panel.drawAxes(theme: theme, xLabel: "epoch", yLabel: lossLabel, into: &renderer)
        var entries = [LegendEntry]()
        if !trainingLoss.isEmpty {
            entries.append(.init(label: "training", color: theme.color(at: 0), key: .line(dash: [])))
        }
        if !validationLoss.isEmpty {
            entries.append(.init(label: "validation", color: theme.color(at: 1), key: .line(dash: [5, 3])))
        }
        if let best = bestEpoch {
            entries.append(
                .init(
                    label: "best epoch \(best.epoch): " + NumberFormatting.significant(best.loss, digits: 4),
                    color: validationLoss.isEmpty ? theme.color(at: 0) : theme.color(at: 1), key: .marker))
        }
        drawLegend(entries, topRight: Point(panel.frame.maxX - 6, panel.frame.y + 6), theme: theme, into: &renderer)
    }
}
