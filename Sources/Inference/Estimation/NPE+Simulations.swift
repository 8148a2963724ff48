extension NPE {
    /// Draws `count` parameter vectors from the prior, simulates them on all cores and stores the
    /// valid pairs.
    ///
    /// - Simulations that return NaN or ±∞, or whose simulator throws, are dropped and counted
    ///   (as sbi does); a warning naming the first θ goes to standard error once per call. If
    ///   every simulation throws, the run stops early with the first error.
    /// - A simulation of the wrong length is a bug in the simulator: the run stops with
    ///   ``SimulationError/wrongOutputLength(expected:found:theta:simulation:count:kept:)``.
    ///   An interrupt stops it too. Either way the simulations finished before are stored, and
    ///   the same call continues the run instead of starting again.
    /// - A request that cannot fit in memory is refused before anything is allocated.
    /// - With a session directory (``SessionStore``), a run longer than a few seconds is
    ///   checkpointed; after a crash, the same call with the same model resumes it (only the
    ///   missing simulations run; the result is bit-identical to an uninterrupted run).
    /// - With `settings.noise = .freshEachEpoch` (``TrainingNoise``) the model's Gaussian noise is
    ///   left out and noise-free signals are stored; training adds fresh noise every epoch.
    /// - Parameters:
    ///   - count: The number of simulations.
    ///   - seed: Seeds the prior draws and the simulator noise (same seed, same simulations).
    /// - Returns: The number of simulations the run kept.
    /// - Throws: ``EstimatorError/noModel`` for an estimator built from a prior;
    ///   ``EstimatorError/invalidArgument(_:)`` for a negative count, or for
    ///   `settings.noise = .freshEachEpoch` with a non-Gaussian noise model or stored simulations
    ///   that include their noise; ``SimulationError``;
    ///   `InterruptedError`.
    @discardableResult
    public func appendSimulations(count: Int, seed: UInt64) throws -> Int {
        guard let model else { throw EstimatorError.noModel }
        return try simulations.simulate(model, count: count, seed: seed, noise: settings.noise)
    }

    /// Stores simulations made elsewhere (e.g. read from `.npy` files); rows whose θ or x contain
    /// NaN or infinite values are dropped and counted.
    /// - Parameters:
    ///   - parameters: θ, `[n, parameterCount]`, drawn from ``prior``.
    ///   - data: x, `[n, observationLength]`, row i simulated at θ row i.
    /// - Returns: The number of simulations kept.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` naming the expected sizes;
    ///   ``EstimatorError/invalidArgument(_:)`` if the stored simulations are noise-free signals.
    @discardableResult
    public func appendSimulations(parameters theta: SampleMatrix, data x: SampleMatrix) throws -> Int {
        try simulations.append(parameters: theta, data: x, parameterNames: prior.names)
    }

    /// Forgets all stored simulations and the count of dropped ones (the trained flow is kept).
    public func removeSimulations() {
        simulations.removeAll()
    }
}
