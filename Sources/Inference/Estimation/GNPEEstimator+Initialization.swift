extension GNPEEstimator {
    /// Where the Gibbs chains start (Dax et al. 2022, §3.2: any start works given enough
    /// iterations; a good one needs fewer).
    public enum Initialization: Sendable, Equatable {
        /// Poses of the prior: each pose parameter drawn from its prior, or a computed pose g(θ)
        /// for θ drawn from the prior (slow to settle if the prior is wide compared with the kernel).
        case prior
        /// Every chain starts at this pose (e.g. a point estimate): `[poseDimension]`.
        case fixed([Double])
        /// Poses drawn with replacement from these pose samples: `[n, poseDimension]`.
        case samples(SampleMatrix)
        /// Poses drawn from the initialisation network q(g | x) (the default, as DINGO).
        case network
    }
}
