import Foundation
import Testing

@testable import Spectral

@Suite struct FrequencySeriesTests {
    @Test func gridsFollowTheDFTLayout() throws {
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.125)
        #expect(grid.binCount == 8193 && grid.firstBandBin == 160 && grid.duration == 8)
        #expect(grid.frequency(ofBin: 8192) == 1024 && grid.bandBinCount == 8033)
        let odd = try FrequencyGrid(minimumFrequency: 20.1, maximumFrequency: 100.3, spacing: 0.5)
        #expect(odd.binCount == 201 && odd.firstBandBin == 41)
        for (lo, hi, df) in [
            (20.0, 10.0, 1.0), (-1, 10, 1), (0, 10, 0), (0, .infinity, 1), (5.2, 5.4, 1), (0, 1e12, 1e-3),
        ] {
            #expect(throws: SpectralError.self) {
                try FrequencyGrid(minimumFrequency: lo, maximumFrequency: hi, spacing: df)
            }
        }
        #expect(throws: SpectralError.self) { try FrequencySeries<Float>(grid: grid, real: [1], imaginary: [1]) }
    }

    /// A delay applied as phase factors equals the cyclic shift of the time series, for whole
    /// and fractional steps, in single and double precision.
    @Test(arguments: [3.0, -17.0, 0.37, 50.5])
    func phaseFactorsShiftTheTimeSeries(_ steps: Double) throws {
        let n = 256
        let dt = 1.0 / 64
        let fft = try RealFFT(length: n)
        // A band-limited test signal: a sum of sinusoids with whole periods in the window.
        let x = (0..<n).map { j -> Float in
            let t = Double(j) * dt
            return Float(sin(2 * .pi * 3 * t / (Double(n) * dt) * 4) + 0.5 * cos(2 * .pi * 11 * t / (Double(n) * dt)))
        }
        let spectrum = try fft.forward(x)
        let grid = try FrequencyGrid(
            minimumFrequency: 0, maximumFrequency: 1 / (2 * dt) - 1 / (Double(n) * dt), spacing: 1 / (Double(n) * dt))
        // Drop the Nyquist bin (the test signal has none) to keep the grid below it.
        var series = try FrequencySeries<Float>(
            grid: grid, real: Array(spectrum.real.prefix(grid.binCount)),
            imaginary: Array(spectrum.imaginary.prefix(grid.binCount)))
        let delay = steps * dt
        try series.timeShift(by: delay)
        let back = try fft.inverse(
            try ComplexSpectrum(real: series.real + [0], imaginary: series.imaginary + [0], seriesLength: n))
        for j in 0..<n {
            let t = Double(j) * dt - delay
            let expected = sin(2 * .pi * 3 * t / (Double(n) * dt) * 4) + 0.5 * cos(2 * .pi * 11 * t / (Double(n) * dt))
            #expect(abs(Double(back[j]) - expected) < 2e-5, "j = \(j)")
        }
        // Double precision: shifting there and back restores the series to 1e-12.
        var double = series.converted(to: Double.self)
        let original = double
        try double.timeShift(by: 0.123456)
        try double.timeShift(by: -0.123456)
        #expect(zip(double.real, original.real).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    @Test func batchesShiftEachSeriesByItsOwnDelay() throws {
        let grid = try FrequencyGrid(minimumFrequency: 10, maximumFrequency: 2048, spacing: 0.25)
        let one = try FrequencySeries<Double>(
            grid: grid, real: (0..<grid.binCount).map { sin(Double($0)) },
            imaginary: (0..<grid.binCount).map { cos(0.3 * Double($0)) })
        let delays = [0.001, -0.02, 0.5, 3.7]
        var batch = Array(repeating: one, count: delays.count)
        try FrequencySeries.timeShift(&batch, by: delays)
        for (series, delay) in zip(batch, delays) {
            // Against the exact factor e^{−2πi f Δt}, computed directly per bin.
            for k in stride(from: 0, to: grid.binCount, by: 97) {
                let phase = -2 * Double.pi * grid.frequency(ofBin: k) * delay
                let re = one.real[k] * cos(phase) - one.imaginary[k] * sin(phase)
                let im = one.real[k] * sin(phase) + one.imaginary[k] * cos(phase)
                #expect(abs(series.real[k] - re) < 1e-11 && abs(series.imaginary[k] - im) < 1e-11)
            }
        }
        var untouched = batch
        #expect(throws: SpectralError.self) { try FrequencySeries.timeShift(&untouched, by: [0, .nan, 0, 0]) }
        #expect(untouched == batch)
        #expect(throws: SpectralError.self) { try FrequencySeries.timeShift(&untouched, by: [0]) }
        #expect(throws: SpectralError.self) { try one.timeShifted(by: .infinity) }
        var empty: [FrequencySeries<Double>] = []
        try FrequencySeries.timeShift(&empty, by: [])
        #expect(empty.isEmpty)
    }
}
