/// Deterministic fixed-precision number formatting for SVG output and tick labels.
///
/// Output never depends on the locale or on the platform's `printf`, so golden files compare
/// byte for byte. Trailing zeros after the decimal point are dropped and `-0` prints as `0`.
public enum NumberFormatting {
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// Appends `value` rounded to `decimals` decimal places to `text`.
    /// - Parameters:
    ///   - value: The number; non-finite values print as `0`.
    ///   - decimals: Decimal places, 0–6.
    ///   - text: The string to append to.
    ///   - trimmingZeros: Drop trailing zeros after the decimal point (the default).
    public static func append(_ value: Double, decimals: Int, to text: inout String, trimmingZeros: Bool = true) {
        let places = min(max(decimals, 0), 6)
        let scale = powersOfTen[places]
        guard value.isFinite else {
            text.append("0")
            return
        }
        let scaled = (value * scale).rounded()
        guard abs(scaled) < 9.0e15 else {
            // Clamped: `Int64(1e300)` would trap. No drawing needs coordinates this large.
            text.append(String(Int64(min(max(value.rounded(), -9.0e18), 9.0e18))))
            return
        }
        let integer = Int64(scaled)
        if integer == 0 {
            text.append("0")
            if !trimmingZeros && places > 0 { text.append("." + String(repeating: "0", count: places)) }
            return
        }
        if integer < 0 { text.append("-") }
        let magnitude = integer.magnitude
        let unit = UInt64(scale)
        text.append(String(magnitude / unit))
        var fraction = magnitude % unit
        guard fraction != 0 || (!trimmingZeros && places > 0) else { return }
        var width = places
        while trimmingZeros && fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        text.append(".")
        let digits = String(fraction)
        if digits.count < width { text.append(String(repeating: "0", count: width - digits.count)) }
        text.append(digits)
    }

    /// `value` rounded to `decimals` decimal places, without trailing zeros.
    /// - Parameters:
    ///   - value: The number.
    ///   - decimals: Decimal places, 0–6.
    ///   - trimmingZeros: Drop trailing zeros after the decimal point (the default).
    /// - Returns: The formatted number, e.g. `fixed(2.50, decimals: 2) == "2.5"`, or `"2.50"`
    ///   when not trimming.
    public static func fixed(_ value: Double, decimals: Int, trimmingZeros: Bool = true) -> String {
        var text = ""
        append(value, decimals: decimals, to: &text, trimmingZeros: trimmingZeros)
        return text
    }

    /// `value` with `significantDigits` significant digits, in scientific notation (`1.2e-05`
    /// style, written `1.2e-5`) when its magnitude is below 1e-3 or at least 1e5.
    /// - Parameters:
    ///   - value: The number.
    ///   - significantDigits: Significant digits, 1–7.
    /// - Returns: The formatted number.
    public static func significant(_ value: Double, digits significantDigits: Int = 3) -> String {
        // Readable and never "nan"/"inf" (which SVG consumers can mistake for numbers).
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
        if value == 0 { return "0" }
        let digits = min(max(significantDigits, 1), 7)
        var exponent = Int(floor(log10(abs(value))))
        // Rounding may carry into the next decade (9.996 → 10.0).
        let mantissaScale = pow10(digits - 1 - exponent)
        if abs((value * mantissaScale).rounded()) >= pow10(digits) { exponent += 1 }
        if exponent < -3 || exponent >= 5 {
            let mantissa = value / pow10(exponent)
            return fixed(mantissa, decimals: digits - 1) + "e" + String(exponent)
        }
        return fixed(value, decimals: max(0, min(6, digits - 1 - exponent)))
    }

    /// A compact duration such as `42 s`, `3 min 05 s` or `1 h 02 min`.
    /// - Parameter seconds: The duration in seconds (negative values print as `0 s`).
    /// - Returns: The formatted duration.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(max(0, seconds).rounded())
        if total < 60 { return "\(total) s" }
        let hours = total / 3600
        let minutes = (total % 3600) / 60
        let secs = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if hours == 0 { return "\(minutes) min \(two(secs)) s" }
        return "\(hours) h \(two(minutes)) min"
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
        } else {
            for _ in 0..<(-exponent) { result /= 10 }
        }
        return result
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
