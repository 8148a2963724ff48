/// Tick positions at "nice" numbers and their labels.
///
/// Tick steps are 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph labels",
/// Graphics Gems, 1990). Labels use scientific notation when the ticks are very large or very
/// small (magnitude ≥ 1e5 or step < 1e-3) and otherwise just enough decimals to tell
/// neighbouring ticks apart.
public struct Ticks: Equatable, Sendable {
    /// Tick values in increasing order, all inside the requested range.
    public var values: [Double]
    /// The distance between neighbouring ticks (for logarithmic ticks, the decade ratio).
    public var step: Double
    /// One label per value.
    public var labels: [String]

    /// Nice linear ticks inside `range`.
    /// - Parameters:
    ///   - range: The data range; a degenerate range gets a single tick.
    ///   - targetCount: About how many ticks are wanted (at least 2).
    /// - Returns: The ticks; `values.count` is usually within ±2 of `targetCount`.
    public static func linear(in range: ClosedRange<Double>, targetCount: Int = 5) -> Ticks {
        let lower = range.lowerBound
        let upper = range.upperBound
        guard lower.isFinite, upper.isFinite else { return Ticks(values: [], step: 1, labels: []) }
        guard upper > lower else {
            return Ticks(values: [lower], step: 1, labels: [label(lower, step: max(abs(lower), 1))])
        }
        // Take the nice step nearest to the target; make it finer (5 → 2 → 1 → 0.5 …) while that
        // leaves too few ticks inside the range.
        var step = niceNumber((upper - lower) / Double(max(targetCount - 1, 1)), rounding: true)
        var values = tickValues(lower, upper, step)
        let minimum = max(2, targetCount - 2)
        var attempts = 0
        while values.count < minimum && attempts < 6 {
            step = nextFinerNiceStep(step)
            values = tickValues(lower, upper, step)
            attempts += 1
        }
        return Ticks(values: values, step: step, labels: values.map { label($0, step: step) })
    }

    /// Nice ticks at whole numbers only (for epochs and iterations): as ``linear(in:targetCount:)``
    /// but never finer than a step of 1.
    /// - Parameters:
    ///   - range: The data range.
    ///   - targetCount: About how many ticks are wanted.
    /// - Returns: The ticks.
    public static func integers(in range: ClosedRange<Double>, targetCount: Int = 5) -> Ticks {
        let ticks = linear(in: range, targetCount: targetCount)
        guard ticks.step < 1 else { return ticks }
        let values = tickValues(range.lowerBound, range.upperBound, 1)
        return Ticks(values: values, step: 1, labels: values.map { label($0, step: 1) })
    }

    private static func tickValues(_ lower: Double, _ upper: Double, _ step: Double) -> [Double] {
        let first = (lower / step).rounded(.up)
        let last = (upper / step).rounded(.down)
        var values: [Double] = []
        guard last >= first else { return values }
        var k = first
        while k <= last + 0.5 && values.count < 1000 {
            var value = k * step
            if abs(value) < step * 1e-9 { value = 0 }
            values.append(value)
            k += 1
        }
        return values
    }

    /// The next smaller step of the 1–2–5 sequence.
    private static func nextFinerNiceStep(_ step: Double) -> Double {
        let exponent = floor(log10(step) + 1e-9)
        let power = pow(10, exponent)
        let mantissa = (step / power).rounded()
        switch mantissa {
        case 5: return 2 * power
        case 2: return power
        default: return 0.5 * power
        }
    }

    /// Ticks at powers of ten inside `range` (positive values), thinned to about `targetCount`.
    /// - Parameters:
    ///   - range: A positive data range.
    ///   - targetCount: About how many ticks are wanted.
    /// - Returns: The ticks; `step` is the ratio between neighbours (10, 100, …).
    public static func logarithmic(in range: ClosedRange<Double>, targetCount: Int = 5) -> Ticks {
        let lower = max(range.lowerBound, Double.leastNormalMagnitude)
        let upper = max(range.upperBound, lower)
        // log10 of NaN or ∞ must not reach `Int(_:)`; linear ticks handle (refuse) those.
        guard lower.isFinite, upper.isFinite else { return linear(in: range, targetCount: targetCount) }
        let first = Int((log10(lower) - 1e-9).rounded(.up))
        let last = Int((log10(upper) + 1e-9).rounded(.down))
        guard last >= first else { return linear(in: lower...upper, targetCount: targetCount) }
        let stride = max(1, Int((Double(last - first + 1) / Double(max(targetCount, 1))).rounded(.up)))
        var values: [Double] = []
        var exponents: [Int] = []
        var e = first
        while e <= last {
            values.append(NumberFormatting.pow10(e))
            exponents.append(e)
            e += stride
        }
        let labels = exponents.map { e -> String in
            (e < -3 || e >= 5)
                ? "1e" + String(e) : NumberFormatting.fixed(NumberFormatting.pow10(e), decimals: max(0, -e))
        }
        return Ticks(values: values, step: NumberFormatting.pow10(stride), labels: labels)
    }

    /// A nice number near `value`: 1, 2, 5 or 10 times a power of ten.
    /// - Parameters:
    ///   - value: A positive number.
    ///   - rounding: Round to the nearest nice number (`true`) or take the next larger (`false`).
    /// - Returns: The nice number.
    public static func niceNumber(_ value: Double, rounding: Bool) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let exponent = floor(log10(value))
        let power = pow(10, exponent)
        let fraction = value / power
        let nice: Double
        if rounding {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// The label of a tick at `value` among ticks `step` apart.
    /// - Parameters:
    ///   - value: The tick value.
    ///   - step: The tick spacing, which sets the number of decimals shown.
    /// - Returns: The label, e.g. `"0.25"`, `"1500"`, `"2.5e-4"` or `"1.2e6"`.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let stepExponent = Int(floor(log10(abs(step)) + 1e-9))
        let magnitude = max(abs(value), abs(step))
        let valueExponent = Int(floor(log10(magnitude) + 1e-9))
        if valueExponent >= 5 || stepExponent < -3 {
            // Significant digits needed to resolve the step at this value's magnitude.
            let valueOwnExponent = Int(floor(log10(abs(value)) + 1e-9))
            let digits = max(1, min(7, valueOwnExponent - stepExponent + 1))
            return NumberFormatting.significant(value, digits: digits)
        }
        // Decimals for a step like 0.25 (2) or 0.5 (1) or 20 (0).
        var decimals = max(0, -stepExponent)
        let mantissa = step / NumberFormatting.pow10(stepExponent)
        if abs(mantissa - mantissa.rounded()) > 1e-6 { decimals += 1 }
        return NumberFormatting.fixed(value, decimals: min(decimals, 6))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
