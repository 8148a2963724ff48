/// GNPE's posterior has samples only: its Gibbs chains' θ-marginal has no closed-form density
/// (importance sampling gives one per observation, see
/// ``GNPEPosterior/importanceSampled(count:given:logLikelihood:proxyCount:seed:)``), so a
/// calibration gets ranks and P–P curves but no highest-density coverage.
extension GNPEPosterior: PosteriorSampling {
    /// A posterior sharing this one's (read-only) networks, with the same iterations, start,
    /// rejection and proxy settings and its own diagnostics, so that it can sample on another
    /// thread. It does not print warnings: a calibration collects them (``lastSamplingWarning``).
    /// - Returns: The copy.
    public func concurrentCopy() -> GNPEPosterior {
        let copy = GNPEPosterior(flow: flow, initialNetwork: initialNetwork, equivariance: equivariance, prior: prior,
                                 outputLength: outputLength, iterations: iterations, initialization: initialization)
        copy.model = model
        copy.rejectsOutsidePrior = rejectsOutsidePrior
        copy.maximumProxyComponents = maximumProxyComponents
        copy.printsWarnings = false
        return copy
    }

    /// The Gibbs chains' warning of the last draw (they had not settled), or `nil`.
    public var lastSamplingWarning: String? { lastDiagnostics?.warning }

    /// `true`: the Gibbs sampler moves its chains on all cores. Measured on 2 cores (damped
    /// oscillator, 20 cases × 200 samples, notebook budget): 4.6 s one case at a time, 5.4 s
    /// two cases side by side.
    public var samplesOnAllCores: Bool { true }
}

extension GNPEPosterior {
    /// Throws ``CalibrationError/densityUnavailable(_:)``: GNPE has no density of its own.
    /// - Parameters:
    ///   - theta: `[n, parameterCount]`.
    ///   - observation: x.
    /// - Returns: Never returns.
    /// - Throws: ``CalibrationError/densityUnavailable(_:)`` naming the remedy (GNPE-IS).
    public func logProbability(of theta: SampleMatrix, given observation: [Double]) throws -> [Double] {
        throw CalibrationError.densityUnavailable(
            "a GNPE posterior gives samples but no density q(θ | x) (the θ-marginal of its Gibbs chains has no closed "
                + "form); highest-density coverage needs NPE, or importanceSampled(count:given:) per observation")
    }
}
