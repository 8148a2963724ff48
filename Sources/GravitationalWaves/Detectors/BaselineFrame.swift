import Foundation

/// Sky coordinates about the baseline between two detectors: the zenith angle θ from the
/// baseline and an azimuth φ around it — bilby's `zenith` and `azimuth` (Romero-Shaw et al.,
/// MNRAS 499, 3295 (2020), §3), the frame in which a two-detector timing ring is a band of
/// constant zenith.
///
/// **Why.** The arrival-time difference of two detectors fixes the angle between the source and
/// their baseline: with b = r₁ − r₂ (Earth-fixed vertices) and the unit vector n̂ towards the source,
///
///     t₁ − t₂ = −(b · n̂)/c = −(|b|/c) cos θ.
///
/// In right ascension and declination the set of positions with one delay is a ring on the sky; in
/// (θ, φ) it is one value of θ, so the timing constraint is one coordinate. (On the README's
/// gravitational-wave benchmark, at its one-core-hour budget, networks trained in this frame
/// weighed no better than in (α, δ).)
///
/// **Axes.** ẑ = b/|b|; x̂ is the part of the Earth's rotation axis (0, 0, 1) orthogonal to ẑ,
/// normalised (the Earth-fixed x-axis's part when the baseline is parallel to the rotation axis);
/// ŷ = ẑ × x̂. Then n̂ = sin θ cos φ x̂ + sin θ sin φ ŷ + cos θ ẑ. The map (θ, φ) ↦ (α, δ) at a
/// fixed sidereal time is a rotation of the sphere, so the isotropic prior — cos θ uniform on
/// [−1, 1] (``Sine`` on [0, π]) and φ uniform on [0, 2π) — is the isotropic prior in (α, δ): one
/// measure, (sin θ/2)(1/2π) dθ dφ = (cos δ/2)(1/2π) dδ dα, whose densities in the two coordinates
/// differ by the Jacobian sin θ / cos δ. Evidences and importance weights, which compare a prior
/// and a proposal in the same coordinates, do not depend on the frame. (bilby picks another azimuth
/// origin; any origin gives the same prior.)
///
/// ```swift
/// let frame = try BaselineFrame(from: .hanford, to: .livingston)
/// let (ra, dec) = frame.equatorial(zenith: 1.2, azimuth: 4.0, greenwichMeanSiderealTime: gmst)
/// let (zenith, azimuth) = frame.baseline(rightAscension: ra, declination: dec, greenwichMeanSiderealTime: gmst)
/// ```
public struct BaselineFrame: Sendable, Equatable {
    /// The detector the baseline starts from (its vertex is r₁).
    public let first: Detector
    /// The detector the baseline ends at (its vertex is r₂).
    public let second: Detector
    /// x̂, ŷ, ẑ in Earth-fixed coordinates, `[3][3]` (rows).
    public let axes: [[Double]]
    /// |r₁ − r₂| (m).
    public let baselineLength: Double

    /// The frame of the baseline from `first` to `second`.
    /// - Parameters:
    ///   - first: The detector whose vertex is r₁ (bilby's first interferometer).
    ///   - second: The detector whose vertex is r₂.
    /// - Throws: ``GravitationalWaveError/invalidConfiguration(_:)`` when the two vertices coincide
    ///   (there is no baseline).
    public init(from first: Detector, to second: Detector) throws {
        let b = (0..<3).map { first.location[$0] - second.location[$0] }
        let length = Self.norm(b)
        guard length > 1 else {
            throw GravitationalWaveError.invalidConfiguration(
                "detectors \(first.name) and \(second.name) are \(length) m apart; a baseline frame needs two detectors at different sites")
        }
        let z = b.map { $0 / length }
        // The rotation axis without its part along ẑ; the x-axis if the baseline is (nearly) parallel to it.
        var x = [-z[2] * z[0], -z[2] * z[1], 1 - z[2] * z[2]]
        if Self.norm(x) < 1e-6 { x = [1 - z[0] * z[0], -z[0] * z[1], -z[0] * z[2]] }
        let xLength = Self.norm(x)
        x = x.map { $0 / xLength }
        let y = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]]
        self.first = first
        self.second = second
        axes = [x, y, z]
        baselineLength = length
    }

    /// The equatorial position of a source at zenith θ and azimuth φ.
    /// - Parameters:
    ///   - zenith: θ ∈ [0, π] (rad); values outside are used as given (the trigonometry is periodic).
    ///   - azimuth: φ (rad).
    ///   - greenwichMeanSiderealTime: GMST (rad) of the time the frame is taken at.
    /// - Returns: α ∈ [0, 2π) and δ ∈ [−π/2, π/2] (rad).
    public func equatorial(
        zenith: Double, azimuth: Double, greenwichMeanSiderealTime: Double
    ) -> (rightAscension: Double, declination: Double) {
        let sinZenith = sin(zenith)
        let local = [sinZenith * cos(azimuth), sinZenith * sin(azimuth), cos(zenith)]
        let n = (0..<3).map { i in local[0] * axes[0][i] + local[1] * axes[1][i] + local[2] * axes[2][i] }
        let declination = asin(min(1, max(-1, n[2])))
        // The inverse of Detector.sourceDirection: n̂ = (cos δ cos(α − GMST), cos δ sin(α − GMST), sin δ).
        let rightAscension = Self.wrapped(atan2(n[1], n[0]) + greenwichMeanSiderealTime)
        return (rightAscension, declination)
    }

    /// The zenith and azimuth of a source at right ascension α and declination δ: the inverse of
    /// ``equatorial(zenith:azimuth:greenwichMeanSiderealTime:)``.
    /// - Parameters:
    ///   - rightAscension: α (rad).
    ///   - declination: δ (rad).
    ///   - greenwichMeanSiderealTime: GMST (rad).
    /// - Returns: θ ∈ [0, π] and φ ∈ [0, 2π) (rad).
    public func baseline(
        rightAscension: Double, declination: Double, greenwichMeanSiderealTime: Double
    ) -> (zenith: Double, azimuth: Double) {
        let n = Detector.sourceDirection(
            rightAscension: rightAscension, declination: declination,
            greenwichMeanSiderealTime: greenwichMeanSiderealTime)
        let local = axes.map { axis in axis[0] * n[0] + axis[1] * n[1] + axis[2] * n[2] }
        let zenith = acos(min(1, max(-1, local[2])))
        return (zenith, Self.wrapped(atan2(local[1], local[0])))
    }

    /// The arrival-time difference t₁ − t₂ = −(|b|/c) cos θ of a source at zenith θ (s).
    /// - Parameter zenith: θ (rad).
    /// - Returns: t_first − t_second (s).
    public func arrivalTimeDifference(zenith: Double) -> Double {
        -baselineLength / PhysicalConstants.speedOfLight * cos(zenith)
    }

    private static func norm(_ v: [Double]) -> Double { (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot() }

    /// An angle in [0, 2π).
    private static func wrapped(_ angle: Double) -> Double {
        let r = angle.truncatingRemainder(dividingBy: 2 * .pi)
        let w = r < 0 ? r + 2 * .pi : r
        return w < 2 * .pi ? w : 0
    }
}
