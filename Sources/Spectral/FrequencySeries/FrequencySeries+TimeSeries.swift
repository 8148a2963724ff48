import Foundation

extension FrequencySeries {
    /// The number of samples of the real time series whose one-sided transform lives on this
    /// series' grid: 2(n − 1) for n bins (the last bin is the Nyquist frequency).
    public var timeSeriesLength: Int { 2 * (binCount - 1) }

    /// The time between samples of that series, 1/(2 f_last) with f_last = (n − 1)Δf (s).
    public var sampleSpacing: Double { 1 / (Double(timeSeriesLength) * grid.spacing) }

    /// The real time series with this frequency-domain representation, by an inverse real FFT
    /// (FFTW): x_j = Δf Σ_k x̃_k e^{2πi jk/N} over the two-sided spectrum, N = 2(n − 1), the
    /// discrete form of x(t) = ∫ x̃(f) e^{2πift} df. It is the inverse of x̃(f_k) = Δt Σ_j x_j
    /// e^{−2πi jk/N}, the convention of frequency-domain waveforms, so a strain h̃(f) in 1/Hz
    /// becomes a dimensionless strain h(t_j). Sample j stands for t_j = j·Δt from the start of a
    /// segment of duration 1/Δf; a signal at t = 0 (a waveform's coalescence) wraps around to
    /// the segment's end, so shift it first (``timeShift(by:)``) to place it inside.
    ///
    /// The imaginary parts of the first and last bins are ignored (those of a real series are 0).
    ///
    /// - Returns: x, `[timeSeriesLength]`, single precision.
    /// - Throws: ``SpectralError/invalidLength(_:)`` for a grid of fewer than two bins or a
    ///   series longer than FFTW's 32-bit interface allows.
    /// - Complexity: O(N log N).
    ///
    /// ```swift
    /// var h = try IMRPhenomD().polarizations(of: binary, on: grid).plus   // merger at t = 0
    /// try h.timeShift(by: grid.duration - 2)                              // 2 s before the end
    /// let strain = try h.timeSeries()                                     // [2(n − 1)]
    /// ```
    public func timeSeries() throws -> [Float] {
        guard binCount >= 2 else { throw SpectralError.invalidLength(timeSeriesLength) }
        let fft = try RealFFT(length: timeSeriesLength)
        let spectrum = try ComplexSpectrum(
            real: real.map { Float($0) }, imaginary: imaginary.map { Float($0) },
            seriesLength: timeSeriesLength)
        // RealFFT.inverse divides by N; x_j = Δf Σ_k … = N Δf · inverse(x̃)_j.
        let scale = Float(Double(timeSeriesLength) * grid.spacing)
        return try fft.inverse(spectrum).map { $0 * scale }
    }

    /// The times t_j = j·Δt of ``timeSeries()``'s samples, from the start of the segment (s).
    public var sampleTimes: [Double] { (0..<max(timeSeriesLength, 0)).map { Double($0) * sampleSpacing } }
}
