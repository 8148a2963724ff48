/// Colours and type sizes shared by every plot: a light and a dark variant matching JupyterLab's
/// default themes.
public struct Theme: Equatable, Sendable {
    /// The page background (opaque, so that the plot reads on any notebook background).
    public var background: Color
    /// Text, axes and tick colour.
    public var foreground: Color
    /// Secondary text (tick labels, legends).
    public var mutedForeground: Color
    /// Grid lines and panel frames.
    public var grid: Color
    /// Colour for true parameter values and reference lines.
    public var reference: Color
    /// Colours for series and sample sets, in order.
    public var palette: [Color]
    /// The font family list (generic families only: no external fonts).
    public var fontFamily: String
    /// Base font size in pixels (tick labels use 85 % of it, titles 120 %).
    public var fontSize: Double

    /// Creates a theme.
    public init(
        background: Color, foreground: Color, mutedForeground: Color, grid: Color, reference: Color,
        palette: [Color], fontFamily: String = "DejaVu Sans, Helvetica, Arial, sans-serif",
        fontSize: Double = 12
    ) {
        self.background = background
        self.foreground = foreground
        self.mutedForeground = mutedForeground
        self.grid = grid
        self.reference = reference
        self.palette = palette.isEmpty ? Palette.okabeIto : palette
        self.fontFamily = fontFamily
        self.fontSize = fontSize
    }

    /// Dark text on white, Okabe–Ito colours (JupyterLab Light).
    public static let light = Theme(
        background: .white, foreground: Color(hex: 0x212121), mutedForeground: Color(hex: 0x555555),
        grid: Color(hex: 0xE3E3E3), reference: Color(hex: 0x000000), palette: Palette.okabeIto)

    /// Light text on JupyterLab Dark's `#111111`, Okabe–Ito colours reordered for contrast.
    public static let dark = Theme(
        background: Color(hex: 0x111111), foreground: Color(hex: 0xE0E0E0),
        mutedForeground: Color(hex: 0xB0B0B0), grid: Color(hex: 0x333333),
        reference: Color(hex: 0xFFFFFF), palette: Palette.okabeItoOnDark)

    /// The theme plots use when none is given; set it once in a notebook to match the front end:
    /// `Theme.default = .dark`. Starts as ``light``.
    nonisolated(unsafe) public static var `default`: Theme = .light

    /// The palette colour for series `index`, cycling when there are more series than colours.
    /// - Parameter index: The series index (0-based).
    /// - Returns: The colour.
    public func color(at index: Int) -> Color {
        palette[((index % palette.count) + palette.count) % palette.count]
    }
}
