import Foundation

/// The parameters of a quasi-circular compact binary whose spins are aligned with the orbital
/// angular momentum, in the units of the field's APIs (LALSimulation's, but in solar masses and
/// megaparsecs rather than kilograms and metres).
///
/// ```swift
/// let binary = try AlignedSpinBinary(mass1: 36, mass2: 29, spin1: 0.3, spin2: -0.1,
///                                    distance: 410, inclination: 2.7, referencePhase: 1.3)
/// binary.chirpMass        // ≈ 28.1 M☉
/// ```
public struct AlignedSpinBinary: Hashable, Sendable {
    /// m₁ (M☉, detector frame).
    public let mass1: Double
    /// m₂ (M☉, detector frame).
    public let mass2: Double
    /// χ₁, the dimensionless spin of body 1 along the orbital angular momentum, in [−1, 1].
    public let spin1: Double
    /// χ₂, the dimensionless spin of body 2 along the orbital angular momentum, in [−1, 1].
    public let spin2: Double
    /// Luminosity distance d_L (Mpc).
    public let distance: Double
    /// ι, the angle between the orbital angular momentum and the line of sight (rad).
    public let inclination: Double
    /// φ_ref, the orbital phase at the reference frequency (rad).
    public let referencePhase: Double
    /// f_ref (Hz), the gravitational-wave frequency at which φ_ref is defined; 0 means the
    /// model's default, as in LALSimulation: coalescence (f → ∞) for ``TaylorF2``, the grid's
    /// f_min for ``IMRPhenomD``.
    public let referenceFrequency: Double

    /// Creates the parameters.
    /// - Parameters:
    ///   - mass1: m₁ > 0 (M☉).
    ///   - mass2: m₂ > 0 (M☉).
    ///   - spin1: χ₁ ∈ [−1, 1].
    ///   - spin2: χ₂ ∈ [−1, 1].
    ///   - distance: d_L > 0 (Mpc).
    ///   - inclination: ι (rad).
    ///   - referencePhase: φ_ref (rad).
    ///   - referenceFrequency: f_ref ≥ 0 (Hz); 0 (default) for the model's default (see
    ///     ``referenceFrequency``).
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` naming the first bad value.
    public init(
        mass1: Double, mass2: Double, spin1: Double = 0, spin2: Double = 0, distance: Double,
        inclination: Double = 0, referencePhase: Double = 0, referenceFrequency: Double = 0
    ) throws {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw GravitationalWaveError.invalidParameter(message()) }
        }
        try check(mass1.isFinite && mass1 > 0, "mass1 must be a positive number of solar masses, got \(mass1)")
        try check(mass2.isFinite && mass2 > 0, "mass2 must be a positive number of solar masses, got \(mass2)")
        try check(abs(spin1) <= 1, "spin1 must lie in [−1, 1], got \(spin1)")
        try check(abs(spin2) <= 1, "spin2 must lie in [−1, 1], got \(spin2)")
        try check(distance.isFinite && distance > 0, "distance must be a positive number of Mpc, got \(distance)")
        try check(inclination.isFinite, "inclination must be finite, got \(inclination)")
        try check(referencePhase.isFinite, "referencePhase must be finite, got \(referencePhase)")
        try check(
            referenceFrequency.isFinite && referenceFrequency >= 0,
            "referenceFrequency must be ≥ 0 Hz (0 = coalescence), got \(referenceFrequency)")
        self.mass1 = mass1
        self.mass2 = mass2
        self.spin1 = spin1
        self.spin2 = spin2
        self.distance = distance
        self.inclination = inclination
        self.referencePhase = referencePhase
        self.referenceFrequency = referenceFrequency
    }

    /// M = m₁ + m₂ (M☉).
    public var totalMass: Double { mass1 + mass2 }
    /// η = m₁m₂/M².
    public var symmetricMassRatio: Double { mass1 * mass2 / (totalMass * totalMass) }
    /// 𝓜 = (m₁m₂)^{3/5}/M^{1/5} (M☉).
    public var chirpMass: Double { pow(mass1 * mass2, 0.6) / pow(totalMass, 0.2) }
    /// q = m₂/m₁ (≤ 1 when m₁ ≥ m₂).
    public var massRatio: Double { mass2 / mass1 }
}
