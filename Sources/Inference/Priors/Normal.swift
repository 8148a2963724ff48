import RealModule
import TensorCore

/// The normal distribution 𝒩(mean, standardDeviation²).
public struct Normal: Distribution {
    /// The location μ.
    public var location: Double
    /// The standard deviation σ > 0.
    public var standardDeviation: Double

    /// Creates 𝒩(μ, σ²); σ is checked when the model is declared.
    /// - Parameters:
    ///   - mean: μ.
    ///   - standardDeviation: σ.
    public init(_ mean: Double, _ standardDeviation: Double) {
        self.location = mean
        self.standardDeviation = standardDeviation
    }

    /// One draw μ + σz, z a standard normal deviate.
    public func sample(using rng: inout RandomSource) -> Double {
        rng.nextNormal(mean: location, standardDeviation: standardDeviation)
    }

    /// log p(x) = −½((x − μ)/σ)² − log σ − ½ log 2π.
    public func logDensity(of x: Double) -> Double {
        let z = (x - location) / standardDeviation
        return -0.5 * z * z - Double.log(standardDeviation) - 0.5 * Double.log(2 * Double.pi)
    }

    /// μ.
    public var mean: Double? { location }
    /// σ².
    public var variance: Double? { standardDeviation * standardDeviation }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` if μ is not finite or σ is not finite and positive.
    public func validate(parameter: String) throws {
        guard location.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "Normal(\(location), \(standardDeviation)) needs a finite mean")
        }
        guard standardDeviation > 0, standardDeviation.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "Normal(\(location), \(standardDeviation)) needs a standard deviation σ > 0")
        }
    }

    /// The declaration as written, e.g. `Normal(0.0, 1.0)`.
    public var description: String { "Normal(\(location), \(standardDeviation))" }
}
