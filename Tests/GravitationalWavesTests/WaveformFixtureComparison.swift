import Foundation
import Spectral

@testable import GravitationalWaves

/// One waveform model against one LAL fixture file: per point, the noise-weighted mismatch and
/// the worst relative amplitude error (no time or phase maximisation).
struct WaveformFixtureComparison {
    struct PointResult {
        let index: Int
        let plusMismatch, crossMismatch: Double
        /// Worst |(|h_ours| / |h_LAL|) − 1| over bins where |h̃₊_LAL| > 1e-3 of its peak (h̃× where
        /// it is above that threshold too), and the bin where it occurs.
        let amplitudeError: Double
        let worstBin: Int
        /// Bins where LAL is zero but the model is not, or the reverse.
        let supportMismatches: Int
    }

    let points: [Fixtures.Waveforms.Point]
    let results: [PointResult]

    var worstMismatch: Double { results.map { max($0.plusMismatch, $0.crossMismatch) }.max() ?? .nan }
    var worstAmplitudeError: Double { results.map(\.amplitudeError).max() ?? .nan }

    static func binary(_ p: Fixtures.Waveforms.Point) throws -> AlignedSpinBinary {
        try AlignedSpinBinary(
            mass1: p.mass1, mass2: p.mass2, spin1: p.chi1, spin2: p.chi2, distance: p.distanceMpc,
            inclination: p.inclination, referencePhase: p.phiRef, referenceFrequency: p.fRef)
    }

    /// Compares `model` with the fixture `approximant` (the aLIGO-design-weighted mismatch of h̃₊
    /// and of h̃× over the stored bins, trapezoid weights in f).
    init(_ model: some FrequencyDomainWaveform, approximant: String) throws {
        let (points, samples) = try Fixtures.waveforms(approximant)
        self.points = points
        var results: [PointResult] = []
        for (index, point) in points.enumerated() {
            let grid = try FrequencyGrid(
                minimumFrequency: point.fMin, maximumFrequency: point.fMax, spacing: point.deltaF)
            let h = try model.polarizations(of: Self.binary(point), on: grid)
            let stored = samples[index]
            let psd = try stored.map {
                try PowerSpectralDensity.advancedLIGODesign.value(at: Double($0.bin) * point.deltaF)
            }
            let f = stored.map { Double($0.bin) * point.deltaF }
            let weights = f.indices.map { i in (f[min(i + 1, f.count - 1)] - f[max(i - 1, 0)]) / 2 }
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
            var worst = 0.0
            var worstBin = -1
            var support = 0
            for s in stored {
                let k = s.bin
                let lalPlus = hypot(s.plusReal, s.plusImaginary)
                let lalCross = hypot(s.crossReal, s.crossImaginary)
                let ourPlus = hypot(h.plus.real[k], h.plus.imaginary[k])
                let ourCross = hypot(h.cross.real[k], h.cross.imaginary[k])
                if (lalPlus == 0) != (ourPlus == 0) || (lalCross == 0) != (ourCross == 0) { support += 1 }
                guard lalPlus > 1e-3 * point.peakPlusAmplitude else { continue }
                var error = abs(ourPlus / lalPlus - 1)
                if lalCross > 1e-3 * point.peakPlusAmplitude { error = max(error, abs(ourCross / lalCross - 1)) }
                if error > worst {
                    worst = error
                    worstBin = k
                }
            }
            results.append(
                PointResult(
                    index: index, plusMismatch: plusMismatch, crossMismatch: crossMismatch,
                    amplitudeError: worst, worstBin: worstBin, supportMismatches: support))
        }
        self.results = results
    }
}
