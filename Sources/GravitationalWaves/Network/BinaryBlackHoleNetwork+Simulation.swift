import Foundation
import Inference
import Spectral
import TensorCore

extension BinaryBlackHoleNetwork {
    /// The binary a parameter vector describes: m₁ = 𝓜 (1 + q)^{1/5} q^{−3/5}, m₂ = q·m₁, the
    /// aligned spins, the distance, ι = theta_jn and φ_ref = phase (at the waveform's default
    /// reference frequency: f_min for IMRPhenomD, as DINGO's f_ref = f_min).
    /// - Parameter theta: θ, `[11]` in ``parameterNames`` order.
    /// - Returns: The binary.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for a θ of another length,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` naming the first value that is not
    ///   finite or outside its domain (𝓜 > 0, 0 < q ≤ 1, |χ| ≤ 1, d_L > 0).
    public func binary(from theta: [Double]) throws -> AlignedSpinBinary {
        try checkParameters(theta)
        let chirpMass = theta[0]
        let q = theta[1]
        guard chirpMass > 0 else {
            throw GravitationalWaveError.invalidParameter("chirp_mass must be positive, got \(chirpMass)")
        }
        guard q > 0, q <= 1 else {
            throw GravitationalWaveError.invalidParameter("mass_ratio must lie in (0, 1], got \(q)")
        }
        let mass1 = chirpMass * pow(1 + q, 0.2) / pow(q, 0.6)
        return try AlignedSpinBinary(
            mass1: mass1, mass2: q * mass1, spin1: theta[2], spin2: theta[3], distance: theta[4],
            inclination: theta[6], referencePhase: theta[5])
    }

    /// Checks a parameter vector's length and finiteness.
    func checkParameters(_ theta: [Double]) throws {
        guard theta.count == parameterCount else {
            throw GravitationalWaveError.shapeMismatch(
                "θ has \(theta.count) values; the network's parameters are \(parameterNames.count): \(parameterNames.joined(separator: ", "))"
            )
        }
        if let bad = theta.firstIndex(where: { !$0.isFinite }) {
            throw GravitationalWaveError.invalidParameter(
                "\(parameterNames[bad]) is \(theta[bad]); θ must be finite")
        }
    }

    /// The arrival time of the signal at each detector, t_I = geocent_time + Δ_I(ra, dec), in
    /// seconds from the reference time, with the geocentre delays Δ_I at the reference time's
    /// sidereal time (and (ra, dec) from θ's sky in ``skyFrame``): the pose of GNPE (one time per
    /// detector).
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: t_I, `[detectors.count]` (s).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``, ``GravitationalWaveError/invalidParameter(_:)``
    ///   for a θ of another length or with a value that is not finite.
    public func arrivalTimes(of theta: [Double]) throws -> [Double] {
        try checkParameters(theta)
        let sky = skyPosition(of: theta)
        return detectors.map { detector in
            theta[10]
                + detector.timeDelayFromGeocenter(
                    rightAscension: sky.rightAscension, declination: sky.declination,
                    greenwichMeanSiderealTime: referenceSiderealTime)
        }
    }

    /// The antenna patterns (F₊, F×) of each detector for θ's sky position and polarisation, at
    /// the reference time's sidereal time.
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: `[detectors.count]` pairs.
    /// - Throws: As ``arrivalTimes(of:)``.
    public func antennaPatterns(of theta: [Double]) throws -> [(plus: Double, cross: Double)] {
        try checkParameters(theta)
        let sky = skyPosition(of: theta)
        return detectors.map {
            $0.antennaPattern(
                rightAscension: sky.rightAscension, declination: sky.declination, polarization: theta[7],
                greenwichMeanSiderealTime: referenceSiderealTime)
        }
    }

    /// The noise-free whitened signal s(θ) in the data layout `[detector][frequency][re, im]`
    /// (see the type's documentation): what the simulator returns before noise is added.
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: s(θ), `[outputLength]`.
    /// - Throws: As ``binary(from:)``, and the waveform model's errors (e.g. IMRPhenomD's for a
    ///   band starting above its cutoff frequency).
    /// - Complexity: One waveform, then O(detectors × ``bandBinCount``).
    public func signal(_ theta: [Double]) throws -> [Double] {
        var out = [Double](repeating: 0, count: outputLength)
        try out.withUnsafeMutableBufferPointer { try writeSignal(theta, into: $0) }
        return out
    }

    /// Writes s(θ) into `out` (`[outputLength]`).
    func writeSignal(_ theta: [Double], into out: UnsafeMutableBufferPointer<Double>) throws {
        let source = try binary(from: theta)
        let polarizations = try waveform.polarizations(of: source, on: grid)
        let patterns = try antennaPatterns(of: theta)
        let times = try arrivalTimes(of: theta)
        let n = bandBinCount
        let first = grid.firstBandBin
        guard out.count == outputLength else {
            throw GravitationalWaveError.shapeMismatch(
                "an output buffer of \(out.count) values for data of \(outputLength)")
        }
        polarizations.plus.real.withUnsafeBufferPointer { plusRe in
            polarizations.plus.imaginary.withUnsafeBufferPointer { plusIm in
                polarizations.cross.real.withUnsafeBufferPointer { crossRe in
                    polarizations.cross.imaginary.withUnsafeBufferPointer { crossIm in
                        for (channel, pattern) in patterns.enumerated() {
                            let base = channel * n * 2
                            whiteningFactors[channel].withUnsafeBufferPointer { w in
                                for j in 0..<n {
                                    let k = first + j
                                    out[base + 2 * j] = w[j] * (pattern.plus * plusRe[k] + pattern.cross * crossRe[k])
                                    out[base + 2 * j + 1] =
                                        w[j] * (pattern.plus * plusIm[k] + pattern.cross * crossIm[k])
                                }
                            }
                            DetectorTimeTranslation.delay(
                                UnsafeMutableBufferPointer(rebasing: out[base..<(base + 2 * n)]), firstBin: first,
                                spacing: grid.spacing, by: times[channel])
                        }
                    }
                }
            }
        }
    }

    /// The (unwhitened) strain each detector sees, h̃_I(f) = [F₊ h̃₊ + F× h̃×] e^{−2πif t_I}, on
    /// the whole grid (zero outside the band), with the frequency-domain phase referred to the
    /// reference time.
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: h̃_I, `[detectors.count]` series of `[grid.binCount]` bins (strain·s).
    /// - Throws: As ``signal(_:)``.
    public func strain(of theta: [Double]) throws -> [FrequencySeries<Double>] {
        let polarizations = try waveform.polarizations(of: try binary(from: theta), on: grid)
        let patterns = try antennaPatterns(of: theta)
        let times = try arrivalTimes(of: theta)
        return try zip(patterns, times).map { pattern, time in
            var h = FrequencySeries<Double>(grid: grid)
            for k in grid.bandBins {
                h.real[k] = pattern.plus * polarizations.plus.real[k] + pattern.cross * polarizations.cross.real[k]
                h.imaginary[k] =
                    pattern.plus * polarizations.plus.imaginary[k] + pattern.cross * polarizations.cross.imaginary[k]
            }
            try h.timeShift(by: time)
            return h
        }
    }

    /// The optimal SNR of the signal in each detector, ρ_I = √⟨h_I, h_I⟩ = ‖s_I(θ)‖ (the norm of
    /// its whitened values).
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: ρ_I, `[detectors.count]`; the network SNR is √Σρ_I².
    /// - Throws: As ``signal(_:)``.
    public func optimalSNRs(of theta: [Double]) throws -> [Double] {
        let s = try signal(theta)
        let n = 2 * bandBinCount
        return (0..<detectors.count).map { channel in
            s[(channel * n)..<((channel + 1) * n)].reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
    }

    /// The declarations of the network as a simulation model: its 11 ``parameters`` with their
    /// priors, the simulator s(θ) (``signal(_:)``) and white Gaussian noise of unit variance
    /// (`NoiseModel.gaussian("detector noise", sigma: 1)`), so that it composes with other
    /// declarations:
    ///
    /// ```swift
    /// let model = try SimulationModel {
    ///     network                       // parameters, simulator, noise
    ///     Equivariance(…)               // e.g. the per-detector time shifts
    /// }
    /// ```
    public var declarations: [ModelDeclaration] {
        let network = self
        return parameters.map { ModelDeclaration.parameter($0) } + [
            .simulator(Simulator(outputLength: outputLength) { theta, _ in try network.signal(theta) }),
            .noise(NoiseModel.gaussian("detector noise", sigma: 1)),
        ]
    }

    /// The network as a simulation model for NPE: prior, simulator and unit Gaussian noise (see
    /// ``declarations``). Its `exactLogLikelihood(given:)` is this network's Gaussian likelihood
    /// (``logLikelihood(of:given:)``), so importance sampling needs no further declaration.
    /// - Returns: The model, `[11]` parameters → `[outputLength]` values.
    /// - Throws: ``ModelError`` (not for a network the initialiser accepted).
    public func simulationModel() throws -> SimulationModel {
        try SimulationModel(declarations: declarations)
    }
}

extension BinaryBlackHoleNetwork: ModelComponent {}
