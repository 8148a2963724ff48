import Foundation
import Spectral
import Testing

@testable import GravitationalWaves

@Suite struct TaylorF2Tests {
    static func binary(_ p: Fixtures.Waveforms.Point) throws -> AlignedSpinBinary {
        try AlignedSpinBinary(
            mass1: p.mass1, mass2: p.mass2, spin1: p.chi1, spin2: p.chi2, distance: p.distanceMpc,
            inclination: p.inclination, referencePhase: p.phiRef, referenceFrequency: p.fRef)
    }

    /// Every fixture point (60: total mass 5–80 M☉, q up to 8, |χ| ≤ 0.9, four grids, f_ref of
    /// 0, f_min and 50 Hz) against LALSimulation's TaylorF2 as generated (no time or phase
    /// maximisation): the aLIGO-design-weighted mismatch of h̃₊ and of h̃× over the stored bins
    /// (trapezoid weights in f) is below 1e-6, and |h̃₊|, |h̃×| agree to 1e-6 relative wherever
    /// |h̃₊| exceeds 1e-3 of its peak.
    @Test func matchesLALSimulation() throws {
        let (points, samples) = try Fixtures.waveforms("TaylorF2")
        #expect(points.count >= 50)
        var worstMismatch = 0.0
        var worstAmplitude = 0.0
        for (index, point) in points.enumerated() {
            let grid = try FrequencyGrid(
                minimumFrequency: point.fMin, maximumFrequency: point.fMax, spacing: point.deltaF)
            #expect(grid.binCount == point.binCount && grid.firstBandBin == point.firstBin)
            let h = try TaylorF2().polarizations(of: Self.binary(point), on: grid)
            let stored = samples[index]
            #expect(stored.count >= 100)
            let psd = try stored.map {
                try PowerSpectralDensity.advancedLIGODesign.value(at: Double($0.bin) * point.deltaF)
            }
            // Trapezoid weights over the stored (non-uniform) bins.
            let f = stored.map { Double($0.bin) * point.deltaF }
            let weights = f.indices.map { i in
                (f[min(i + 1, f.count - 1)] - f[max(i - 1, 0)]) / 2
            }
            func mismatch(_ ours: (Int) -> (Double, Double), _ theirs: (Int) -> (Double, Double)) -> Double {
                var aa = 0.0
                var bb = 0.0
                var abRe = 0.0
                var abIm = 0.0
                for i in stored.indices {
                    let (ar, ai) = ours(i)
                    let (br, bi) = theirs(i)
                    let w = weights[i] / psd[i]
                    aa += (ar * ar + ai * ai) * w
                    bb += (br * br + bi * bi) * w
                    abRe += (ar * br + ai * bi) * w
                    abIm += (ai * br - ar * bi) * w
                }
                return 1 - (abRe * abRe + abIm * abIm).squareRoot() / (aa * bb).squareRoot()
            }
            let plusMismatch = mismatch(
                { (h.plus.real[stored[$0].bin], h.plus.imaginary[stored[$0].bin]) },
                { (stored[$0].plusReal, stored[$0].plusImaginary) })
            let crossMismatch = mismatch(
                { (h.cross.real[stored[$0].bin], h.cross.imaginary[stored[$0].bin]) },
                { (stored[$0].crossReal, stored[$0].crossImaginary) })
            worstMismatch = max(worstMismatch, plusMismatch, crossMismatch)
            #expect(
                plusMismatch < 1e-6 && crossMismatch < 1e-6,
                "point \(index): mismatch h+ \(plusMismatch), hx \(crossMismatch)")
            for s in stored {
                let k = s.bin
                let lalPlus = hypot(s.plusReal, s.plusImaginary)
                let lalCross = hypot(s.crossReal, s.crossImaginary)
                guard lalPlus > 1e-3 * point.peakPlusAmplitude else { continue }
                let plusError = abs(hypot(h.plus.real[k], h.plus.imaginary[k]) / lalPlus - 1)
                worstAmplitude = max(worstAmplitude, plusError)
                #expect(plusError < 1e-6, "point \(index) bin \(k): |h+| relative error \(plusError)")
                if lalCross > 1e-3 * point.peakPlusAmplitude {
                    let crossError = abs(hypot(h.cross.real[k], h.cross.imaginary[k]) / lalCross - 1)
                    worstAmplitude = max(worstAmplitude, crossError)
                    #expect(crossError < 1e-6, "point \(index) bin \(k): |hx| relative error \(crossError)")
                }
            }
            // Zero below the band, as LAL.
            #expect(h.plus.real[grid.firstBandBin - 1] == 0 && h.cross.imaginary[0] == 0)
        }
        print(
            "TaylorF2 vs LALSimulation: worst mismatch \(worstMismatch), worst amplitude relative error \(worstAmplitude) over \(points.count) points"
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
            let h = try TaylorF2().polarizations(of: Self.binary(point), on: grid)
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
