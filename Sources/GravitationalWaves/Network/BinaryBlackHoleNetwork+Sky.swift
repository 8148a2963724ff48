import Foundation
import Inference

extension BinaryBlackHoleNetwork {
    /// The right ascension and declination of θ's sky position, from θ's entries 8 and 9 in
    /// ``skyFrame`` (at the reference time's sidereal time).
    /// - Parameter theta: θ, `[11]`.
    /// - Returns: (α, δ) (rad).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``, ``GravitationalWaveError/invalidParameter(_:)``
    ///   for a θ of another length or with a value that is not finite.
    public func equatorialSkyPosition(of theta: [Double]) throws -> (rightAscension: Double, declination: Double) {
        try checkParameters(theta)
        return skyPosition(of: theta)
    }

    /// (α, δ) of a checked θ.
    func skyPosition(of theta: [Double]) -> (rightAscension: Double, declination: Double) {
        guard let frame = baselineFrame else { return (theta[8], theta[9]) }
        return frame.equatorial(zenith: theta[8], azimuth: theta[9], greenwichMeanSiderealTime: referenceSiderealTime)
    }

    /// θ with its sky in right ascension and declination (unchanged in the equatorial frame):
    /// what a catalogue or ``equatorialSamples(_:)`` reports.
    /// - Parameter theta: θ, `[11]` in this network's ``parameterNames`` order.
    /// - Returns: θ, `[11]`, entries 8 and 9 = (ra, dec).
    /// - Throws: As ``equatorialSkyPosition(of:)``.
    public func equatorialParameters(_ theta: [Double]) throws -> [Double] {
        let (ra, dec) = try equatorialSkyPosition(of: theta)
        var out = theta
        out[8] = ra
        out[9] = dec
        return out
    }

    /// θ in this network's ``skyFrame`` for a θ whose sky is right ascension and declination: the
    /// inverse of ``equatorialParameters(_:)``, e.g. to inject a source given in (α, δ).
    /// - Parameter theta: θ, `[11]`, entries 8 and 9 = (ra, dec).
    /// - Returns: θ, `[11]` in ``parameterNames`` order.
    /// - Throws: As ``equatorialSkyPosition(of:)``.
    public func parameters(fromEquatorial theta: [Double]) throws -> [Double] {
        try checkParameters(theta)
        guard let frame = baselineFrame else { return theta }
        let (zenith, azimuth) = frame.baseline(
            rightAscension: theta[8], declination: theta[9], greenwichMeanSiderealTime: referenceSiderealTime)
        var out = theta
        out[8] = zenith
        out[9] = azimuth
        return out
    }

    /// Samples of θ with their sky in right ascension and declination, for sky maps and for
    /// comparing networks trained in different frames; the equatorial frame's samples are
    /// returned as they are.
    /// - Parameter samples: θ, `[n, 11]` in ``parameterNames`` order (e.g. a posterior's samples,
    ///   or ``PhaseMarginalizedNetwork/reconstructingPhase(of:given:seed:)``'s).
    /// - Returns: `[n, 11]`, columns 8 and 9 = (ra, dec).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for another column count,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` naming a row with a value that is not finite.
    public func equatorialSamples(_ samples: SampleMatrix) throws -> SampleMatrix {
        guard samples.columns == parameterCount else {
            throw GravitationalWaveError.shapeMismatch(
                "the samples have \(samples.columns) columns; the network's θ has \(parameterCount): \(parameterNames.joined(separator: ", "))")
        }
        guard baselineFrame != nil else { return samples }
        var out = samples
        for row in 0..<samples.rows {
            do {
                try out.setRow(row, to: equatorialParameters(samples.row(row)))
            } catch let error as GravitationalWaveError {
                throw GravitationalWaveError.invalidParameter("sample \(row): \(error)")
            }
        }
        return out
    }
}
