import RealModule
import TensorCore

/// The von Mises distribution on the circle: density exp(κ cos(x − μ)) / (2π I₀(κ)) for x in
/// [μ − π, μ + π], the circular analogue of a normal distribution with mean μ and concentration κ
/// (κ = 0 is uniform; for large κ it approaches 𝒩(μ, 1/κ)).
///
/// It is the exact conditional of a phase that enters a Gaussian likelihood as a global factor
/// e^{iα}: log p(x | α) = c + |z| cos(α + arg z), so p(α | x) is von Mises with μ = −arg z and
/// κ = |z| — what phase marginalisation of gravitational-wave likelihoods uses (e.g.
/// `PhaseMarginalizedNetwork`).
///
/// ```swift
/// let phase = VonMises(mean: 0.3, concentration: 40)
/// var rng = RandomSource(seed: 1)
/// phase.sample(using: &rng)            // in [0.3 − π, 0.3 + π]
/// phase.logDensity(of: 0.3)            // the mode
/// VonMises.logBesselI0(700)            // log I₀(700), no overflow
/// ```
public struct VonMises: Distribution, Equatable {
    /// μ, the mean direction (rad).
    public var meanDirection: Double
    /// κ ≥ 0, the concentration.
    public var concentration: Double

    /// Creates the distribution.
    /// - Parameters:
    ///   - mean: μ (rad), finite.
    ///   - concentration: κ ≥ 0, finite.
    public init(mean: Double, concentration: Double) {
        meanDirection = mean
        self.concentration = concentration
    }

    /// Draws one value in [μ − π, μ + π] by the rejection method of Best & Fisher (Applied
    /// Statistics 28, 152 (1979)): a wrapped-Cauchy envelope, accepting more than 65 % of
    /// proposals for every κ. NaN for a μ or κ that is not finite; a negative κ draws uniformly.
    public func sample(using rng: inout RandomSource) -> Double {
        let kappa = concentration
        // An invalid instance (validate(parameter:) refuses it) gives NaN rather than a rejection
        // loop that never accepts.
        guard kappa.isFinite, meanDirection.isFinite else { return .nan }
        guard kappa > 1e-8 else { return meanDirection + Double.pi * (2 * rng.nextUniform() - 1) }
        if kappa > 1e6 {
            // The envelope loses its precision; the normal limit is exact to O(1/κ).
            return meanDirection + min(Double.pi, max(-Double.pi, rng.nextNormal() / kappa.squareRoot()))
        }
        let tau = 1 + (1 + 4 * kappa * kappa).squareRoot()
        let rho = (tau - (2 * tau).squareRoot()) / (2 * kappa)
        let r = (1 + rho * rho) / (2 * rho)
        var w = 1.0
        while true {
            let z = Double.cos(Double.pi * rng.nextUniform())
            w = (1 + r * z) / (r + z)
            let c = kappa * (r - w)
            let u = rng.nextUniform()
            if c * (2 - c) - u > 0 || Double.log(c / u) + 1 - c >= 0 { break }
        }
        let angle = Double.acos(min(1, max(-1, w)))
        return meanDirection + (rng.nextUniform() < 0.5 ? -angle : angle)
    }

    /// log density: κ (cos(x − μ) − 1) − log(2π e^{−κ} I₀(κ)) inside [μ − π, μ + π], −∞ outside.
    public func logDensity(of x: Double) -> Double {
        guard support.contains(x) else { return -.infinity }
        return concentration * (Double.cos(x - meanDirection) - 1) - Self.logScaledBesselI0(concentration) - Double.log(2 * .pi)
    }

    /// [μ − π, μ + π].
    public var support: ClosedRange<Double> { (meanDirection - .pi) ... (meanDirection + .pi) }

    /// μ.
    public var mean: Double? { meanDirection }

    /// Checks that μ is finite and κ ≥ 0 finite.
    /// - Parameter parameter: The parameter's name, for the message.
    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)``.
    public func validate(parameter: String) throws {
        guard meanDirection.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "the mean direction must be finite, got \(meanDirection)")
        }
        guard concentration >= 0, concentration.isFinite else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "the concentration must be finite and ≥ 0, got \(concentration)")
        }
    }

    /// "VonMises(mean: μ, concentration: κ)".
    public var description: String { "VonMises(mean: \(meanDirection), concentration: \(concentration))" }

    /// log I₀(κ), the modified Bessel function of the first kind of order 0, for κ ≥ 0; finite for
    /// every finite κ (I₀ itself overflows a Double beyond κ ≈ 713).
    /// - Parameter kappa: κ ≥ 0 (NaN for κ < 0).
    /// - Returns: log I₀(κ).
    public static func logBesselI0(_ kappa: Double) -> Double {
        guard kappa >= 0 else { return .nan }
        return kappa + logScaledBesselI0(kappa)
    }

    /// log(e^{−κ} I₀(κ)), from the polynomial approximations of Abramowitz & Stegun 9.8.1 and
    /// 9.8.2 (relative error below 2·10⁻⁷; written here because neither the C library nor
    /// swift-numerics has modified Bessel functions).
    static func logScaledBesselI0(_ kappa: Double) -> Double {
        let k = abs(kappa)
        if k <= 3.75 {
            let t = (k / 3.75) * (k / 3.75)
            let i0 = 1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813)))))
            return Double.log(i0) - k
        }
        let t = 3.75 / k
        let p = 0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281
            + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))
        return Double.log(p) - 0.5 * Double.log(k)
    }
}
