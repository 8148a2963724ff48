import Foundation

/// A plot: a value that knows its data and options and draws itself through a ``Renderer``
/// (SwiftPlot's `Plot`/`Renderer` split).
///
/// Every plot has an ``svg`` document, a ``textDescription`` (the `text/plain` fallback shown
/// by consoles and screen readers) and can be saved with ``save(to:)``.
public protocol Plot {
    /// The drawing size in pixels.
    var size: Size { get }

    /// A plain-text description of what the plot shows (its `text/plain` representation).
    var textDescription: String { get }

    /// Draws the plot, starting with ``Renderer/beginDrawing(size:background:title:description:)``.
    /// - Parameter renderer: The renderer to draw with.
    func draw<R: Renderer>(into renderer: inout R)
}

extension Plot {
    /// The plot as a self-contained, deterministic SVG 1.1 document.
    public var svg: String {
        var renderer = SVGRenderer()
        draw(into: &renderer)
        return renderer.finishedDocument()
    }

    /// Writes the plot as an SVG file.
    ///
    /// ```swift
    /// try plot.save(to: "posterior.svg")
    /// ```
    /// - Parameter path: The file path; it must end in `.svg`.
    /// - Throws: ``PlottingError/invalidOption(_:)`` for another extension,
    ///   ``PlottingError/writeFailed(_:)`` when the file cannot be written.
    public func save(to path: String) throws {
        guard path.lowercased().hasSuffix(".svg") else {
            throw PlottingError.invalidOption(
                "cannot save to '\(path)': only .svg files are supported")
        }
        do {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PlottingError.writeFailed("\(path): \(error.localizedDescription)")
        }
    }
}
