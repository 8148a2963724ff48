import Plotting

extension Plot {
    /// The plot's notebook representations: the SVG document (`image/svg+xml`, which JupyterLab
    /// draws inside an `<img>`) and its plain-text description (`text/plain`).
    public var plotMimeBundle: [String: String] {
        ["image/svg+xml": svg, "text/plain": textDescription]
    }
}

// A cell ending in a plot shows it; `display(plot)` shows it mid-cell.

extension CornerPlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension DataPlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension TrainingCurvePlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension CoveragePlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension DriftPlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension SkyMap: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension ImportanceWeightPlot: RichDisplayable {
    /// The SVG and its text description.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension TrainingProgress: RichDisplayable {
    /// The progress card and its one-line text.
    public var mimeBundle: [String: String] { plotMimeBundle }
}

extension TaskProgress: RichDisplayable {
    /// The progress card and its one-line text.
    public var mimeBundle: [String: String] { plotMimeBundle }
}
