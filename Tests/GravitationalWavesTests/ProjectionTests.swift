import Foundation
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct ProjectionTests {
    /// Batches on all cores give the waveforms one by one, in order; a bad grid throws.
    @Test func batchedWaveformsEqualSingleOnes() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.25)
        let binaries = try (0..<9).map { i in
            try AlignedSpinBinary(mass1: 10 + Double(i), mass2: 8, spin1: 0.1 * Double(i % 3), distance: 400)
        }
        let batch = try TaylorF2().polarizations(of: binaries, on: grid)
        #expect(batch.count == binaries.count)
        for (binary, h) in zip(binaries, batch) { #expect(try TaylorF2().polarizations(of: binary, on: grid) == h) }
        let zeroBand = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 512, spacing: 0.25)
        #expect(throws: GravitationalWaveError.self) { try TaylorF2().polarizations(of: binaries, on: zeroBand) }
    }

    /// For a face-on source (h̃× = −i h̃₊, circular polarisation) the strains in H1 and L1 differ
    /// by a constant phase and the arrival-time difference: the cross-correlation, maximised over
    /// a time lag τ, peaks at τ = Δt_L1 − Δt_H1.
    @Test func crossCorrelationRecoversTheInterDetectorDelay() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.25)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        let h = try TaylorF2().polarizations(of: AlignedSpinBinary(mass1: 20, mass2: 20, distance: 500), on: grid)
        let (ra, dec, psi) = (1.2, -0.4, 0.3)
        let time = GPSTime(seconds: 1_187_008_882, nanoseconds: 430_000_000)
        let reference = GPSTime(seconds: 1_187_008_882)
        let hanford = try Detector.hanford.projectedStrain(
            h, rightAscension: ra, declination: dec, polarization: psi,
            geocentricTime: time, referenceTime: reference)
        let livingston = try Detector.livingston.projectedStrain(
            h, rightAscension: ra, declination: dec, polarization: psi,
            geocentricTime: time, referenceTime: reference)
        let expected =
            try Detector.livingston.timeDelayFromGeocenter(rightAscension: ra, declination: dec, at: time)
            - Detector.hanford.timeDelayFromGeocenter(rightAscension: ra, declination: dec, at: time)
        #expect(abs(expected) > 1e-3)
        // Coarse scan (0.1 ms steps over ±30 ms), then fine (1 µs steps around the best).
        var best = (lag: 0.0, value: -1.0)
        func scan(_ lags: [Double]) throws {
            for lag in lags {
                let o = try spectrum.overlap(try hanford.timeShifted(by: lag), livingston)
                let value = (o.real * o.real + o.imaginary * o.imaginary).squareRoot()
                if value > best.value { best = (lag, value) }
            }
        }
        try scan((-300...300).map { Double($0) * 1e-4 })
        let coarse = best.lag
        try scan((-200...200).map { coarse + Double($0) * 1e-6 })
        #expect(abs(best.lag - expected) <= 2e-6, "peak at \(best.lag) s, expected \(expected) s")
        // Moving the reference time later by δ moves the signal earlier by δ.
        let later = try Detector.hanford.projectedStrain(
            h, rightAscension: ra, declination: dec, polarization: psi, geocentricTime: time,
            referenceTime: GPSTime(seconds: reference.seconds, nanoseconds: 100_000_000))
        let back = try later.timeShifted(by: 0.1)
        #expect(try spectrum.mismatch(back, hanford) < 1e-12)
        #expect(abs(try spectrum.innerProduct(back, back) / spectrum.innerProduct(hanford, hanford) - 1) < 1e-12)
    }
}

/// The README's example, as written there.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleRuns() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.125)
        let binary = try AlignedSpinBinary(
            mass1: 36, mass2: 29, spin1: 0.3, spin2: -0.1, distance: 410,
            inclination: 2.7, referencePhase: 1.3)
        let h = try IMRPhenomD().polarizations(of: binary, on: grid)
        let time = GPSTime(seconds: 1_126_259_462, nanoseconds: 400_000_000)
        let strain = try Detector.hanford.projectedStrain(
            h, rightAscension: 1.95, declination: -1.27,
            polarization: 0.8, geocentricTime: time, referenceTime: GPSTime(seconds: 1_126_259_462))
        let noise = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        let snr = try noise.optimalSNR(of: strain)
        var rng = RandomSource(seed: 1)
        let n: FrequencySeries<Float> = noise.sampleNoise(using: &rng)
        #expect(snr > 1 && snr < 200)
        #expect(n.real.allSatisfy { $0.isFinite } && n.binCount == grid.binCount)
    }
}
