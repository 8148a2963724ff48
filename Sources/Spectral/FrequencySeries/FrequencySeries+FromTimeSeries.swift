import Foundation

extension FrequencySeries {
    /// The frequency-domain representation of a sampled real series, x̃(f_k) = Δt Σ_j x_j
    /// e^{−2πi jk/N} (the discrete form of ∫ x(t) e^{−2πift} dt; the inverse of
    /// ``timeSeries()``), on the grid Δf = 1/(NΔt) from 0 to `maximumFrequency`.
    ///
    /// The phase refers to the first sample's time; to refer it to another time t_ref, delay the
    /// result by t_start − t_ref (``timeShift(by:)``). Window the series first (e.g.
    /// ``TukeyWindow``) when it is a cut from a longer record.
    ///
    /// - Parameters:
    ///   - series: x, `[N]`, N ≥ 2.
    ///   - sampleSpacing: Δt > 0 (s).
    ///   - minimumFrequency: The band's lower edge f_min ≥ 0 (Hz).
    ///   - maximumFrequency: f_max (Hz); `nil` (default) for the Nyquist frequency 1/(2Δt).
    /// - Throws: ``SpectralError/invalidLength(_:)`` for N < 2; ``SpectralError/invalidGrid(_:)``
    ///   for a Δt that is not positive and finite, or f_min, f_max that do not make a grid or
    ///   exceed the Nyquist frequency; ``SpectralError/nonFiniteValue(_:)`` naming the first
    ///   sample that is not finite.
    /// - Complexity: O(N log N) (one FFTW transform).
    public init(
        transformingTimeSeries series: [Float], sampleSpacing: Double, minimumFrequency: Double = 0,
        maximumFrequency: Double? = nil
    ) throws {
        guard series.count >= 2 else { throw SpectralError.invalidLength(series.count) }
        guard sampleSpacing.isFinite, sampleSpacing > 0 else {
            throw SpectralError.invalidGrid("the sample spacing must be positive and finite, got \(sampleSpacing)")
        }
        if let bad = series.firstIndex(where: { !$0.isFinite }) {
            throw SpectralError.nonFiniteValue("sample \(bad) of the series is \(series[bad])")
        }
        let n = series.count
        let spacing = 1 / (Double(n) * sampleSpacing)
        let nyquist = Double(n / 2) * spacing
        let fMax = maximumFrequency ?? nyquist
        guard fMax <= nyquist * (1 + 1e-12) else {
            throw SpectralError.invalidGrid(
                "the maximum frequency \(fMax) Hz exceeds the series' Nyquist frequency \(nyquist) Hz")
        }
        let grid = try FrequencyGrid(minimumFrequency: minimumFrequency, maximumFrequency: fMax, spacing: spacing)
        let spectrum = try RealFFT(length: n).forward(series)
        let bins = min(grid.binCount, spectrum.binCount)
        var out = FrequencySeries(grid: grid)
        for k in 0..<bins {
            out.real[k] = Scalar(Double(spectrum.real[k]) * sampleSpacing)
            out.imaginary[k] = Scalar(Double(spectrum.imaginary[k]) * sampleSpacing)
        }
        self = out
    }
}
