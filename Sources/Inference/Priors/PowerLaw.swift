import RealModule
import TensorCore

/// The power-law distribution on `[low, high]`: p(x) ∝ x^α.
///
/// α = 2 is a radial coordinate uniform in volume (e.g. a luminosity distance for sources
/// uniform in Euclidean space), α = −1 is ``LogUniform``, α = 0 is ``Uniform``:
///
/// ```swift
/// Parameter("distance", PowerLaw(100, 2000, exponent: 2))
/// ```
///
/// With β = α + 1 the CDF is (x^β − low^β) / (high^β − low^β) (log(x/low) / log(high/low) for
/// α = −1), inverted exactly to sample. Both are evaluated through `expMinusOne`/`log(onePlus:)` of
/// β·log(high/low), so exponents close to −1 lose no precision.
public struct PowerLaw: Distribution {
    /// The lower bound (≥ 0; > 0 when α ≤ −1).
    public var low: Double
    /// The upper bound.
    public var high: Double
    /// The exponent α.
    public var exponent: Double

    /// Creates a power law p(x) ∝ x^exponent on `[low, high]`; checked when the model is declared.
    /// - Parameters:
    ///   - low: The lower bound (≥ 0, and > 0 when `exponent ≤ −1`).
    ///   - high: The upper bound.
    ///   - exponent: α, any finite number.
    public init(_ low: Double, _ high: Double, exponent: Double) {
        self.low = low
        self.high = high
        self.exponent = exponent
    }

    /// log ∫ x^(β−1) dx over [low, high], for a power with exponent β − 1.
    static func logIntegral(low: Double, high: Double, beta: Double) -> Double {
        let span = Double.log(high) - Double.log(low)   // +∞ for low = 0 (then β > 0)
        if beta == 0 { return Double.log(span) }
        if beta > 0 { return beta * Double.log(high) + Double.log(-Double.expMinusOne(-beta * span)) - Double.log(beta) }
        return beta * Double.log(low) + Double.log(-Double.expMinusOne(beta * span)) - Double.log(-beta)
    }

    /// log of the normalising constant ∫ x^α dx over the support.
    var logNormalization: Double { Self.logIntegral(low: low, high: high, beta: exponent + 1) }

    /// One draw by the exact inverse CDF (``quantile(_:)``) of a uniform u.
    public func sample(using rng: inout RandomSource) -> Double {
        quantile(rng.nextUniform())
    }

    /// The inverse CDF.
    /// - Parameter u: A probability in [0, 1].
    /// - Returns: x with P(X ≤ x) = u.
    public func quantile(_ u: Double) -> Double {
        let beta = exponent + 1
        let span = Double.log(high) - Double.log(low)
        let x: Double
        if beta == 0 {
            x = low * Double.exp(u * span)
        } else if beta > 0 {
            // x^β = high^β (1 − (1 − u)(1 − (low/high)^β))
            x = high * Double.exp(Double.log(onePlus: -(1 - u) * -Double.expMinusOne(-beta * span)) / beta)
        } else {
            // x^β = low^β (1 + u((high/low)^β − 1))
            x = low * Double.exp(Double.log(onePlus: u * Double.expMinusOne(beta * span)) / beta)
        }
        return min(max(x, low), high)
    }

    /// The cumulative distribution function.
    /// - Parameter x: A value.
    /// - Returns: P(X ≤ x), in [0, 1].
    public func cumulativeProbability(of x: Double) -> Double {
        if x <= low { return 0 }
        if x >= high { return 1 }
        return Double.exp(Self.logIntegral(low: low, high: x, beta: exponent + 1) - logNormalization)
    }

    /// log p(x) = α log x − log ∫_low^high x^α dx; −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        guard x >= low && x <= high else { return -.infinity }
        if exponent == 0 { return -logNormalization }
        return exponent * Double.log(x) - logNormalization
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }

    /// ∫ x^(α+1) / ∫ x^α over the support.
    public var mean: Double? {
        Double.exp(Self.logIntegral(low: low, high: high, beta: exponent + 2) - logNormalization)
    }

    /// ∫ x^(α+2) / ∫ x^α − mean².
    public var variance: Double? {
        let m = mean ?? 0
        let second = Double.exp(Self.logIntegral(low: low, high: high, beta: exponent + 3) - logNormalization)
        return max(second - m * m, 0)
    }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless the bounds and exponent are
    ///   finite, `0 ≤ low < high`, and `low > 0` when the exponent is ≤ −1 (the density would not
    ///   be integrable at 0).
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite, exponent.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs finite bounds and exponent")
        }
        guard low >= 0 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low ≥ 0")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low < high")
        }
        guard low > 0 || exponent > -1 else {
            throw ModelError.invalidPrior(
                parameter: parameter, reason: "\(description) needs low > 0 when the exponent is ≤ −1 (x^α is not integrable at 0)")
        }
        guard logNormalization.isFinite, mean.map(\.isFinite) ?? true else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) cannot be normalised in double precision")
        }
    }

    /// The declaration as written, e.g. `PowerLaw(100.0, 2000.0, exponent: 2.0)`.
    public var description: String { "PowerLaw(\(low), \(high), exponent: \(exponent))" }
}
