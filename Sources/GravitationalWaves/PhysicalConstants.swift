/// Physical and astronomical constants in SI units, with the values LAL uses (LALConstants.h,
/// lalsuite 7.7), so that waveforms and detector responses agree with LALSimulation to
/// rounding.
public enum PhysicalConstants {
    /// Speed of light in vacuum, c (m s⁻¹; exact).
    public static let speedOfLight = 299_792_458.0
    /// Boltzmann's constant, k (J K⁻¹; exact, SI 2019).
    public static let boltzmann = 1.380649e-23
    /// Reduced Planck constant, ħ = h/2π (J s).
    public static let reducedPlanck = 1.054571817646156391262428003302280745e-34
    /// The parsec (m), from the IAU 2012 astronomical unit.
    public static let parsec = 3.085677581491367278913937957796471611e16
    /// The megaparsec (m).
    public static let megaparsec = 1e6 * parsec
    /// The solar mass in seconds, G M☉/c³ (s), from the IAU 2015 nominal solar mass parameter.
    public static let solarMassSeconds = 4.925490947641266978197229498498379006e-6
    /// The solar mass in metres, G M☉/c² (m).
    public static let solarMassMetres = 1.476625038050124729627979840144936351e3
    /// The solar mass (kg), as LAL derives it from G M☉ and G.
    public static let solarMassKilograms = 1.988409870698050731911960804878414216e30
    /// The Euler–Mascheroni constant γ.
    public static let eulerGamma = 0.577215664901532860606512090082402431
    /// The WGS-84 reference ellipsoid's semi-major axis a (m).
    public static let wgs84SemiMajorAxis = 6_378_137.0
    /// The WGS-84 reference ellipsoid's flattening f = 1/298.257223563.
    public static let wgs84Flattening = 1 / 298.257223563
}
