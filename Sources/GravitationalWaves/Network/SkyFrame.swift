/// The coordinates in which a ``BinaryBlackHoleNetwork``'s θ places the source on the sky
/// (θ's entries 8 and 9).
///
/// The choice changes what a network learns, not the physics: both frames carry the isotropic
/// prior (one measure on the sphere, so evidences agree), and ``BinaryBlackHoleNetwork/equatorialSamples(_:)`` turns samples
/// in the baseline frame into right ascension and declination for sky maps and catalogues.
///
/// ```swift
/// var configuration = BinaryBlackHoleNetwork.Configuration.reduced
/// configuration.skyFrame = .detectorBaseline        // θ[8], θ[9] = zenith, azimuth about H1–L1
/// let network = try BinaryBlackHoleNetwork(configuration)
/// ```
public enum SkyFrame: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Right ascension and declination, `ra` (uniform on [0, 2π), periodic) and `dec` (``Cosine``
    /// on [−π/2, π/2]): the field's usual output, DINGO's network parameters.
    case equatorial
    /// Zenith and azimuth about the baseline from the network's first detector to its second
    /// (``BaselineFrame``; bilby's `zenith`, `azimuth`): `zenith` (``Sine`` on [0, π]) and `azimuth`
    /// (uniform on [0, 2π), periodic), at the reference time's sidereal time. The arrival-time
    /// difference of the two detectors is then a function of the zenith alone, so the timing ring
    /// a network must otherwise learn in (α, δ) is one coordinate.
    case detectorBaseline

    /// The names of θ's two sky parameters in this frame.
    public var parameterNames: (String, String) {
        switch self {
        case .equatorial: ("ra", "dec")
        case .detectorBaseline: ("zenith", "azimuth")
        }
    }

    /// "equatorial" or "detectorBaseline".
    public var description: String { rawValue }
}
