import Foundation
import Spectral
import Testing

@testable import GravitationalWaves

@Suite struct IMRPhenomDTests {
    /// Every fixture point — 60 random (total mass 5–80 M☉, q up to 8, |χ| ≤ 0.9, six grids,
    /// f_ref of 0, f_min and 50 Hz) and 18 corners (M 5 and 80 M☉, q 1, 4, 8, χ₁ = χ₂ = ±0.9 and
    /// χ₁ = −χ₂ = −0.9; final spins −0.36 to 0.93) — against LALSimulation's IMRPhenomD as
    /// generated (no time or phase maximisation): mismatch of h̃₊ and h̃× below 1e-6, |h̃₊|, |h̃×|
    /// within 1e-6 relative where |h̃₊| exceeds 1e-3 of its peak, and zero exactly where LAL's is
    /// zero (below f_min, at f_max, above Mf = 0.2).
    @Test(arguments: ["IMRPhenomD", "IMRPhenomD-corners"])
    func matchesLALSimulation(fixture: String) throws {
        let comparison = try WaveformFixtureComparison(IMRPhenomD(), approximant: fixture)
        #expect(comparison.points.count >= (fixture == "IMRPhenomD" ? 50 : 18))
        for r in comparison.results {
            let p = comparison.points[r.index]
            let label =
                "\(fixture) point \(r.index) (m1 \(p.mass1), m2 \(p.mass2), χ \(p.chi1), \(p.chi2), grid \(p.fMin)–\(p.fMax)/\(p.deltaF), fRef \(p.fRef))"
            #expect(
                r.plusMismatch < 1e-6 && r.crossMismatch < 1e-6,
                "\(label): mismatch h+ \(r.plusMismatch), hx \(r.crossMismatch)")
            #expect(r.amplitudeError < 1e-6, "\(label): amplitude error \(r.amplitudeError) at bin \(r.worstBin)")
            #expect(r.supportMismatches == 0, "\(label): \(r.supportMismatches) bins zero on one side only")
        }
        print(
            "\(fixture) vs LALSimulation: worst mismatch \(comparison.worstMismatch), worst amplitude relative error \(comparison.worstAmplitudeError) over \(comparison.points.count) points"
        )
    }
}

extension IMRPhenomDTests {
    /// The optimal SNR on the full grid (zeros above the cutoff and at f_max included) in the
    /// aLIGO design PSD equals LAL's `MeasureSNRFD` of LAL's own waveform.
    @Test func optimalSNRMatchesLAL() throws {
        let (points, _) = try Fixtures.waveforms("IMRPhenomD")
        var worst = 0.0
        for point in points.prefix(18) {
            let grid = try FrequencyGrid(
                minimumFrequency: point.fMin, maximumFrequency: point.fMax, spacing: point.deltaF)
            let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
            let h = try IMRPhenomD().polarizations(of: WaveformFixtureComparison.binary(point), on: grid)
            let snr = try spectrum.optimalSNR(of: h.plus)
            worst = max(worst, abs(snr / point.snrALIGOZeroDetHighPower - 1))
            #expect(
                abs(snr / point.snrALIGOZeroDetHighPower - 1) < 1e-6,
                "SNR \(snr) vs LAL \(point.snrALIGOZeroDetHighPower)")
        }
        print("IMRPhenomD optimal SNR vs LAL MeasureSNRFD: worst relative error \(worst)")
    }

    /// The pieces join C¹: amplitude and phase and their slopes agree across Mf = 0.014 and
    /// f_peak (amplitude) and Mf = 0.018 and f_RD/2 (phase), for several binaries.
    @Test func piecesJoinContinuously() throws {
        let binaries = try [
            AlignedSpinBinary(mass1: 30, mass2: 30, spin1: 0.9, spin2: 0.9, distance: 100),
            AlignedSpinBinary(mass1: 40, mass2: 5, spin1: -0.8, spin2: 0.3, distance: 100),
            AlignedSpinBinary(mass1: 10, mass2: 8, distance: 100),
        ]
        for binary in binaries {
            let remnant = try IMRPhenomD.Remnant(binary)
            let amplitude = IMRPhenomD.Amplitude(remnant)
            let phase = IMRPhenomD.Phase(remnant)
            let epsilon = 1e-11
            func amplitudeAt(_ f: Double) -> Double { amplitude.ratio(at: f, v: cbrt(Double.pi * f)) }
            for join in [IMRPhenomD.Amplitude.inspiralEnd, amplitude.peakFrequency] {
                let below = amplitudeAt(join - epsilon)
                let above = amplitudeAt(join + epsilon)
                #expect(abs(above / below - 1) < 1e-8, "amplitude jumps at Mf = \(join): \(below) → \(above)")
                let h = 1e-7
                let slopeBelow = (amplitudeAt(join - epsilon) - amplitudeAt(join - h)) / (h - epsilon)
                let slopeAbove = (amplitudeAt(join + h) - amplitudeAt(join + epsilon)) / (h - epsilon)
                #expect(
                    abs(slopeAbove - slopeBelow) < 1e-3 * max(abs(slopeBelow), 1),
                    "amplitude slope jumps at Mf = \(join): \(slopeBelow) → \(slopeAbove)")
            }
            for join in [IMRPhenomD.Phase.inspiralEnd, phase.mergerRingdownStart] {
                #expect(abs(phase(join + epsilon) - phase(join - epsilon)) < 1e-4, "phase jumps at Mf = \(join)")
                let h = 1e-6
                let slopeBelow = (phase(join - epsilon) - phase(join - h)) / (h - epsilon)
                let slopeAbove = (phase(join + h) - phase(join + epsilon)) / (h - epsilon)
                #expect(
                    abs(slopeAbove - slopeBelow) < 1e-3 * abs(slopeBelow),
                    "phase slope jumps at Mf = \(join): \(slopeBelow) → \(slopeAbove)")
            }
            // The peak sits where the Lorentzian's slope vanishes.
            #expect(abs(amplitude.mergerRingdownSlope(at: amplitude.peakFrequency)) < 1e-9 * amplitude.gamma1 * 1e4)
        }
    }

    /// The ringdown table: the spline goes through its nodes, and at a = 0 it gives the
    /// Schwarzschild l = 2 fundamental mode (Leaver 1985: Mω = 0.373671684 − 0.088962316 i) to the
    /// table's six digits.
    @Test func quasinormalModeTable() {
        let spins = KerrQuasinormalModes.tableSpins
        #expect(spins.count == 1001 && spins.first == -0.999 && spins.last == 0.999)
        for i in stride(from: 0, to: spins.count, by: 37) {
            #expect(KerrQuasinormalModes.ringdown(spins[i]) == KerrQuasinormalModes.tableRingdownFrequencies[i])
            #expect(
                abs(KerrQuasinormalModes.damping(spins[i]) - KerrQuasinormalModes.tableDampingFrequencies[i])
                    < 1e-17)
        }
        #expect(abs(KerrQuasinormalModes.ringdown(0) - 0.373671684418 / (2 * Double.pi)) < 5e-8)
        #expect(abs(KerrQuasinormalModes.damping(0) - 0.088962316087 / (2 * Double.pi)) < 5e-8)
        // Prograde modes ring faster and damp slower as the spin grows.
        #expect(KerrQuasinormalModes.ringdown(0.9) > KerrQuasinormalModes.ringdown(0.5))
        #expect(KerrQuasinormalModes.damping(0.9) < KerrQuasinormalModes.damping(0.5))
    }

    /// A natural cubic spline of a smooth function is accurate between its nodes and has zero
    /// curvature at its ends.
    @Test func naturalCubicSpline() {
        let nodes = (0...200).map { Double($0) * 0.01 + 0.001 * Double($0 % 3) }
        let spline = NaturalCubicSpline(nodes: nodes, values: nodes.map { sin(3 * $0) })
        var worst = 0.0
        for x in stride(from: 0.3, through: 1.7, by: 0.0037) { worst = max(worst, abs(spline(x) - sin(3 * x))) }
        #expect(worst < 1e-7)
        #expect(spline.secondDerivatives.first == 0 && spline.secondDerivatives.last == 0)
    }

    @Test func invalidInputsThrow() throws {
        let binary = try AlignedSpinBinary(mass1: 30, mass2: 30, distance: 100)
        // 0.2/M is 677 Hz for M = 60 M☉.
        let aboveCutoff = try FrequencyGrid(minimumFrequency: 700, maximumFrequency: 1024, spacing: 1)
        #expect(throws: GravitationalWaveError.self) { try IMRPhenomD().polarizations(of: binary, on: aboveCutoff) }
        let fromZero = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 64, spacing: 1)
        #expect(throws: GravitationalWaveError.self) { try IMRPhenomD().polarizations(of: binary, on: fromZero) }
        // An extreme mass ratio with a maximal spin leaves a remnant beyond the table.
        let extreme = try AlignedSpinBinary(mass1: 1000, mass2: 1, spin1: 1, distance: 100)
        #expect(throws: GravitationalWaveError.self) { try IMRPhenomD.Remnant(extreme) }
        // The cutoff: zero from 0.2/M on, even when f_max is above it.
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.25)
        let h = try IMRPhenomD().polarizations(of: binary, on: grid)
        let cutoffBin = Int((0.2 / (60 * PhysicalConstants.solarMassSeconds) / 0.25).rounded(.down))
        #expect(h.plus.real[cutoffBin - 1] != 0 && h.plus.real[cutoffBin] == 0 && h.plus.real[grid.binCount - 1] == 0)
    }
}
