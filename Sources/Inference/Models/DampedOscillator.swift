import RealModule
import TensorCore

/// The damped harmonic oscillator of the GNPE paper's toy example (Dax et al., ICLR 2022,
/// arXiv 2111.13139, §5), with this project's settings (issue 5).
///
/// θ = (ω₀, β, t₀) with ω₀ ~ U(1, 5), β ~ U(0.05, 0.5), t₀ ~ U(−2, 2). Data on the 200 times
/// t_k = −5 + 0.05k, k = 0…199:
///
///     s(t) = 0                                      for t < t₀,
///     s(t) = exp(−βω₀(t − t₀)) · sin(ω_d(t − t₀))   for t ≥ t₀,  ω_d = ω₀√(1 − β²),
///
/// an oscillator at rest struck at t₀ (continuous at the onset), and x = s + 𝒩(0, 0.1²) per point.
/// The pose is t₀ under ``TimeTranslation``: delaying the data by Δ equals simulating at t₀ + Δ
/// while the onset stays inside the window (the signal is exactly 0 before the onset, which is
/// what the zero boundary shifts in), up to the interpolation error for fractional steps.
public enum DampedOscillator {
    /// The 200 sample times t_k = −5 + 0.05k.
    public static let times: [Double] = (0 ..< 200).map { -5 + 0.05 * Double($0) }
    /// The noise standard deviation σ = 0.1.
    public static let noiseSigma = 0.1
    /// The parameter names, in θ order.
    public static let parameterNames = ["omega0", "beta", "t0"]

    /// The prior ω₀ ~ U(1, 5), β ~ U(0.05, 0.5), t₀ ~ U(−2, 2).
    public static var prior: JointPrior {
        // The declarations are valid by construction.
        try! JointPrior([("omega0", Uniform(1, 5)), ("beta", Uniform(0.05, 0.5)), ("t0", Uniform(-2, 2))])
    }

    /// The noise-free signal s(t_k) on ``times`` (evaluated directly with exp and sin).
    /// - Returns: `[200]`.
    public static func signal(omega0: Double, beta: Double, t0: Double) -> [Double] {
        let a = beta * omega0
        let wd = omega0 * (1 - beta * beta).squareRoot()
        return times.map { t in
            guard t >= t0 else { return 0 }
            let tau = t - t0
            return Double.exp(-a * tau) * Double.sin(wd * tau)
        }
    }

    /// The signal written into `out` by a complex recurrence z_{k+1} = z_k·e^{(−a+iω_d)h}
    /// (4 multiplications per sample; agrees with ``signal(omega0:beta:t0:)`` to ~1e-13).
    @inline(__always)
    static func fastSignal(omega0: Double, beta: Double, t0: Double, into out: UnsafeMutableBufferPointer<Double>) {
        let n = times.count
        let h = 0.05
        let a = beta * omega0
        let wd = omega0 * (1 - beta * beta).squareRoot()
        // first index with t_k ≥ t0
        // Clamped in Double first: a NaN or huge t0 must not reach `Int(_:)`.
        let position = ((t0 + 5) / h).rounded(.up)
        var first = position.isNaN ? n : Int(max(0, min(Double(n), position)))
        while first > 0 && times[first - 1] >= t0 { first -= 1 }
        while first < n && times[first] < t0 { first += 1 }
        for k in 0 ..< first { out[k] = 0 }
        guard first < n else { return }
        let tau0 = times[first] - t0
        let m0 = Double.exp(-a * tau0)
        var re = m0 * Double.cos(wd * tau0), im = m0 * Double.sin(wd * tau0)
        let m = Double.exp(-a * h)
        let rr = m * Double.cos(wd * h), ri = m * Double.sin(wd * h)
        for k in first ..< n {
            out[k] = im
            let nre = re * rr - im * ri
            im = re * ri + im * rr
            re = nre
        }
    }

    /// The exact log-likelihood log p(x | θ) = −Σ_k (x_k − s(t_k))²/(2σ²) − 200·log(σ√(2π)).
    /// - Parameters:
    ///   - theta: (ω₀, β, t₀).
    ///   - observation: x, `[200]`.
    /// - Returns: The log-likelihood; NaN (which the samplers count as −∞, and report as
    ///   ``SamplingError/zeroLikelihood`` when it holds everywhere) for θ without 3 values or an
    ///   observation without 200 — this closure-friendly function cannot throw, and must not trap.
    public static func logLikelihood(of theta: [Double], observation x: [Double]) -> Double {
        let n = times.count
        guard theta.count == 3, x.count == n else { return .nan }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { buffer in
            fastSignal(omega0: theta[0], beta: theta[1], t0: theta[2], into: buffer)
            var ss = 0.0
            for k in 0 ..< n {
                let r = x[k] - buffer[k]
                ss += r * r
            }
            return -ss / (2 * noiseSigma * noiseSigma) - Double(n) * Double.log(noiseSigma * (2 * Double.pi).squareRoot())
        }
    }

    /// The model in the DSL: the three parameters, the simulator, Gaussian noise σ = 0.1, and
    /// t₀ as the pose under time translation.
    /// - Parameters:
    ///   - kernel: The blurring kernel for t₀ (default uniform of width 0.2).
    ///   - interpolation: How fractional-step shifts are handled (default linear interpolation;
    ///     `.wholeSamples` rounds GNPE's proxies to the grid instead).
    /// - Throws: ``ModelError`` only if `kernel` is invalid.
    public static func model(kernel: BlurKernel = .uniform(width: 0.2), interpolation: TimeTranslation.Interpolation = .linear) throws -> SimulationModel {
        try SimulationModel {
            Parameter("omega0", Uniform(1, 5))
            Parameter("beta", Uniform(0.05, 0.5))
            Parameter("t0", Uniform(-2, 2))
            Simulator(outputLength: 200) { θ, _ in signal(omega0: θ[0], beta: θ[1], t0: θ[2]) }
            NoiseModel.gaussian("measurement", sigma: noiseSigma)
            Equivariance(pose: ["t0"], group: TimeTranslation(grid: times, interpolation: interpolation), kernel: kernel, exact: true)
        }
    }
}
