import RealModule

/// Rotations SO(2) acting on data made of points in the plane, `[x₀, y₀, x₁, y₁, …]`; the element
/// is an angle φ (radians), composed by addition and wrapped to (−π, π].
///
/// The pose is an angle parameter (declare its prior on an interval of length 2π, e.g.
/// `Uniform(-.pi, .pi)`); the action on it wraps to (−π, π] as well.
public struct PlaneRotation: PoseGroup {
    /// Creates the rotation group of the plane.
    public init() {}

    /// One angle.
    public var dimension: Int { 1 }
    /// The angle 0.
    public var identity: [Double] { [0] }

    /// The angle wrapped to (−π, π].
    public static func wrapped(_ angle: Double) -> Double {
        var a = angle.remainder(dividingBy: 2 * Double.pi)
        if a <= -Double.pi { a += 2 * Double.pi }
        return a
    }

    /// Angles add, wrapped onto (−π, π].
    public func composing(_ g: [Double], _ h: [Double]) -> [Double] { [Self.wrapped(g[0] + h[0])] }
    /// The opposite angle, wrapped.
    public func inverse(of g: [Double]) -> [Double] { [Self.wrapped(-g[0])] }

    /// Rotates every (x, y) pair of the data by the angle.
    public func transformingData(_ x: [Double], by g: [Double]) -> [Double] {
        let c = Double.cos(g[0]), s = Double.sin(g[0])
        var out = x
        var k = 0
        while k + 1 < x.count {
            out[k] = c * x[k] - s * x[k + 1]
            out[k + 1] = s * x[k] + c * x[k + 1]
            k += 2
        }
        return out
    }

    /// - Throws: ``ModelError/invalidGroup(_:)`` if the output length is odd.
    public func validate(outputLength: Int) throws {
        guard outputLength % 2 == 0 else {
            throw ModelError.invalidGroup("PlaneRotation acts on (x, y) pairs; the output length \(outputLength) is odd")
        }
    }
}
