/// The Mollweide projection: an equal-area map of the whole sphere onto an ellipse twice as wide
/// as it is high.
///
/// A point at longitude λ ∈ [−π, π] and latitude φ ∈ [−π/2, π/2] maps to
/// x = (2√2/π) λ cos θ, y = √2 sin θ, where the auxiliary angle θ solves
/// 2θ + sin 2θ = π sin φ (Snyder, "Map Projections — A Working Manual", USGS Professional
/// Paper 1395, 1987, p. 251). On the unit sphere the ellipse has semi-axes 2√2 and √2 and area 4π,
/// the sphere's: equal areas on the sky are equal areas on the map.
///
/// ```swift
/// let (x, y) = Mollweide.project(longitude: 0.5, latitude: -0.3)
/// ```
public enum Mollweide {
    /// The semi-major axis of the map of the unit sphere, 2√2.
    public static let semiMajorAxis = 2 * 2.0.squareRoot()
    /// The semi-minor axis of the map of the unit sphere, √2.
    public static let semiMinorAxis = 2.0.squareRoot()

    /// The auxiliary angle θ with 2θ + sin 2θ = π sin φ.
    ///
    /// Newton's method on f(u) = u + sin u − π sin φ with u = 2θ, safeguarded by bisection: f is
    /// increasing on [−π, π] but f′ = 1 + cos u vanishes at the poles, where plain Newton slows to
    /// a crawl and can overshoot. Within 1e-12 of a pole the answer ±π/2 is returned directly.
    /// - Parameter latitude: φ in radians, in [−π/2, π/2] (clamped; NaN gives NaN).
    /// - Returns: θ in [−π/2, π/2], accurate to about 1e-12.
    public static func auxiliaryAngle(latitude: Double) -> Double {
        guard !latitude.isNaN else { return .nan }
        let phi = min(max(latitude, -Double.pi / 2), Double.pi / 2)
        if Double.pi / 2 - abs(phi) < 1e-12 { return phi < 0 ? -Double.pi / 2 : Double.pi / 2 }
        let target = Double.pi * sin(phi)
        var low = -Double.pi
        var high = Double.pi
        var u = 2 * phi
        for _ in 0..<100 {
            let f = u + sin(u) - target
            if abs(f) < 1e-14 { break }
            if f > 0 { high = u } else { low = u }
            let slope = 1 + cos(u)
            var next = slope > 1e-300 ? u - f / slope : .nan
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - u) < 1e-15 {
                u = next
                break
            }
            u = next
        }
        return u / 2
    }

    /// The map position of a point on the unit sphere.
    /// - Parameters:
    ///   - longitude: λ in radians, in [−π, π] (0 at the centre of the map, positive to the right).
    ///   - latitude: φ in radians, in [−π/2, π/2].
    /// - Returns: `(x, y)` with x in [−2√2, 2√2] and y in [−√2, √2] (y up).
    public static func project(longitude: Double, latitude: Double) -> (x: Double, y: Double) {
        let theta = auxiliaryAngle(latitude: latitude)
        return (semiMajorAxis / Double.pi * longitude * cos(theta), semiMinorAxis * sin(theta))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
