import RealModule
import TensorCore

/// The sine distribution on `[low, high] ⊆ [0, π]`: p(x) ∝ sin x.
///
/// The prior of an angle measured from a pole when directions are isotropic, e.g. the
/// inclination ι of an orbit (cos ι uniform):
///
/// ```swift
/// Parameter("inclination", Sine(0, .pi))
/// ```
///
/// Density sin x / (cos low − cos high); samples by the exact inverse CDF
/// x = arccos(cos low − u (cos low − cos high)), u uniform (see ``quantile(_:)``).
public struct Sine: Distribution {
    /// The lower bound (≥ 0).
    public var low: Double
    /// The upper bound (≤ π).
    public var high: Double

    /// Creates a sine distribution on `[low, high]`; checked when the model is declared.
    /// - Parameters:
    ///   - low: The lower bound, in radians (default 0).
    ///   - high: The upper bound, in radians (default π).
    public init(_ low: Double = 0, _ high: Double = .pi) {
        self.low = low
        self.high = high
    }

    /// The normalising constant cos low − cos high.
    var normalization: Double { Double.cos(low) - Double.cos(high) }

    /// One draw by the exact inverse CDF (``quantile(_:)``) of a uniform u.
    public func sample(using rng: inout RandomSource) -> Double { quantile(rng.nextUniform()) }

    /// The inverse CDF: x with cos x = c = cos low − u (cos low − cos high).
    ///
    /// arccos is ill-conditioned near c = ±1, so x is taken from half-angle forms that keep
    /// full precision at both ends: 1 − c = 2 sin²(low/2) + u·n gives x = 2 arcsin √((1 − c)/2),
    /// and 1 + c = 2 cos²(high/2) + (1 − u)·n gives x = π − 2 arcsin √((1 + c)/2).
    /// - Parameter u: A probability in [0, 1].
    /// - Returns: x with P(X ≤ x) = u.
    public func quantile(_ u: Double) -> Double {
        let n = normalization
        let sinHalfLow = Double.sin(low / 2), cosHalfHigh = Double.cos(high / 2)
        let oneMinusC = 2 * sinHalfLow * sinHalfLow + u * n
        let onePlusC = 2 * cosHalfHigh * cosHalfHigh + (1 - u) * n
        let x = oneMinusC <= onePlusC
            ? 2 * Double.asin((max(oneMinusC, 0) / 2).squareRoot())
            : Double.pi - 2 * Double.asin((max(onePlusC, 0) / 2).squareRoot())
        return min(max(x, low), high)
    }

    /// log p(x) = log sin x − log(cos low − cos high); −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        x >= low && x <= high ? Double.log(Double.sin(x)) - Double.log(normalization) : -.infinity
    }

    /// The cumulative distribution function (cos low − cos x) / (cos low − cos high).
    /// - Parameter x: A value.
    /// - Returns: P(X ≤ x), in [0, 1].
    public func cumulativeProbability(of x: Double) -> Double {
        if x <= low { return 0 }
        if x >= high { return 1 }
        return (Double.cos(low) - Double.cos(x)) / normalization
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }

    /// (sin x − x cos x) between the bounds, over the normalisation.
    public var mean: Double? {
        let f = { (x: Double) in Double.sin(x) - x * Double.cos(x) }
        return (f(high) - f(low)) / normalization
    }

    /// E[x²] − mean², with ∫x² sin x = 2x sin x − (x² − 2) cos x.
    public var variance: Double? {
        let f = { (x: Double) in 2 * x * Double.sin(x) - (x * x - 2) * Double.cos(x) }
        let m = mean ?? 0
        return max((f(high) - f(low)) / normalization - m * m, 0)
    }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless `0 ≤ low < high ≤ π`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs finite bounds")
        }
        guard low >= 0, high <= Double.pi else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs bounds inside [0, π]")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low < high")
        }
    }

    /// The declaration as written, e.g. `Sine(0.0, 3.141592653589793)`.
    public var description: String { "Sine(\(low), \(high))" }
}
