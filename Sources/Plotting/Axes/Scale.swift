/// Maps data values on one axis to pixel positions.
public struct Scale: Equatable, Sendable {
    /// How values are spaced along the axis.
    public enum Kind: Equatable, Sendable {
        /// Equal differences are equally spaced.
        case linear
        /// Equal ratios are equally spaced (positive values only).
        case logarithmic
    }

    /// The smallest and largest data value shown.
    public var domain: ClosedRange<Double>
    /// The pixel positions of `domain.lowerBound` and `domain.upperBound` (the first may be larger,
    /// as for a y axis).
    public var pixels: (Double, Double)
    /// Linear or logarithmic.
    public var kind: Kind

    /// Creates a scale.
    /// - Parameters:
    ///   - domain: The data range; a degenerate range is widened by ±0.5 (or ×/÷10 for log).
    ///   - pixels: Pixel positions of the lower and upper ends of the domain.
    ///   - kind: Linear or logarithmic.
    public init(domain: ClosedRange<Double>, pixels: (Double, Double), kind: Kind = .linear) {
        var lower = domain.lowerBound
        var upper = domain.upperBound
        if kind == .logarithmic {
            lower = max(lower, Double.leastNormalMagnitude)
            upper = max(upper, lower)
            if upper <= lower {
                lower /= 10
                upper *= 10
            }
        } else if upper <= lower {
            lower -= 0.5
            upper += 0.5
        }
        self.domain = lower...upper
        self.pixels = pixels
        self.kind = kind
    }

    /// The pixel position of `value` (values outside the domain extrapolate).
    public func callAsFunction(_ value: Double) -> Double {
        let t: Double
        switch kind {
        case .linear:
            t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .logarithmic:
            let v = max(value, Double.leastNormalMagnitude)
            t = (log10(v) - log10(domain.lowerBound)) / (log10(domain.upperBound) - log10(domain.lowerBound))
        }
        return pixels.0 + t * (pixels.1 - pixels.0)
    }

    /// Equal domain, pixel range and kind.
    public static func == (lhs: Scale, rhs: Scale) -> Bool {
        lhs.domain == rhs.domain && lhs.pixels == rhs.pixels && lhs.kind == rhs.kind
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
