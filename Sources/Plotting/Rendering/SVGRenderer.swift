/// A ``Renderer`` that writes self-contained SVG 1.1.
///
/// The output has `xmlns`, `version`, `width`, `height` and `viewBox`; it uses generic font
/// families only, contains no scripts, links or images, and formats every coordinate with
/// ``NumberFormatting`` to a fixed number of decimals (one, by default) so that the same plot
/// always gives the same bytes. Element ids (clip paths) carry a prefix derived from a hash of
/// the drawing's content, so that two different plots on one page never share an id.
///
/// ```swift
/// var renderer = SVGRenderer()
/// renderer.beginDrawing(size: Size(width: 100, height: 50), background: .white,
///                       title: "box", description: "a box")
/// renderer.drawRect(Rect(x: 10, y: 10, width: 80, height: 30),
///                   fill: FillStyle(color: .black), stroke: nil)
/// let svg = renderer.finishedDocument()
/// ```
public struct SVGRenderer: Renderer {
    /// Decimal places for coordinates.
    public var decimals: Int
    /// The font family list written on the root element.
    public var fontFamily: String

    private var body = ""
    private var header = ""
    private var clipCount = 0
    private var openClips = 0
    private static let idToken = "\u{1}ID\u{1}"

    /// Creates a renderer.
    /// - Parameters:
    ///   - decimals: Decimal places for coordinates (1 gives 0.1 px resolution).
    ///   - fontFamily: Generic font families for all text.
    public init(decimals: Int = 1, fontFamily: String = "DejaVu Sans, Helvetica, Arial, sans-serif") {
        self.decimals = decimals
        self.fontFamily = fontFamily
        body.reserveCapacity(1 << 16)
    }

    /// Starts the `<svg>` document of the given size (clears what was drawn before).
    public mutating func beginDrawing(
        size: Size, background: Color, title: String, description: String
    ) {
        body = ""
        clipCount = 0
        openClips = 0
        var h = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""
        NumberFormatting.append(size.width, decimals: 0, to: &h)
        h += "\" height=\""
        NumberFormatting.append(size.height, decimals: 0, to: &h)
        h += "\" viewBox=\"0 0 "
        NumberFormatting.append(size.width, decimals: 0, to: &h)
        h += " "
        NumberFormatting.append(size.height, decimals: 0, to: &h)
        h += "\" font-family=\"" + Self.escaped(fontFamily) + "\">\n"
        h += "<title>" + Self.escaped(title) + "</title>\n"
        h += "<desc>" + Self.escaped(description) + "</desc>\n"
        h += "<rect width=\"100%\" height=\"100%\" fill=\"" + background.svgValue + "\"/>\n"
        header = h
    }

    /// Appends a `<rect>`.
    public mutating func drawRect(_ rect: Rect, fill: FillStyle?, stroke: StrokeStyle?) {
        body += "<rect x=\""
        number(rect.x)
        body += "\" y=\""
        number(rect.y)
        body += "\" width=\""
        number(max(0, rect.width))
        body += "\" height=\""
        number(max(0, rect.height))
        body += "\""
        paint(fill: fill, stroke: stroke)
        body += "/>\n"
    }

    /// Appends a `<line>`.
    public mutating func drawLine(from start: Point, to end: Point, stroke: StrokeStyle) {
        body += "<line x1=\""
        number(start.x)
        body += "\" y1=\""
        number(start.y)
        body += "\" x2=\""
        number(end.x)
        body += "\" y2=\""
        number(end.y)
        body += "\""
        paint(fill: nil, stroke: stroke)
        body += "/>\n"
    }

    /// Appends a `<polyline>` (nothing for fewer than two points).
    public mutating func drawPolyline(_ points: [Point], stroke: StrokeStyle) {
        guard points.count >= 2 else { return }
        body += "<polyline points=\""
        pointList(points)
        body += "\" fill=\"none\""
        paint(fill: nil, stroke: stroke, fillNone: false)
        body += " stroke-linejoin=\"round\"/>\n"
    }

    /// Appends one `<path>` of closed rings, filled by the even-odd rule.
    public mutating func drawPolygons(_ rings: [[Point]], fill: FillStyle?, stroke: StrokeStyle?) {
        let usable = rings.filter { $0.count >= 3 }
        guard !usable.isEmpty else { return }
        body += "<path d=\""
        for ring in usable {
            body += "M"
            pointList(ring)
            body += "Z"
        }
        body += "\" fill-rule=\"evenodd\""
        paint(fill: fill, stroke: stroke)
        if stroke != nil { body += " stroke-linejoin=\"round\"" }
        body += "/>\n"
    }

    /// Appends a `<circle>`.
    public mutating func drawCircle(
        center: Point, radius: Double, fill: FillStyle?, stroke: StrokeStyle?
    ) {
        body += "<circle cx=\""
        number(center.x)
        body += "\" cy=\""
        number(center.y)
        body += "\" r=\""
        number(radius)
        body += "\""
        paint(fill: fill, stroke: stroke)
        body += "/>\n"
    }

    /// Appends a `<text>`, its characters escaped for XML.
    public mutating func drawText(_ text: String, at point: Point, style: TextStyle) {
        body += "<text x=\""
        number(point.x)
        body += "\" y=\""
        number(point.y)
        body += "\" font-size=\""
        number(style.size)
        body += "\" fill=\"" + style.color.svgValue + "\""
        if style.anchor != .start { body += " text-anchor=\"" + style.anchor.rawValue + "\"" }
        if style.bold { body += " font-weight=\"bold\"" }
        if style.rotation != 0 {
            body += " transform=\"rotate("
            number(style.rotation)
            body += " "
            number(point.x)
            body += " "
            number(point.y)
            body += ")\""
        }
        body += ">" + Self.escaped(text) + "</text>\n"
    }

    /// Clips what follows to `rect` until the matching ``popClip()``.
    public mutating func pushClip(_ rect: Rect) {
        clipCount += 1
        let id = Self.idToken + "c" + String(clipCount)
        body += "<clipPath id=\"" + id + "\">"
        drawRectElement(rect)
        body += "</clipPath>\n<g clip-path=\"url(#" + id + ")\">\n"
        openClips += 1
    }

    /// Ends the innermost clip.
    public mutating func popClip() {
        guard openClips > 0 else { return }
        openClips -= 1
        body += "</g>\n"
    }

    /// Closes open groups and returns the SVG document.
    ///
    /// The id prefix is `p` followed by eight hex digits of an FNV-1a hash of the document, so it
    /// is deterministic and differs between plots with different content.
    /// - Returns: The complete SVG text.
    public mutating func finishedDocument() -> String {
        while openClips > 0 { popClip() }
        var document = header + body + "</svg>\n"
        if clipCount > 0 {
            var hash: UInt32 = 0x811C_9DC5
            for byte in document.utf8 {
                hash ^= UInt32(byte)
                hash = hash &* 0x0100_0193
            }
            let hex = String(hash, radix: 16)
            let prefix = "p" + String(repeating: "0", count: 8 - hex.count) + hex + "-"
            document = document.replacingAll(Self.idToken, with: prefix)
        }
        return document
    }

    // MARK: - Writing helpers

    private mutating func drawRectElement(_ rect: Rect) {
        body += "<rect x=\""
        number(rect.x)
        body += "\" y=\""
        number(rect.y)
        body += "\" width=\""
        number(max(0, rect.width))
        body += "\" height=\""
        number(max(0, rect.height))
        body += "\"/>"
    }

    private mutating func number(_ value: Double) {
        NumberFormatting.append(value, decimals: decimals, to: &body)
    }

    private mutating func pointList(_ points: [Point]) {
        var first = true
        for point in points {
            if !first { body += " " }
            first = false
            NumberFormatting.append(point.x, decimals: decimals, to: &body)
            body += ","
            NumberFormatting.append(point.y, decimals: decimals, to: &body)
        }
    }

    private mutating func paint(fill: FillStyle?, stroke: StrokeStyle?, fillNone: Bool = true) {
        if let fill {
            body += " fill=\"" + fill.color.svgValue + "\""
            if fill.opacity < 1 {
                body += " fill-opacity=\""
                NumberFormatting.append(fill.opacity, decimals: 3, to: &body)
                body += "\""
            }
        } else if fillNone {
            body += " fill=\"none\""
        }
        if let stroke {
            body += " stroke=\"" + stroke.color.svgValue + "\" stroke-width=\""
            NumberFormatting.append(stroke.width, decimals: 2, to: &body)
            body += "\""
            if stroke.opacity < 1 {
                body += " stroke-opacity=\""
                NumberFormatting.append(stroke.opacity, decimals: 3, to: &body)
                body += "\""
            }
            if !stroke.dash.isEmpty {
                body += " stroke-dasharray=\""
                body += stroke.dash.map { NumberFormatting.fixed($0, decimals: 1) }.joined(separator: ",")
                body += "\""
            }
        }
    }

    /// `text` with the five XML special characters escaped.
    /// - Parameter text: Any text.
    /// - Returns: Text safe inside an element or a double-quoted attribute.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                // Control characters other than tab and newline are not allowed in XML 1.0.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension String {
    /// This string with every occurrence of `target` replaced (byte-wise on UTF-8; no
    /// Foundation).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8)
        let pattern = Array(target.utf8)
        let substitute = Array(replacement.utf8)
        guard !pattern.isEmpty, source.count >= pattern.count else { return self }
        var output: [UInt8] = []
        output.reserveCapacity(source.count + 64)
        var index = 0
        let first = pattern[0]
        while index < source.count {
            if source[index] == first, index + pattern.count <= source.count,
                source[index..<(index + pattern.count)].elementsEqual(pattern)
            {
                output.append(contentsOf: substitute)
                index += pattern.count
            } else {
                output.append(source[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
