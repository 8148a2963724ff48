import Foundation
import Inference

extension BinaryBlackHoleNetwork {
    /// The ranges of the standard binary-black-hole priors (see ``parameters``).
    public struct PriorRanges: Sendable, Equatable {
        /// The chirp mass 𝓜 (M☉, detector frame).
        public var chirpMass: ClosedRange<Double>
        /// The mass ratio q = m₂/m₁, within (0, 1].
        public var massRatio: ClosedRange<Double>
        /// The largest spin magnitude a: χ₁ and χ₂ are uniform on [−a, a], a ≤ 1.
        public var maximumSpin: Double
        /// The luminosity distance d_L (Mpc).
        public var luminosityDistance: ClosedRange<Double>
        /// The half-width w of the uniform prior of `geocent_time` on [−w, w] (s).
        public var geocentricTimeHalfWidth: Double

        /// Creates prior ranges.
        /// - Parameters:
        ///   - chirpMass: 𝓜 (M☉).
        ///   - massRatio: q within (0, 1].
        ///   - maximumSpin: a ∈ (0, 1].
        ///   - luminosityDistance: d_L (Mpc).
        ///   - geocentricTimeHalfWidth: w > 0 (s).
        public init(
            chirpMass: ClosedRange<Double>, massRatio: ClosedRange<Double>, maximumSpin: Double,
            luminosityDistance: ClosedRange<Double>, geocentricTimeHalfWidth: Double
        ) {
            self.chirpMass = chirpMass
            self.massRatio = massRatio
            self.maximumSpin = maximumSpin
            self.luminosityDistance = luminosityDistance
            self.geocentricTimeHalfWidth = geocentricTimeHalfWidth
        }

        /// The ranges of ``Configuration/reduced``: 𝓜 ∈ [20, 40] M☉, q ∈ [0.25, 1],
        /// |χ| ≤ 0.9 (the range the IMRPhenomD fixtures validate), d_L ∈ [100, 1000] Mpc,
        /// geocent_time ∈ [−0.1, 0.1] s.
        public static var reduced: PriorRanges {
            PriorRanges(
                chirpMass: 20...40, massRatio: 0.25...1, maximumSpin: 0.9,
                luminosityDistance: 100...1000, geocentricTimeHalfWidth: 0.1)
        }

        /// Checks the ranges.
        /// - Throws: ``GravitationalWaveError/invalidConfiguration(_:)`` naming the first bad range.
        func validate() throws {
            func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
                if !ok { throw GravitationalWaveError.invalidConfiguration(message()) }
            }
            try check(
                chirpMass.lowerBound > 0 && chirpMass.upperBound.isFinite
                    && chirpMass.lowerBound < chirpMass.upperBound,
                "the chirp-mass prior \(chirpMass) must be a finite positive interval of non-zero width")
            try check(
                massRatio.lowerBound > 0 && massRatio.upperBound <= 1 && massRatio.lowerBound < massRatio.upperBound,
                "the mass-ratio prior \(massRatio) must lie within (0, 1] with non-zero width")
            try check(maximumSpin > 0 && maximumSpin <= 1, "the largest spin must lie in (0, 1], got \(maximumSpin)")
            try check(
                luminosityDistance.lowerBound > 0 && luminosityDistance.upperBound.isFinite
                    && luminosityDistance.lowerBound < luminosityDistance.upperBound,
                "the distance prior \(luminosityDistance) must be a finite positive interval of non-zero width")
            try check(
                geocentricTimeHalfWidth > 0 && geocentricTimeHalfWidth.isFinite,
                "the geocent_time half-width must be positive and finite, got \(geocentricTimeHalfWidth)")
        }
    }

    /// The 11 parameter names in θ order, DINGO's: chirp_mass (M☉), mass_ratio (m₂/m₁),
    /// chi_1, chi_2 (aligned spins), luminosity_distance (Mpc), phase (rad), theta_jn (the
    /// inclination, rad), psi (polarisation, rad), the sky — ra, dec (rad), or zenith, azimuth
    /// (rad) in the ``SkyFrame/detectorBaseline`` frame — and geocent_time (s from the
    /// reference time).
    public var parameterNames: [String] {
        let (first, second) = skyFrame.parameterNames
        return [
            "chirp_mass", "mass_ratio", "chi_1", "chi_2", "luminosity_distance", "phase", "theta_jn", "psi", first,
            second, "geocent_time",
        ]
    }

    /// The parameters with the priors the field uses (bilby's and DINGO's), in θ order:
    ///
    /// | name | prior |
    /// |---|---|
    /// | chirp_mass | ``UniformInComponentsChirpMass`` on ``PriorRanges/chirpMass`` |
    /// | mass_ratio | ``UniformInComponentsMassRatio`` on ``PriorRanges/massRatio`` |
    /// | chi_1, chi_2 | ``Uniform`` on [−a, a] |
    /// | luminosity_distance | ``PowerLaw`` with exponent 2 (uniform in Euclidean volume) |
    /// | phase | ``Uniform`` on [0, 2π], periodic |
    /// | theta_jn | ``Sine`` on [0, π] (isotropic orientation) |
    /// | psi | ``Uniform`` on [0, π], periodic (h₊, h× are π-periodic in ψ) |
    /// | ra (``SkyFrame/equatorial``) | ``Uniform`` on [0, 2π], periodic |
    /// | dec | ``Cosine`` on [−π/2, π/2] (isotropic sky) |
    /// | or zenith | ``Sine`` on [0, π] (isotropic sky, ``SkyFrame/detectorBaseline``) |
    /// | azimuth | ``Uniform`` on [0, 2π], periodic |
    /// | geocent_time | ``Uniform`` on [−w, w] (s) |
    ///
    /// Use them in a model's or a prior's declaration:
    ///
    /// ```swift
    /// let prior = try JointPrior { network.parameters }
    /// ```
    public var parameters: [Parameter] {
        let r = priorRanges
        return [
            Parameter("chirp_mass", UniformInComponentsChirpMass(r.chirpMass.lowerBound, r.chirpMass.upperBound)),
            Parameter("mass_ratio", UniformInComponentsMassRatio(r.massRatio.lowerBound, r.massRatio.upperBound)),
            Parameter("chi_1", Uniform(-r.maximumSpin, r.maximumSpin)),
            Parameter("chi_2", Uniform(-r.maximumSpin, r.maximumSpin)),
            Parameter(
                "luminosity_distance",
                PowerLaw(r.luminosityDistance.lowerBound, r.luminosityDistance.upperBound, exponent: 2)),
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true),
            Parameter("theta_jn", Sine(0, .pi)),
            Parameter("psi", Uniform(0, .pi), periodic: true),
        ] + skyParameters + [
            Parameter("geocent_time", Uniform(-r.geocentricTimeHalfWidth, r.geocentricTimeHalfWidth)),
        ]
    }

    /// The isotropic sky prior in ``skyFrame``'s coordinates (one measure in both frames).
    private var skyParameters: [Parameter] {
        switch skyFrame {
        case .equatorial:
            [Parameter("ra", Uniform(0, 2 * .pi), periodic: true), Parameter("dec", Cosine(-.pi / 2, .pi / 2))]
        case .detectorBaseline:
            [Parameter("zenith", Sine(0, .pi)), Parameter("azimuth", Uniform(0, 2 * .pi), periodic: true)]
        }
    }

    /// The joint prior of ``parameters``.
    /// - Returns: The prior over the 11 parameters, in θ order.
    /// - Throws: ``ModelError`` if a prior is invalid (not for ranges the initialiser accepted).
    public func prior() throws -> JointPrior {
        try JointPrior(parameters: parameters)
    }
}
