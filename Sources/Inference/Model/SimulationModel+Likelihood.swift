import RealModule
import TensorCore

extension SimulationModel {
    /// The exact log-likelihood log p(x | θ): the model's declared ``Likelihood`` if it has one;
    /// otherwise, when the model is a deterministic simulator plus white Gaussian noise, with s(θ)
    /// the simulator's output and σ² the sum of the declared Gaussian noise variances
    /// (independent noises add),
    ///
    ///     log p(x | θ) = −Σ_k (x_k − s_k(θ))²/(2σ²) − n·log(σ√(2π)).
    ///
    /// The simulator's determinism cannot be read from its closure, so it is checked: it is run
    /// at the prior's mean (or a prior draw) with two different random sources and must give the
    /// same output. A simulator (or declared likelihood) that throws at some θ gives log p = −∞
    /// there (no data can arise).
    ///
    /// ```swift
    /// let logLikelihood = try model.exactLogLikelihood(given: x)
    /// logLikelihood([2.5, 0.2, 0.1])   // log p(x | θ)
    /// ```
    /// - Parameter observation: x, `[outputLength]`, finite.
    /// - Returns: A thread-safe closure θ ↦ log p(x | θ) (NaN for θ of the wrong length).
    /// - Throws: ``SamplingError/invalidInput(_:)`` for an observation of the wrong length or with
    ///   NaN or ±∞; ``SamplingError/noLikelihood(_:)`` if no likelihood is declared and a noise
    ///   model is not Gaussian, none is declared, or the simulator gives different outputs for
    ///   different random sources.
    public func exactLogLikelihood(given observation: [Double]) throws -> ([Double]) -> Double {
        let n = simulator.outputLength
        guard observation.count == n else {
            throw SamplingError.invalidInput("the observation has \(observation.count) values; the model's output has \(n)")
        }
        if let i = InputValidation.firstNonFinite(in: observation) {
            throw SamplingError.invalidInput("observation value \(observation[i]) at index \(i) is not finite")
        }
        if let likelihood {
            let function = likelihood.function, parameterCount = prior.dimension
            return { theta in
                guard theta.count == parameterCount else { return .nan }
                return (try? function(theta, observation)) ?? -.infinity
            }
        }
        guard !noiseModels.isEmpty else {
            throw SamplingError.noLikelihood("the model declares no noise model, so its likelihood is not known")
        }
        var variance = 0.0
        for noise in noiseModels {
            guard let sigma = noise.gaussianSigma else {
                throw SamplingError.noLikelihood("noise model '\(noise.name)' is a custom function, not NoiseModel.gaussian(sigma:)")
            }
            variance += sigma * sigma
        }
        // Determinism probe at a point inside the prior.
        var probe = RandomSource(seed: 0x5EED)
        let theta = zip(prior.means, prior.distributions).map { mean, d in mean ?? d.sample(using: &probe) }
        var first = RandomSource(seed: 1), second = RandomSource(seed: 2)
        if let a = try? simulator.function(theta, &first), let b = try? simulator.function(theta, &second), a != b {
            throw SamplingError.noLikelihood(
                "the simulator's output at θ = \(theta) depends on its random source, so Gaussian noise alone does not give the likelihood; declare the model's Likelihood, or pass one")
        }
        let function = simulator.function, parameterCount = prior.dimension
        let normalization = Double(n) * 0.5 * Double.log(2 * Double.pi * variance)
        return { theta in
            guard theta.count == parameterCount else { return .nan }
            var rng = RandomSource(seed: 0)
            guard let s = try? function(theta, &rng), s.count == n else { return -.infinity }
            var sum = 0.0
            for k in 0 ..< n {
                let r = observation[k] - s[k]
                sum += r * r
            }
            return -sum / (2 * variance) - normalization
        }
    }
}

extension Optional where Wrapped == SimulationModel {
    /// The likelihood a posterior's importance sampling weighs with: the one passed, else the
    /// model's ``SimulationModel/exactLogLikelihood(given:)``.
    /// - Parameters:
    ///   - passed: The user's log p(x | θ), if given.
    ///   - observation: x.
    ///   - origin: How such a posterior gets its model, for the error (e.g. "NPE.posterior").
    /// - Throws: ``SamplingError/noLikelihood(_:)`` without either; the model's errors.
    func importanceLogLikelihood(passed: (([Double]) throws -> Double)?, given observation: [Double], origin: String) throws
        -> ([Double]) throws -> Double
    {
        if let passed { return passed }
        guard let model = self else {
            throw SamplingError.noLikelihood("this posterior does not know its model (make it with \(origin), or pass logLikelihood)")
        }
        return try model.exactLogLikelihood(given: observation)
    }
}
