import RealModule
import TensorCore

/// The log-uniform (reciprocal) distribution on `[low, high]`, `0 < low < high`: log x is uniform.
public struct LogUniform: Distribution {
    /// The lower bound (> 0).
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates a log-uniform distribution on `[low, high]`; checked when the model is declared.
    public init(_ low: Double, _ high: Double) {
        self.low = low
        self.high = high
    }

    /// One draw: exp of a uniform draw on `[log low, log high)`.
    public func sample(using rng: inout RandomSource) -> Double {
        Double.exp(rng.nextUniform(in: Double.log(low), Double.log(high)))
    }

    /// log p(x) = −log x − log log(high/low); −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        x >= low && x <= high ? -Double.log(x) - Double.log(Double.log(high / low)) : -.infinity
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }
    /// (high − low) / log(high/low).
    public var mean: Double? { (high - low) / Double.log(high / low) }
    /// (high² − low²) / (2 log(high/low)) − mean².
    public var variance: Double? {
        let l = Double.log(high / low)
        let m = (high - low) / l
        return (high * high - low * low) / (2 * l) - m * m
    }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless `0 < low < high < ∞`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite, low > 0 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "LogUniform(\(low), \(high)) needs finite bounds with low > 0")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "LogUniform(\(low), \(high)) needs low < high")
        }
    }

    /// The declaration as written, e.g. `LogUniform(0.1, 10.0)`.
    public var description: String { "LogUniform(\(low), \(high))" }
}
