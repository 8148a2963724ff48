import RealModule
import TensorCore

/// The chirp-mass half of a prior uniform in the component masses (m₁, m₂), written in chirp
/// mass 𝓜 = (m₁m₂)^{3/5} / (m₁ + m₂)^{1/5} and mass ratio q = m₂/m₁ ≤ 1: p(𝓜) ∝ 𝓜 on `[low, high]`.
///
/// The map (m₁, m₂) → (𝓜, q) has Jacobian determinant |∂(m₁, m₂)/∂(𝓜, q)| = m₁²/𝓜
/// = 𝓜 (1 + q)^{2/5} q^{−6/5}, so a density uniform in (m₁, m₂) becomes the product of this
/// prior and ``UniformInComponentsMassRatio`` on the rectangle [𝓜 bounds] × [q bounds]
/// (the same pair as bilby's `UniformInComponentsChirpMass` / `UniformInComponentsMassRatio`):
///
/// ```swift
/// Parameter("chirp_mass", UniformInComponentsChirpMass(25, 35))
/// Parameter("mass_ratio", UniformInComponentsMassRatio(0.125, 1))
/// ```
///
/// Density 2𝓜 / (high² − low²); exact inverse-CDF sampling 𝓜 = √(low² + u (high² − low²)).
public struct UniformInComponentsChirpMass: Distribution {
    /// The lower bound (> 0).
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates the chirp-mass prior on `[low, high]`; checked when the model is declared.
    /// - Parameters:
    ///   - low: The smallest chirp mass (> 0).
    ///   - high: The largest chirp mass.
    public init(_ low: Double, _ high: Double) {
        self.low = low
        self.high = high
    }

    /// The same density as a power law with exponent 1.
    var powerLaw: PowerLaw { PowerLaw(low, high, exponent: 1) }

    /// One draw by the exact inverse CDF √(low² + u (high² − low²)), u uniform.
    public func sample(using rng: inout RandomSource) -> Double { powerLaw.sample(using: &rng) }
    /// log p(𝓜) = log 2𝓜 − log(high² − low²); −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double { powerLaw.logDensity(of: x) }

    /// The cumulative distribution function (x² − low²) / (high² − low²).
    /// - Parameter x: A value.
    /// - Returns: P(𝓜 ≤ x), in [0, 1].
    public func cumulativeProbability(of x: Double) -> Double { powerLaw.cumulativeProbability(of: x) }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }
    /// ⅔ (high³ − low³) / (high² − low²).
    public var mean: Double? { powerLaw.mean }
    /// ½ (high² + low²) − mean².
    public var variance: Double? { powerLaw.variance }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless `0 < low < high < ∞`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs finite bounds")
        }
        guard low > 0 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low > 0 (a chirp mass is positive)")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low < high")
        }
    }

    /// The declaration as written, e.g. `UniformInComponentsChirpMass(25.0, 35.0)`.
    public var description: String { "UniformInComponentsChirpMass(\(low), \(high))" }
}
