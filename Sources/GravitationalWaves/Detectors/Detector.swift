import Foundation

/// A ground-based interferometric detector: its vertex in Earth-fixed coordinates and its
/// response tensor, from which antenna patterns and arrival-time delays follow (see
/// `Detector+Response.swift`).
///
/// The built-in LIGO Hanford (``hanford``, H1), LIGO Livingston (``livingston``, L1) and Virgo
/// (``virgo``, V1) are computed from the published vertex coordinates and arm directions (the
/// numbers LAL documents in LALDetectors.h) on the WGS-84 ellipsoid.
///
/// ```swift
/// let (fPlus, fCross) = Detector.hanford.antennaPattern(
///     rightAscension: 1.95, declination: -1.27, polarization: 0.82, greenwichMeanSiderealTime: 0.7)
/// ```
public struct Detector: Hashable, Sendable, CustomStringConvertible {
    /// A short name, e.g. "H1".
    public let name: String
    /// The vertex in Earth-fixed Cartesian coordinates (m), `[3]`.
    public let location: [Double]
    /// The response tensor D, row-major `[9]` (symmetric, traceless for equal-length arms).
    public let responseTensor: [Double]

    /// A detector with the given position and response tensor.
    /// - Parameters:
    ///   - name: A short name.
    ///   - location: Earth-fixed vertex position (m), `[3]`.
    ///   - responseTensor: D, row-major `[9]` (or `[3][3]` flattened).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for wrong counts,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` for non-finite entries.
    public init(name: String, location: [Double], responseTensor: [Double]) throws {
        guard location.count == 3, responseTensor.count == 9 else {
            throw GravitationalWaveError.shapeMismatch(
                "a detector needs a location [3] and a response tensor [9], got [\(location.count)] and [\(responseTensor.count)]"
            )
        }
        guard (location + responseTensor).allSatisfy(\.isFinite) else {
            throw GravitationalWaveError.invalidParameter("detector \(name): location and response must be finite")
        }
        self.name = name
        self.location = location
        self.responseTensor = responseTensor
    }

    /// A differential-arm interferometer at a site.
    /// - Parameters:
    ///   - name: A short name.
    ///   - site: Vertex position and arm directions.
    public init(name: String, site: DetectorSite) {
        self.name = name
        self.location = site.vertexPosition
        self.responseTensor = site.responseTensor
    }

    /// The name.
    public var description: String { name }

    /// LIGO Hanford Observatory, 4 km (H1).
    public static let hanford = Detector(
        name: "H1",
        site: DetectorSite(
            latitude: 0.81079526383, longitude: -2.08405676917, elevation: 142.554,
            xArmAzimuth: 5.65487724844, yArmAzimuth: 4.08408092164,
            xArmAltitude: -0.00061950000, yArmAltitude: 0.00001250000))

    /// LIGO Livingston Observatory, 4 km (L1).
    public static let livingston = Detector(
        name: "L1",
        site: DetectorSite(
            latitude: 0.53342313506, longitude: -1.58430937078, elevation: -6.574,
            xArmAzimuth: 4.40317772346, yArmAzimuth: 2.83238139666,
            xArmAltitude: -0.00031210000, yArmAltitude: -0.00061070000))

    /// Virgo, 3 km (V1).
    public static let virgo = Detector(
        name: "V1",
        site: DetectorSite(
            latitude: 0.76151183984, longitude: 0.18333805213, elevation: 51.884,
            xArmAzimuth: 0.33916285222, yArmAzimuth: 5.05155183261,
            xArmAltitude: 0, yArmAltitude: 0))

    /// The detectors known by name: H1, L1, V1.
    public static let builtIn: [Detector] = [hanford, livingston, virgo]

    /// The built-in detector with this name.
    /// - Parameter name: "H1", "L1" or "V1".
    /// - Returns: The detector.
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` for an unknown name.
    public static func named(_ name: String) throws -> Detector {
        guard let detector = builtIn.first(where: { $0.name == name }) else {
            throw GravitationalWaveError.invalidParameter(
                "unknown detector \"\(name)\"; known: \(builtIn.map(\.name).joined(separator: ", "))")
        }
        return detector
    }
}
