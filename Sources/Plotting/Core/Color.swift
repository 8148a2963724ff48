/// An sRGB colour with 8-bit channels, written to SVG as `#rrggbb`.
public struct Color: Equatable, Hashable, Sendable {
    /// Red channel, 0–255.
    public var red: UInt8
    /// Green channel, 0–255.
    public var green: UInt8
    /// Blue channel, 0–255.
    public var blue: UInt8

    /// Creates a colour from its channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Creates a colour from a hexadecimal literal such as `0xE69F00`.
    /// - Parameter hex: The colour as `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(
            red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// The colour as an SVG attribute value, `#rrggbb` in lower case.
    public var svgValue: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = "#"
        for channel in [red, green, blue] {
            text.append(digits[Int(channel >> 4)])
            text.append(digits[Int(channel & 0xF)])
        }
        return text
    }

    /// This colour mixed with `other`.
    /// - Parameters:
    ///   - other: The colour to mix in.
    ///   - fraction: The share of `other`, from 0 (this colour) to 1 (`other`).
    /// - Returns: The mixed colour.
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = min(max(fraction, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) * (1 - t) + Double(b) * t).rounded())
        }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    /// White.
    public static let white = Color(hex: 0xFFFFFF)
    /// Black.
    public static let black = Color(hex: 0x000000)
}

/// Colour sequences for series and sample sets.
///
/// The default is the palette of Okabe and Ito (2008), "Color Universal Design", whose eight
/// colours stay distinguishable under the common forms of colour-blindness.
public enum Palette {
    /// The Okabe–Ito colours in the order used for series on light backgrounds: blue,
    /// vermillion, bluish green, orange, reddish purple, sky blue, yellow, black.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xE69F00),
        Color(hex: 0xCC79A7), Color(hex: 0x56B4E9), Color(hex: 0xF0E442), Color(hex: 0x000000),
    ]

    /// The Okabe–Ito colours ordered for dark backgrounds (the dark blue and black last): sky
    /// blue, orange, bluish green, vermillion, reddish purple, yellow, blue, white.
    public static let okabeItoOnDark: [Color] = [
        Color(hex: 0x56B4E9), Color(hex: 0xE69F00), Color(hex: 0x009E73), Color(hex: 0xD55E00),
        Color(hex: 0xCC79A7), Color(hex: 0xF0E442), Color(hex: 0x0072B2), Color(hex: 0xFFFFFF),
    ]
}
