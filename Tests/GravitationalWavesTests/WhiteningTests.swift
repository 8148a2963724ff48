import Foundation
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct WhiteningTests {
    /// Whitened coloured noise is white: real and imaginary parts of unit variance in the band.
    @Test func whitenedNoiseHasUnitVariance() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.25)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        var random = RandomSource(seed: 3)
        let white = try spectrum.whitened(spectrum.sampleNoise(as: Float.self, using: &random))
        var sumSquares = 0.0
        for k in grid.bandBins {
            sumSquares += Double(white.real[k] * white.real[k] + white.imaginary[k] * white.imaginary[k])
        }
        let variance = sumSquares / Double(2 * grid.bandBinCount)
        // 8,002 deviates: the standard error of the variance is about 0.016.
        #expect(abs(variance - 1) < 0.06, "variance \(variance)")
        #expect(white.real[grid.firstBandBin - 1] == 0 && white.imaginary[0] == 0)
    }

    /// A signal's whitened norm is its optimal SNR, in the frequency and in the time domain
    /// (Parseval), and the whitened time series peaks where the signal was placed.
    @Test func whitenedSignalCarriesItsSNR() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.25)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        let binary = try AlignedSpinBinary(mass1: 36, mass2: 29, spin1: 0.3, spin2: -0.1, distance: 500)
        var h = try IMRPhenomD().polarizations(of: binary, on: grid).plus
        let mergerTime = grid.duration - 1
        try h.timeShift(by: mergerTime)
        let rho = try spectrum.optimalSNR(of: h)
        let white = try spectrum.whitened(h)
        var norm = 0.0
        for k in 0..<grid.binCount {
            norm += Double(white.real[k] * white.real[k] + white.imaginary[k] * white.imaginary[k])
        }
        #expect(abs(norm.squareRoot() / rho - 1) < 1e-5, "ρ = \(rho), whitened norm \(norm.squareRoot())")
        #expect(white.real.last == 0 && white.imaginary.last == 0)  // IMRPhenomD is zero at f_max

        let (times, x) = try spectrum.whitenedTimeSeries(of: h)
        #expect(times.count == 2 * (grid.binCount - 1) && x.count == times.count)
        let energy = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(energy.squareRoot() / rho - 1) < 1e-3, "time-domain norm \(energy.squareRoot()), ρ = \(rho)")
        let peak = x.indices.max { abs(x[$0]) < abs(x[$1]) }!
        #expect(abs(times[peak] - mergerTime) < 0.02, "peak at \(times[peak]) s, merger at \(mergerTime) s")
    }

    /// With a flat PSD over the whole grid, whitened noise has unit variance per time sample.
    @Test func whitenedNoiseTimeSeriesHasUnitVariance() throws {
        let grid = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 256, spacing: 0.125)
        let spectrum = try NoiseSpectrum(grid: grid, values: [Double](repeating: 1e-46, count: grid.binCount))
        var random = RandomSource(seed: 5)
        let (_, x) = try spectrum.whitenedTimeSeries(of: spectrum.sampleNoise(as: Float.self, using: &random))
        let variance = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)
        #expect(abs(variance - 1) < 0.05, "variance \(variance) over \(x.count) samples")
    }

    /// timeSeries() inverts x̃(f_k) = Δt Σ_j x_j e^{−2πi jk/N}: a sampled signal comes back in its units.
    @Test func timeSeriesInvertsTheContinuousFourierConvention() throws {
        let n = 512
        let dt = 1.0 / 128
        let x = (0..<n).map { j -> Float in
            let t = Double(j) * dt
            return Float(3e-21 * sin(2 * .pi * 5 * t) + 1e-21 * cos(2 * .pi * 17 * t))
        }
        let spectrum = try RealFFT(length: n).forward(x)
        let grid = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 64, spacing: 1 / (Double(n) * dt))
        let series = try FrequencySeries<Double>(
            grid: grid, real: spectrum.real.map { Double($0) * dt }, imaginary: spectrum.imaginary.map { Double($0) * dt })
        #expect(series.timeSeriesLength == n && abs(series.sampleSpacing - dt) < 1e-15)
        let back = try series.timeSeries()
        for j in 0..<n { #expect(abs(Double(back[j] - x[j])) < 1e-25, "j = \(j)") }
    }

    /// Hostile input: another grid, a non-finite bin, a grid of one bin.
    @Test func badSeriesAreRefused() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.5)
        let other = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.25)
        let spectrum = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
        #expect(throws: GravitationalWaveError.self) { try spectrum.whitened(FrequencySeries<Float>(grid: other)) }
        var bad = FrequencySeries<Double>(grid: grid)
        bad.real[100] = .nan
        #expect(throws: GravitationalWaveError.self) { try spectrum.whitenedTimeSeries(of: bad) }
        let single = try FrequencyGrid(minimumFrequency: 0, maximumFrequency: 0.5, spacing: 1)
        #expect(throws: SpectralError.self) { try FrequencySeries<Float>(grid: single).timeSeries() }
        #expect(throws: SpectralError.self) { try RealFFT(length: 8).forward([1, 2, 3]) }
    }
}
