/// NPE's posterior has samples and a density: calibration gets ranks and highest-density coverage.
extension NPEPosterior: PosteriorSampling {
    /// `true`: the flow gives log q(θ | x).
    public var providesDensity: Bool { true }

    /// A posterior sharing this one's (read-only) flow and prior, with the same rejection
    /// settings and its own ``lastAcceptanceRate``, so that it can sample on another thread.
    /// - Returns: The copy.
    public func concurrentCopy() -> NPEPosterior {
        let copy = NPEPosterior(flow: flow, prior: prior)
        copy.rejectsOutsidePrior = rejectsOutsidePrior
        copy.minimumAcceptanceRate = minimumAcceptanceRate
        copy.minimumProposalsBeforeGivingUp = minimumProposalsBeforeGivingUp
        return copy
    }
}
