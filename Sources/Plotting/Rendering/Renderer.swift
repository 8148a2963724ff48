/// How a line is drawn.
public struct StrokeStyle: Equatable, Sendable {
    /// Line colour.
    public var color: Color
    /// Line width in pixels.
    public var width: Double
    /// Opacity from 0 to 1.
    public var opacity: Double
    /// Dash pattern in pixels (on, off, …); empty for a solid line.
    public var dash: [Double]

    /// Creates a stroke style.
    public init(color: Color, width: Double = 1, opacity: Double = 1, dash: [Double] = []) {
        self.color = color
        self.width = width
        self.opacity = opacity
        self.dash = dash
    }
}

/// How an area is filled.
public struct FillStyle: Equatable, Sendable {
    /// Fill colour.
    public var color: Color
    /// Opacity from 0 to 1.
    public var opacity: Double

    /// Creates a fill style.
    public init(color: Color, opacity: Double = 1) {
        self.color = color
        self.opacity = opacity
    }
}

/// How text is drawn.
public struct TextStyle: Equatable, Sendable {
    /// Horizontal alignment relative to the anchor point.
    public enum Anchor: String, Sendable {
        /// The text starts at the point.
        case start
        /// The text is centred on the point.
        case middle
        /// The text ends at the point.
        case end
    }

    /// Font size in pixels.
    public var size: Double
    /// Text colour.
    public var color: Color
    /// Horizontal alignment.
    public var anchor: Anchor
    /// Bold text.
    public var bold: Bool
    /// Rotation in degrees about the anchor point (−90 reads bottom to top).
    public var rotation: Double

    /// Creates a text style.
    public init(
        size: Double, color: Color, anchor: Anchor = .start, bold: Bool = false, rotation: Double = 0
    ) {
        self.size = size
        self.color = color
        self.anchor = anchor
        self.bold = bold
        self.rotation = rotation
    }
}

/// Draws the primitives a plot is made of (SwiftPlot's `Renderer`: plots say what to draw, a
/// renderer decides how).
///
/// Coordinates are pixels with the origin at the top left. Text is positioned at its baseline.
/// ``SVGRenderer`` is the implementation every plot uses for notebook output.
public protocol Renderer {
    /// Starts a drawing of the given size on an opaque background.
    /// - Parameters:
    ///   - size: The drawing size in pixels.
    ///   - background: The background colour.
    ///   - title: A short title (SVG `<title>`).
    ///   - description: A longer description for screen readers (SVG `<desc>`).
    mutating func beginDrawing(size: Size, background: Color, title: String, description: String)

    /// Draws a rectangle.
    mutating func drawRect(_ rect: Rect, fill: FillStyle?, stroke: StrokeStyle?)

    /// Draws a straight line.
    mutating func drawLine(from start: Point, to end: Point, stroke: StrokeStyle)

    /// Draws an open polyline through `points` (nothing for fewer than two points).
    mutating func drawPolyline(_ points: [Point], stroke: StrokeStyle)

    /// Draws closed rings as one shape filled with the even–odd rule, so that nested rings make
    /// holes.
    /// - Parameters:
    ///   - rings: Closed rings (the last point joins the first), each `[points]`.
    ///   - fill: The fill, or `nil` for outlines only.
    ///   - stroke: The outline, or `nil` for none.
    mutating func drawPolygons(_ rings: [[Point]], fill: FillStyle?, stroke: StrokeStyle?)

    /// Draws a circle.
    mutating func drawCircle(center: Point, radius: Double, fill: FillStyle?, stroke: StrokeStyle?)

    /// Draws one line of text with its baseline at `point`.
    mutating func drawText(_ text: String, at point: Point, style: TextStyle)

    /// Clips everything drawn until the matching ``popClip()`` to `rect`.
    mutating func pushClip(_ rect: Rect)

    /// Ends the innermost clip started by ``pushClip(_:)``.
    mutating func popClip()

    /// The approximate width of `text` at `fontSize`, for layout.
    func textWidth(_ text: String, fontSize: Double) -> Double
}

extension Renderer {
    /// An estimate of text width for a generic sans-serif font: about 0.62 em per character (DejaVu Sans), narrower
    /// for thin glyphs.
    public func textWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "|", "!", "'", "(", ")", "[", "]", " ":
                ems += 0.36
            case "m", "w", "M", "W", "%", "@":
                ems += 0.92
            case "A"..."Z":
                ems += 0.7
            default:
                ems += 0.62
            }
        }
        return ems * fontSize
    }
}
