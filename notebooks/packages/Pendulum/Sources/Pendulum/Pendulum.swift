import Foundation
import GNPE

/// A damped pendulum released from a small angle: the angle over time, observed with noise.
///
/// φ(t) = φ₀ e^{−γt} cos(ω t), ω = √(g/L − γ²), sampled at `times` (seconds); the parameters
/// are the length L (metres) and the damping rate γ (1/s).
public enum Pendulum {
    /// Standard gravity, m/s².
    public static let gravity = 9.81
    /// The release angle φ₀, radians.
    public static let releaseAngle = 0.2
    /// The sampling times: 60 points over 6 s.
    public static let times = (0..<60).map { Double($0) * 0.1 }

    /// The noise-free angles for length `length` and damping `damping`, one per entry of ``times``.
    /// - Parameters:
    ///   - length: The length L in metres (> 0).
    ///   - damping: The damping rate γ in 1/s (≥ 0).
    /// - Returns: The angles in radians, `[times.count]`.
    public static func angles(length: Double, damping: Double) -> [Double] {
        let omega = (max(gravity / length - damping * damping, 0)).squareRoot()
        return times.map { t in releaseAngle * exp(-damping * t) * cos(omega * t) }
    }

    /// The model: uniform priors on L ∈ [0.5, 2] m and γ ∈ [0.05, 0.5] 1/s, Gaussian noise of
    /// 0.02 rad on each angle.
    /// - Throws: `SimulationModelError` if a declaration is invalid.
    public static func model() throws -> SimulationModel {
        try SimulationModel {
            Parameter("L", Uniform(0.5, 2))
            Parameter("gamma", Uniform(0.05, 0.5))
            Simulator(outputLength: times.count) { θ, _ in angles(length: θ[0], damping: θ[1]) }
            NoiseModel.gaussian("angle noise", sigma: 0.02)
        }
    }
}
