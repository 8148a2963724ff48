import Flows

extension ParameterSupport {
    /// The bounded parameters of a prior: every marginal with a finite support (uniform,
    /// log-uniform, sine, cosine, power-law and component-mass priors) gets its interval, the
    /// others (normal priors) none.
    /// - Parameters:
    ///   - prior: The prior.
    ///   - excluding: Parameter indices to leave unbounded (GNPE's pose, which the flow models
    ///     relative to the proxy).
    public init(boundedParametersOf prior: JointPrior, excluding: Set<Int> = []) {
        self.init(intervals: prior.supports.enumerated().map { j, support in
            guard !excluding.contains(j), support.lowerBound.isFinite, support.upperBound.isFinite,
                  support.lowerBound < support.upperBound else { return nil }
            return support
        })
    }
}
