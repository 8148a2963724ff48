import Foundation
import Spectral
import Testing

@testable import GravitationalWaves

@Suite struct TaylorF2Tests {
    /// Every fixture point (60: total mass 5–80 M☉, q up to 8, |χ| ≤ 0.9, four grids, f_ref of
    /// 0, f_min and 50 Hz) against LALSimulation's TaylorF2 as generated (no time or phase
    /// maximisation): the aLIGO-design-weighted mismatch of h̃₊ and of h̃× over the stored bins
    /// (trapezoid weights in f) is below 1e-6, and |h̃₊|, |h̃×| agree to 1e-6 relative wherever
    /// |h̃₊| exceeds 1e-3 of its peak.
    @Test func matchesLALSimulation() throws {
        let comparison = try WaveformFixtureComparison(TaylorF2(), approximant: "TaylorF2")
        #expect(comparison.points.count >= 50)
        for r in comparison.results {
            #expect(
                r.plusMismatch < 1e-6 && r.crossMismatch < 1e-6,
                "point \(r.index): mismatch h+ \(r.plusMismatch), hx \(r.crossMismatch)")
            #expect(
                r.amplitudeError < 1e-6, "point \(r.index): amplitude error \(r.amplitudeError) at bin \(r.worstBin)")
            // Zero below the band and nowhere else, as LAL's.
            #expect(r.supportMismatches == 0, "point \(r.index): \(r.supportMismatches) bins zero on one side only")
        }
        print(
            "TaylorF2 vs LALSimulation: worst mismatch \(comparison.worstMismatch), worst amplitude relative error \(comparison.worstAmplitudeError) over \(comparison.points.count) points"
        )
    }

    /// The optimal SNR on the full grid in the aLIGO design PSD equals LAL's `MeasureSNRFD` of
    /// LAL's own waveform.
    @Test func optimalSNRMatchesLAL() throws {
        let (points, _) = try Fixtures.waveforms("TaylorF2")
        var worst = 0.0
        for point in points.prefix(12) {
            let grid = try FrequencyGrid(
                minimumFrequency: point.fMin, maximumFrequency: point.fMax, spacing: point.deltaF)
            let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
            let h = try TaylorF2().polarizations(of: WaveformFixtureComparison.binary(point), on: grid)
            let snr = try spectrum.optimalSNR(of: h.plus)
            worst = max(worst, abs(snr / point.snrALIGOZeroDetHighPower - 1))
            #expect(
                abs(snr / point.snrALIGOZeroDetHighPower - 1) < 1e-6,
                "SNR \(snr) vs LAL \(point.snrALIGOZeroDetHighPower)")
        }
        print("optimal SNR vs LAL MeasureSNRFD: worst relative error \(worst)")
    }

    @Test func invalidInputsThrow() throws {
        #expect(throws: GravitationalWaveError.self) { try AlignedSpinBinary(mass1: -1, mass2: 1, distance: 100) }
        #expect(throws: GravitationalWaveError.self) {
            try AlignedSpinBinary(mass1: 10, mass2: 10, spin1: 1.5, distance: 100)
        }
        #expect(throws: GravitationalWaveError.self) { try AlignedSpinBinary(mass1: 10, mass2: 10, distance: 0) }
        #expect(throws: GravitationalWaveError.self) { try AlignedSpinBinary(mass1: 10, mass2: .nan, distance: 10) }
        #expect(throws: GravitationalWaveError.self) {
            try AlignedSpinBinary(mass1: 10, mass2: 10, distance: 10, referenceFrequency: -1)
        }
        let grid = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 64, spacing: 1)
        #expect(throws: GravitationalWaveError.self) {
            try TaylorF2().polarizations(of: AlignedSpinBinary(mass1: 10, mass2: 10, distance: 10), on: grid)
        }
        let binary = try AlignedSpinBinary(mass1: 36, mass2: 29, distance: 410)
        #expect(abs(binary.chirpMass - 28.0955) < 1e-3 && abs(binary.massRatio - 29.0 / 36) < 1e-15)
    }
}
