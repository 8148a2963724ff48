import Foundation

/// Where an L-shaped interferometer stands and how its arms point: the geodetic position of its
/// vertex on the WGS-84 ellipsoid and the direction of each arm in the local horizontal frame.
///
/// Azimuths are measured from local North towards East; altitudes (the small tilts of the arms
/// with respect to the local horizontal plane) are positive upwards — the conventions of LAL's
/// `LALFrDetector` (LALDetectors.h), whose published numbers the built-in detectors use.
public struct DetectorSite: Hashable, Sendable {
    /// Geodetic latitude of the vertex (rad).
    public var latitude: Double
    /// Longitude of the vertex, East positive (rad).
    public var longitude: Double
    /// Height of the vertex above the WGS-84 ellipsoid (m).
    public var elevation: Double
    /// Azimuth of the x arm, from North towards East (rad).
    public var xArmAzimuth: Double
    /// Azimuth of the y arm, from North towards East (rad).
    public var yArmAzimuth: Double
    /// Altitude (upward tilt) of the x arm (rad).
    public var xArmAltitude: Double
    /// Altitude (upward tilt) of the y arm (rad).
    public var yArmAltitude: Double

    /// Creates a site.
    /// - Parameters:
    ///   - latitude: Geodetic latitude of the vertex (rad).
    ///   - longitude: East longitude of the vertex (rad).
    ///   - elevation: Height above the WGS-84 ellipsoid (m).
    ///   - xArmAzimuth: x-arm azimuth from North towards East (rad).
    ///   - yArmAzimuth: y-arm azimuth from North towards East (rad).
    ///   - xArmAltitude: x-arm altitude (rad).
    ///   - yArmAltitude: y-arm altitude (rad).
    public init(
        latitude: Double, longitude: Double, elevation: Double, xArmAzimuth: Double,
        yArmAzimuth: Double, xArmAltitude: Double = 0, yArmAltitude: Double = 0
    ) {
        self.latitude = latitude
        self.longitude = longitude
        self.elevation = elevation
        self.xArmAzimuth = xArmAzimuth
        self.yArmAzimuth = yArmAzimuth
        self.xArmAltitude = xArmAltitude
        self.yArmAltitude = yArmAltitude
    }

    /// The vertex in Earth-fixed Cartesian coordinates (m), `[3]`.
    ///
    /// With the WGS-84 semi-axes a and b = a(1 − f) and the prime-vertical radius
    /// N = a²/√(a² cos²β + b² sin²β): x = (N + h) cos β cos λ, y = (N + h) cos β sin λ,
    /// z = (b²N/a² + h) sin β.
    public var vertexPosition: [Double] {
        let a = PhysicalConstants.wgs84SemiMajorAxis
        let b = a * (1 - PhysicalConstants.wgs84Flattening)
        let cosLat = cos(latitude)
        let sinLat = sin(latitude)
        let denominator = (a * a * cosLat * cosLat + b * b * sinLat * sinLat).squareRoot()
        let rho = cosLat * (a * a / denominator + elevation)
        return [rho * cos(longitude), rho * sin(longitude), sinLat * (b * b / denominator + elevation)]
    }

    /// The unit vector along an arm in Earth-fixed coordinates, `[3]`:
    /// û = (ê_E sin ζ + ê_N cos ζ) cos A + ê_U sin A for azimuth ζ and altitude A, with the local
    /// East, North and Up vectors of the vertex (Up is the ellipsoid's normal).
    func armDirection(azimuth: Double, altitude: Double) -> [Double] {
        let cosLat = cos(latitude)
        let sinLat = sin(latitude)
        let cosLon = cos(longitude)
        let sinLon = sin(longitude)
        let east = [-sinLon, cosLon, 0]
        let north = [-sinLat * cosLon, -sinLat * sinLon, cosLat]
        let up = [cosLat * cosLon, cosLat * sinLon, sinLat]
        let horizontal = cos(altitude)
        let vertical = sin(altitude)
        return (0..<3).map { i in
            (east[i] * sin(azimuth) + north[i] * cos(azimuth)) * horizontal + up[i] * vertical
        }
    }

    /// The unit vector along the x arm, `[3]`.
    public var xArmDirection: [Double] { armDirection(azimuth: xArmAzimuth, altitude: xArmAltitude) }

    /// The unit vector along the y arm, `[3]`.
    public var yArmDirection: [Double] { armDirection(azimuth: yArmAzimuth, altitude: yArmAltitude) }

    /// The response tensor D = ½(x̂x̂ᵀ − ŷŷᵀ) of a differential-arm interferometer, row-major `[9]`.
    public var responseTensor: [Double] {
        let x = xArmDirection
        let y = yArmDirection
        var d = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 { d[3 * i + j] = 0.5 * (x[i] * x[j] - y[i] * y[j]) }
        }
        return d
    }
}
