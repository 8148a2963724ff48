import RealModule
import TensorCore

/// The uniform distribution on `[low, high]`.
///
/// ```swift
/// Parameter("omega0", Uniform(1, 5))
/// ```
public struct Uniform: Distribution {
    /// The lower bound.
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates a uniform distribution on `[low, high]`; the bounds are checked when the model is declared.
    public init(_ low: Double, _ high: Double) {
        self.low = low
        self.high = high
    }

    /// One draw, uniform on `[low, high)`.
    public func sample(using rng: inout RandomSource) -> Double { rng.nextUniform(in: low, high) }

    /// log p(x) = −log(high − low); −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        x >= low && x <= high ? -Double.log(high - low) : -.infinity
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }
    /// (low + high) / 2.
    public var mean: Double? { (low + high) / 2 }
    /// (high − low)² / 12.
    public var variance: Double? { (high - low) * (high - low) / 12 }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` if a bound is not finite or `low ≥ high`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "Uniform(\(low), \(high)) needs finite bounds")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "Uniform(\(low), \(high)) needs low < high")
        }
    }

    /// The declaration as written, e.g. `Uniform(0.0, 6.283185307179586)`.
    public var description: String { "Uniform(\(low), \(high))" }
}
