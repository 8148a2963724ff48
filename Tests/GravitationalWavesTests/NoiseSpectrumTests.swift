import Foundation
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct NoiseSpectrumTests {
    /// Real and imaginary parts have variance S/(4Δf) each; the same seed gives the same noise.
    @Test func colouredNoiseHasTheStatedVariance() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 2048, spacing: 0.25)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        var random = RandomSource(seed: 7)
        let noise: FrequencySeries<Float> = spectrum.sampleNoise(using: &random)
        var sum = 0.0
        var sumSquares = 0.0
        var count = 0.0
        for k in grid.bandBins {
            let scale = (4 * grid.spacing / spectrum.values[k]).squareRoot()
            for x in [Double(noise.real[k]) * scale, Double(noise.imaginary[k]) * scale] {
                sum += x
                sumSquares += x * x
                count += 1
            }
        }
        let mean = sum / count
        let variance = sumSquares / count - mean * mean
        // 16,258 deviates: the standard error of the variance is √(2/n) ≈ 0.011.
        #expect(abs(mean) < 0.04 && abs(variance - 1) < 0.05, "mean \(mean), variance \(variance)")
        #expect(noise.real[grid.firstBandBin - 1] == 0 && noise.imaginary[0] == 0)
        var again = RandomSource(seed: 7)
        #expect(spectrum.sampleNoise(as: Float.self, using: &again) == noise)
    }

    /// The matched-filter SNR of noise alone is a standard normal deviate, and of signal plus
    /// noise has mean ρ_opt.
    @Test func matchedFilterSNRHasUnitVarianceInNoise() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.5)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        let binary = try AlignedSpinBinary(mass1: 20, mass2: 15, distance: 800)
        let signal = try TaylorF2().polarizations(of: binary, on: grid).plus
        let optimal = try spectrum.optimalSNR(of: signal)
        #expect(optimal > 5)
        var random = RandomSource(seed: 11)
        var noiseOnly: [Double] = []
        var withSignal: [Double] = []
        for _ in 0..<400 {
            let n: FrequencySeries<Double> = spectrum.sampleNoise(using: &random)
            noiseOnly.append(try spectrum.matchedFilterSNR(data: n, template: signal))
            var d = n
            for k in grid.bandBins {
                d.real[k] += signal.real[k]
                d.imaginary[k] += signal.imaginary[k]
            }
            withSignal.append(try spectrum.matchedFilterSNR(data: d, template: signal))
        }
        func meanAndVariance(_ x: [Double]) -> (Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            return (m, x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1))
        }
        let (m0, v0) = meanAndVariance(noiseOnly)
        let (m1, v1) = meanAndVariance(withSignal)
        #expect(abs(m0) < 0.2 && abs(v0 - 1) < 0.2, "noise: mean \(m0), variance \(v0)")
        #expect(abs(m1 - optimal) < 0.2 && abs(v1 - 1) < 0.2, "signal: mean \(m1) vs \(optimal), variance \(v1)")
        #expect(abs(try spectrum.mismatch(signal, signal)) < 1e-12)
        #expect(throws: GravitationalWaveError.self) {
            try spectrum.matchedFilterSNR(data: signal, template: FrequencySeries<Double>(grid: grid))
        }
        let other = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.25)
        #expect(throws: GravitationalWaveError.self) {
            try spectrum.optimalSNR(of: FrequencySeries<Double>(grid: other))
        }
    }
}
