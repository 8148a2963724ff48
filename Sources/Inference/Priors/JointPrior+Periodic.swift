import TensorCore

extension JointPrior {
    /// The samples with every periodic parameter wrapped onto its prior's support
    /// `[low, low + period)`; other columns unchanged.
    ///
    /// A sampler may return a periodic parameter a period outside the prior's interval (a phase
    /// of 6.4 for a prior on [0, 2π)); wrapping puts it back before plotting or comparing.
    /// - Parameter samples: `[count, dimension]`.
    /// - Returns: `[count, dimension]`, the same matrix if no parameter is periodic.
    /// - Throws: ``ModelError/wrongParameterCount(expected:found:)`` if the column count is not ``dimension``.
    public func wrappingPeriodicParameters(of samples: SampleMatrix) throws -> SampleMatrix {
        guard samples.columns == dimension else {
            throw ModelError.wrongParameterCount(expected: dimension, found: samples.columns)
        }
        var wrapped = samples
        for j in 0 ..< dimension {
            guard let period = period(ofParameterAt: j) else { continue }
            let low = distributions[j].support.lowerBound
            for i in 0 ..< samples.rows {
                let x = samples[i, j]
                guard x.isFinite else { continue }
                var r = x - period * ((x - low) / period).rounded(.down)
                if r >= low + period { r = low }
                wrapped[i, j] = r
            }
        }
        return wrapped
    }
}
