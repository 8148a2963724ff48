import Dispatch
import Foundation
import Inference
import TensorCore

extension BinaryBlackHoleNetwork {
    /// The exact Gaussian log-likelihood of whitened frequency-domain data (the standard
    /// gravitational-wave likelihood for stationary Gaussian noise, Dax et al., PRL 130, 171403
    /// (2023), Eq. 2): with x in the network's layout and s(θ) = ``signal(_:)``, every value has
    /// unit-variance noise, so
    ///
    ///     log p(x | θ) = −½ Σ_i (x_i − s_i(θ))² − (N/2) log 2π,   N = ``outputLength``,
    ///
    /// normalised as a density of x, so log evidences built on it are absolute. In the field's
    /// notation −½Σ(x − s)² = −½⟨d − h, d − h⟩ summed over detectors, and on noise-free data
    /// log p(s(θ) | θ) − log p(s(θ) | no signal) = ρ²/2, ρ the network's optimal SNR.
    ///
    /// It equals `simulationModel().exactLogLikelihood(given: x)(θ)`, which GNPE and NPE
    /// importance sampling use when no likelihood is passed.
    /// - Parameters:
    ///   - theta: θ, `[11]`.
    ///   - observation: x, `[outputLength]`.
    /// - Returns: log p(x | θ).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for an observation of another
    ///   length; ``GravitationalWaveError/invalidParameter(_:)`` for a value of x that is not
    ///   finite; the errors of ``signal(_:)`` for an invalid θ.
    public func logLikelihood(of theta: [Double], given observation: [Double]) throws -> Double {
        try checkObservation(observation)
        return try residualLogLikelihood(theta, observation)
    }

    /// ``logLikelihood(of:given:)`` for every row of a batch, on all cores (chunks of 64 rows;
    /// the result does not depend on the thread count).
    /// - Parameters:
    ///   - thetas: θ, `[batch, 11]`.
    ///   - observation: x, `[outputLength]`.
    /// - Returns: log p(x | θ_i), `[batch]`.
    /// - Throws: As ``logLikelihood(of:given:)`` — for θ, the error of the lowest invalid row,
    ///   naming it; ``GravitationalWaveError/shapeMismatch(_:)`` if the batch does not have 11 columns.
    public func logLikelihoods(of thetas: SampleMatrix, given observation: [Double]) throws -> [Double] {
        guard thetas.columns == parameterCount else {
            throw GravitationalWaveError.shapeMismatch(
                "θ has \(thetas.columns) columns; the network has \(parameterCount) parameters")
        }
        try checkObservation(observation)
        return try evaluatingRows(of: thetas) { theta, _ in try residualLogLikelihood(theta, observation) }
    }

    /// `body(θ_i, i)` for every row of a batch, on all cores in chunks of 64 rows (the result
    /// does not depend on the thread count).
    /// - Returns: `[thetas.rows]`.
    /// - Throws: The error of the lowest failing row (an ``GravitationalWaveError/invalidParameter(_:)``
    ///   message prefixed with the row).
    func evaluatingRows(of thetas: SampleMatrix, _ body: @Sendable ([Double], Int) throws -> Double) throws -> [Double] {
        let rows = thetas.rows
        let chunk = 64
        let results = BatchResults<Double>(count: rows)
        DispatchQueue.concurrentPerform(iterations: (rows + chunk - 1) / chunk) { c in
            for i in (c * chunk)..<min(rows, (c + 1) * chunk) {
                results.set(i, Result { try body(thetas.row(i), i) })
            }
        }
        return try results.values.enumerated().map { i, result in
            guard let result else { throw GravitationalWaveError.shapeMismatch("row \(i) was not evaluated") }
            do {
                return try result.get()
            } catch let error as GravitationalWaveError {
                if case .invalidParameter(let message) = error {
                    throw GravitationalWaveError.invalidParameter("row \(i) of θ: \(message)")
                }
                throw error
            }
        }
    }

    /// The log-likelihood of the data under noise alone, log p(x | no signal) = −½ Σ x_i² − (N/2) log 2π.
    /// - Parameter observation: x, `[outputLength]`.
    /// - Returns: log p(x | h = 0), the reference of the log Bayes factor of signal against noise.
    /// - Throws: As ``logLikelihood(of:given:)`` for the observation.
    public func noiseLogLikelihood(given observation: [Double]) throws -> Double {
        try checkObservation(observation)
        return -0.5 * observation.reduce(0) { $0 + $1 * $1 } - logNormalization
    }

    /// (N/2) log 2π.
    var logNormalization: Double { 0.5 * Double(outputLength) * log(2 * Double.pi) }

    func checkObservation(_ observation: [Double]) throws {
        guard observation.count == outputLength else {
            throw GravitationalWaveError.shapeMismatch(
                "the observation has \(observation.count) values; the network's data have \(outputLength) (\(detectors.count) detectors × \(bandBinCount) bins × 2)"
            )
        }
        if let bad = observation.firstIndex(where: { !$0.isFinite }) {
            throw GravitationalWaveError.invalidParameter(
                "observation value \(observation[bad]) at index \(bad) is not finite")
        }
    }

    /// −½‖x − s(θ)‖² − (N/2) log 2π for a checked observation.
    func residualLogLikelihood(_ theta: [Double], _ observation: [Double]) throws -> Double {
        var s = [Double](repeating: 0, count: outputLength)
        try s.withUnsafeMutableBufferPointer { try writeSignal(theta, into: $0) }
        var sum = 0.0
        for i in 0..<outputLength {
            let r = observation[i] - s[i]
            sum += r * r
        }
        return -0.5 * sum - logNormalization
    }
}
