import RealModule
import TensorCore

/// The blurring kernel κ of GNPE: the pose proxy is ĝ = g(θ)·ε with ε ~ κ (Dax et al. 2022, §3.2).
///
/// ε has one coordinate per pose parameter, drawn independently. A wider kernel makes the Gibbs
/// sampler mix faster but leaves the flow less pose information removed; the paper picks κ
/// comparable to the width of the pose posterior.
public struct BlurKernel: Sendable, Equatable, CustomStringConvertible {
    /// The shape of κ.
    public enum Shape: Sendable, Equatable {
        /// Uniform on [−width/2, width/2] per coordinate.
        case uniform(width: Double)
        /// 𝒩(0, σ²) per coordinate.
        case gaussian(sigma: Double)
    }

    /// The kernel's shape.
    public let shape: Shape

    /// Uniform on [−width/2, width/2] (`width` is the full width).
    public static func uniform(width: Double) -> BlurKernel { BlurKernel(shape: .uniform(width: width)) }
    /// Gaussian 𝒩(0, σ²).
    public static func gaussian(sigma: Double) -> BlurKernel { BlurKernel(shape: .gaussian(sigma: sigma)) }

    /// Draws ε: `[dimension]`.
    public func sample(dimension: Int, using rng: inout RandomSource) -> [Double] {
        (0 ..< dimension).map { _ in
            switch shape {
            case let .uniform(w): return rng.nextUniform(in: -w / 2, w / 2)
            case let .gaussian(s): return s * rng.nextNormal()
            }
        }
    }

    /// log κ(ε), summed over coordinates.
    public func logDensity(of epsilon: [Double]) -> Double {
        epsilon.reduce(0) { acc, e in
            switch shape {
            case let .uniform(w): return abs(e) <= w / 2 ? acc - Double.log(w) : -.infinity
            case let .gaussian(s): return acc - 0.5 * (e / s) * (e / s) - Double.log(s) - 0.5 * Double.log(2 * .pi)
            }
        }
    }

    /// The standard deviation of each coordinate of ε.
    public var standardDeviation: Double {
        switch shape {
        case let .uniform(w): return w / 12.0.squareRoot()
        case let .gaussian(s): return s
        }
    }

    /// - Throws: ``ModelError/invalidKernel(_:)`` unless the width or σ is finite and positive.
    public func validate() throws {
        switch shape {
        case let .uniform(w):
            guard w > 0, w.isFinite else { throw ModelError.invalidKernel("uniform width must be finite and positive, got \(w)") }
        case let .gaussian(s):
            guard s > 0, s.isFinite else { throw ModelError.invalidKernel("gaussian σ must be finite and positive, got \(s)") }
        }
    }

    /// The kernel as declared, e.g. `gaussian(sigma: 0.001)`.
    public var description: String {
        switch shape {
        case let .uniform(w): return "uniform(width: \(w))"
        case let .gaussian(s): return "gaussian(sigma: \(s))"
        }
    }
}
