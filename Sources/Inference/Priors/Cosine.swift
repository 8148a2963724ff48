import RealModule
import TensorCore

/// The cosine distribution on `[low, high] ⊆ [−π/2, π/2]`: p(x) ∝ cos x.
///
/// The prior of a latitude when directions are isotropic, e.g. the declination δ of a source
/// uniform on the sky (sin δ uniform):
///
/// ```swift
/// Parameter("declination", Cosine(-.pi / 2, .pi / 2))
/// ```
///
/// Density cos x / (sin high − sin low); samples by the exact inverse CDF
/// x = arcsin(sin low + u (sin high − sin low)), u uniform (see ``quantile(_:)``).
public struct Cosine: Distribution {
    /// The lower bound (≥ −π/2).
    public var low: Double
    /// The upper bound (≤ π/2).
    public var high: Double

    /// Creates a cosine distribution on `[low, high]`; checked when the model is declared.
    /// - Parameters:
    ///   - low: The lower bound, in radians (default −π/2).
    ///   - high: The upper bound, in radians (default π/2).
    public init(_ low: Double = -.pi / 2, _ high: Double = .pi / 2) {
        self.low = low
        self.high = high
    }

    /// The normalising constant sin high − sin low.
    var normalization: Double { Double.sin(high) - Double.sin(low) }

    /// One draw by the exact inverse CDF (``quantile(_:)``) of a uniform u.
    public func sample(using rng: inout RandomSource) -> Double { quantile(rng.nextUniform()) }

    /// The inverse CDF: x with sin x = s = sin low + u (sin high − sin low).
    ///
    /// arcsin is ill-conditioned near s = ±1, so x is taken from half-angle forms that keep full
    /// precision at both ends: 1 + s = 2 sin²(π/4 + low/2) + u·n gives x = −π/2 + 2 arcsin √((1 + s)/2),
    /// and 1 − s = 2 sin²(π/4 − high/2) + (1 − u)·n gives x = π/2 − 2 arcsin √((1 − s)/2).
    /// - Parameter u: A probability in [0, 1].
    /// - Returns: x with P(X ≤ x) = u.
    public func quantile(_ u: Double) -> Double {
        let n = normalization
        let a = Double.sin(Double.pi / 4 + low / 2), b = Double.sin(Double.pi / 4 - high / 2)
        let onePlusS = 2 * a * a + u * n
        let oneMinusS = 2 * b * b + (1 - u) * n
        let x = onePlusS <= oneMinusS
            ? -Double.pi / 2 + 2 * Double.asin((max(onePlusS, 0) / 2).squareRoot())
            : Double.pi / 2 - 2 * Double.asin((max(oneMinusS, 0) / 2).squareRoot())
        return min(max(x, low), high)
    }

    /// log p(x) = log cos x − log(sin high − sin low); −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        x >= low && x <= high ? Double.log(Double.cos(x)) - Double.log(normalization) : -.infinity
    }

    /// The cumulative distribution function (sin x − sin low) / (sin high − sin low).
    /// - Parameter x: A value.
    /// - Returns: P(X ≤ x), in [0, 1].
    public func cumulativeProbability(of x: Double) -> Double {
        if x <= low { return 0 }
        if x >= high { return 1 }
        return (Double.sin(x) - Double.sin(low)) / normalization
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }

    /// (x sin x + cos x) between the bounds, over the normalisation.
    public var mean: Double? {
        let f = { (x: Double) in x * Double.sin(x) + Double.cos(x) }
        return (f(high) - f(low)) / normalization
    }

    /// E[x²] − mean², with ∫x² cos x = x² sin x + 2x cos x − 2 sin x.
    public var variance: Double? {
        let f = { (x: Double) in x * x * Double.sin(x) + 2 * x * Double.cos(x) - 2 * Double.sin(x) }
        let m = mean ?? 0
        return max((f(high) - f(low)) / normalization - m * m, 0)
    }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless `−π/2 ≤ low < high ≤ π/2`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs finite bounds")
        }
        guard low >= -Double.pi / 2, high <= Double.pi / 2 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs bounds inside [−π/2, π/2]")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low < high")
        }
    }

    /// The declaration as written, e.g. `Cosine(-1.5707963267948966, 1.5707963267948966)`.
    public var description: String { "Cosine(\(low), \(high))" }
}
