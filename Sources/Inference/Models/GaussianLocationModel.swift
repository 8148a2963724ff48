import RealModule
import TensorCore

/// A small translation-equivariant model with a closed-form posterior and evidence, for testing
/// GNPE's Gibbs sampler, importance sampling and reference samplers.
///
/// θ = (μ, a) with μ ~ U(−20, 20) (the pose) and a ~ 𝒩(0, 1); data x_i = μ + a·z_i + 𝒩(0, σ²),
/// i = 0…n−1, with the centred ramp z_i = (2i − (n − 1))/(n − 1) (so Σz_i = 0). Under
/// ``ValueTranslation`` (x ↦ x + g, μ ↦ μ + g) the likelihood is exactly invariant.
///
/// Posterior (μ and a independent given x, because Σz_i = 0):
/// μ | x ~ 𝒩(x̄, σ²/n) truncated to [−20, 20] (the truncation is neglected: it changes nothing
/// while |x̄| ≤ 15 for the defaults); a | x ~ 𝒩(m_a, s_a²) with 1/s_a² = 1 + Σz_i²/σ²,
/// m_a = s_a²·Σz_i x_i/σ².
public struct GaussianLocationModel: Sendable {
    /// The number of data points n.
    public let count: Int
    /// The noise σ.
    public let sigma: Double
    /// The half-width of μ's uniform prior.
    public let locationRange: Double

    /// Creates the model.
    /// - Parameters:
    ///   - count: n ≥ 2 data points (default 10).
    ///   - sigma: The noise σ (default 0.5).
    ///   - locationRange: μ ~ U(−range, range) (default 20).
    public init(count: Int = 10, sigma: Double = 0.5, locationRange: Double = 20) {
        self.count = count
        self.sigma = sigma
        self.locationRange = locationRange
    }

    /// The centred ramp z: `[count]`.
    public var ramp: [Double] { (0 ..< count).map { (2 * Double($0) - Double(count - 1)) / Double(count - 1) } }

    /// The model in the DSL, with μ as the pose of an exact ``ValueTranslation`` equivariance.
    /// - Parameter kernel: The blurring kernel for μ (default Gaussian σ = 0.2).
    public func model(kernel: BlurKernel = .gaussian(sigma: 0.2)) throws -> SimulationModel {
        let z = ramp, s = sigma
        return try SimulationModel {
            Parameter("mu", Uniform(-locationRange, locationRange))
            Parameter("a", Normal(0, 1))
            Simulator(outputLength: count) { θ, _ in z.map { θ[0] + θ[1] * $0 } }
            NoiseModel.gaussian("noise", sigma: s)
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: kernel, exact: true)
        }
    }

    /// log p(x | θ).
    public func logLikelihood(of theta: [Double], observation x: [Double]) -> Double {
        let z = ramp
        var ss = 0.0
        for i in 0 ..< count {
            let r = x[i] - theta[0] - theta[1] * z[i]
            ss += r * r
        }
        return -ss / (2 * sigma * sigma) - Double(count) * Double.log(sigma * (2 * Double.pi).squareRoot())
    }

    /// log π(θ).
    public func logPrior(of theta: [Double]) -> Double {
        guard abs(theta[0]) <= locationRange else { return -.infinity }
        return -Double.log(2 * locationRange) - 0.5 * theta[1] * theta[1] - 0.5 * Double.log(2 * Double.pi)
    }

    /// The posterior means (μ, a) given x.
    public func posteriorMean(given x: [Double]) -> [Double] {
        let z = ramp
        let mu = x.reduce(0, +) / Double(count)
        let sa2 = posteriorStandardDeviations[1] * posteriorStandardDeviations[1]
        let ma = sa2 * zip(z, x).reduce(0) { $0 + $1.0 * $1.1 } / (sigma * sigma)
        return [mu, ma]
    }

    /// The posterior standard deviations (of μ, of a); they do not depend on x.
    public var posteriorStandardDeviations: [Double] {
        let zz = ramp.reduce(0) { $0 + $1 * $1 }
        return [sigma / Double(count).squareRoot(), 1 / (1 + zz / (sigma * sigma)).squareRoot()]
    }

    /// The log evidence log p(x) = log p(x | θ*) + log π(θ*) − log p(θ* | x) at θ* = the posterior mean.
    public func logEvidence(given x: [Double]) -> Double {
        let m = posteriorMean(given: x)
        let s = posteriorStandardDeviations
        let logPosteriorAtMean = -Double.log(s[0]) - Double.log(s[1]) - Double.log(2 * Double.pi)
        return logLikelihood(of: m, observation: x) + logPrior(of: m) - logPosteriorAtMean
    }
}
