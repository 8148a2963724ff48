import Foundation
import Testing

@testable import Spectral

@Suite struct TukeyWindowTests {
    /// scipy.signal.windows.tukey's definition, values worked by hand:
    /// N = 11, α = 0.5: W = ⌊0.5·10/2⌋ = 2; w₁ = ½(1 + cos(−0.6π)) = ½(1 − 0.30901699) = 0.34549150,
    /// w₂ = ½(1 + cos(−0.2π)) = ½(1 + 0.80901699) = 0.90450850, w₃…w₇ = 1, mirrored after.
    /// N = 8, α = 1 (Hann): w_n = ½ − ½cos(2πn/7): w₁ = 0.18825510, w₂ = 0.61126047, w₃ = 0.95048443.
    /// N = 10, α = 0.3: W = ⌊1.35⌋ = 1; w₁ = ½(1 + cos(−(1 − 2/2.7)π)) = 0.84312082.
    @Test(arguments: [
        (11, 0.5, [0, 0.3454915028, 0.9045084972, 1, 1, 1, 1, 1, 0.9045084972, 0.3454915028, 0]),
        (8, 1.0, [0, 0.1882550991, 0.6112604670, 0.9504844340, 0.9504844340, 0.6112604670, 0.1882550991, 0]),
        (10, 0.3, [0, 0.8431208189, 1, 1, 1, 1, 1, 1, 0.8431208189, 0]),
    ])
    func valuesFollowTheDefinition(count: Int, alpha: Double, expected: [Double]) throws {
        let w = try TukeyWindow(alpha: alpha).values(count: count)
        #expect(w.count == count)
        for (a, b) in zip(w, expected) { #expect(abs(a - b) < 1e-9, "\(w) vs \(expected)") }
    }

    /// α = 0 is rectangular; the window is symmetric; the mean square tends to 1 − 5α/8 (the
    /// tapers' cos⁴ average 3/8 over a fraction α); applied(to:) multiplies sample by sample.
    @Test func propertiesAndApplication() throws {
        #expect(try TukeyWindow(alpha: 0).values(count: 5) == [1, 1, 1, 1, 1])
        #expect(try TukeyWindow(alpha: 0.7).values(count: 1) == [1])
        let window = try TukeyWindow(rollOff: 0.4, duration: 8)
        #expect(abs(window.alpha - 0.1) < 1e-15)
        let w = try window.values(count: 4096)
        for n in 0..<2048 { #expect(abs(w[n] - w[4095 - n]) < 1e-12) }
        let meanSquare = try window.meanSquare(count: 4096)
        #expect(abs(meanSquare - (1 - 5 * 0.1 / 8)) < 1e-3, "\(meanSquare)")
        let series: [Float] = (0..<4096).map { Float(sin(Double($0) * 0.01)) }
        let tapered = try window.applied(to: series)
        for n in stride(from: 0, to: 4096, by: 97) {
            #expect(abs(Double(tapered[n]) - Double(series[n]) * w[n]) < 1e-6)
        }
    }

    /// Bad parameters throw typed errors.
    @Test func badWindowsAreRejected() throws {
        #expect(throws: SpectralError.self) { try TukeyWindow(alpha: 1.5) }
        #expect(throws: SpectralError.self) { try TukeyWindow(alpha: -0.1) }
        #expect(throws: SpectralError.self) { try TukeyWindow(alpha: .nan) }
        #expect(throws: SpectralError.self) { try TukeyWindow(rollOff: 5, duration: 8) }
        #expect(throws: SpectralError.self) { try TukeyWindow(rollOff: 0.4, duration: 0) }
        #expect(throws: SpectralError.self) { try TukeyWindow(alpha: 0.5).values(count: 0) }
    }

    /// A sampled sinusoid transformed by FrequencySeries(transformingTimeSeries:) has its
    /// continuous-transform amplitude A·T/2 at its frequency and comes back through timeSeries().
    @Test func frequencySeriesFromATimeSeries() throws {
        let n = 1024
        let dt = 1.0 / 256
        let x: [Float] = (0..<n).map { Float(2e-21 * cos(2 * .pi * 32 * Double($0) * dt)) }
        let series = try FrequencySeries<Double>(transformingTimeSeries: x, sampleSpacing: dt, minimumFrequency: 10)
        #expect(series.grid.spacing == 0.25 && series.grid.binCount == 513 && series.grid.firstBandBin == 40)
        #expect(abs(series.real[128] - 2e-21 * 4 / 2) < 1e-26)  // A·T/2 at 32 Hz
        let back = try series.timeSeries()
        for j in stride(from: 0, to: n, by: 31) { #expect(abs(back[j] - x[j]) < 1e-26) }
        let truncated = try FrequencySeries<Float>(transformingTimeSeries: x, sampleSpacing: dt, maximumFrequency: 64)
        #expect(truncated.binCount == 257)
        #expect(throws: SpectralError.self) {
            try FrequencySeries<Double>(transformingTimeSeries: x, sampleSpacing: dt, maximumFrequency: 200)
        }
        #expect(throws: SpectralError.self) {
            try FrequencySeries<Double>(transformingTimeSeries: [1], sampleSpacing: dt)
        }
        #expect(throws: SpectralError.self) { try FrequencySeries<Double>(transformingTimeSeries: x, sampleSpacing: 0) }
        #expect(throws: SpectralError.self) {
            try FrequencySeries<Double>(transformingTimeSeries: [1, .nan], sampleSpacing: dt)
        }
    }
}
