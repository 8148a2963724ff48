import Foundation
import Spectral

extension NoiseSpectrum {
    /// A series whitened by this PSD: w̃_k = x̃_k / √(S_k/(4Δf)) in the band, 0 outside.
    ///
    /// With this scaling, the noise of ``sampleNoise(as:using:)`` becomes white with real and
    /// imaginary parts of unit variance in every band bin, and a signal's optimal SNR is the norm
    /// of its whitened series: ρ² = Σ_k |w̃_k|² (DINGO whitens its network inputs the same way).
    ///
    /// - Parameter series: x̃ on this spectrum's grid (data, a waveform, noise).
    /// - Returns: w̃, `[grid.binCount]`, single precision (data for plots and networks).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` if the series lives on another
    ///   grid; ``GravitationalWaveError/invalidParameter(_:)`` naming the first bin whose value is
    ///   not finite.
    public func whitened<S>(_ series: FrequencySeries<S>) throws -> FrequencySeries<Float> {
        guard series.grid == grid else {
            throw GravitationalWaveError.shapeMismatch("series on \(series.grid), spectrum on \(grid)")
        }
        var out = FrequencySeries<Float>(grid: grid)
        let scale = 4 * grid.spacing
        for k in grid.bandBins where values[k].isFinite {
            let re = Double(series.real[k])
            let im = Double(series.imaginary[k])
            guard re.isFinite, im.isFinite else {
                throw GravitationalWaveError.invalidParameter(
                    "bin \(k) (\(grid.frequency(ofBin: k)) Hz) of the series is not finite: \(re) + \(im)i")
            }
            let factor = (scale * inverseValues[k]).squareRoot()
            out.real[k] = Float(re * factor)
            out.imaginary[k] = Float(im * factor)
        }
        return out
    }

    /// The whitened series in the time domain, for plots: the inverse FFT of ``whitened(_:)``
    /// scaled by √(N/2), N = 2(n − 1) samples, so that whitened Gaussian noise has unit variance
    /// per sample when the band covers the whole grid (its variance is the band's share of the
    /// bins otherwise), and Σ_j x_j² = ρ² for a signal that is zero at f = 0 and in the last bin.
    ///
    /// - Parameter series: x̃ on this spectrum's grid.
    /// - Returns: The times t_j from the segment's start (s) and the whitened samples, each
    ///   `[2(n − 1)]`. A signal at t = 0 wraps around to the segment's end: shift it into the
    ///   segment first (``FrequencySeries/timeShift(by:)``).
    /// - Throws: As ``whitened(_:)``, and ``SpectralError/invalidLength(_:)`` for a grid of
    ///   fewer than two bins.
    ///
    /// ```swift
    /// let noise = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
    /// let (t, x) = try noise.whitenedTimeSeries(of: data)     // unit-variance noise, signal on top
    /// ```
    public func whitenedTimeSeries<S>(of series: FrequencySeries<S>) throws -> (times: [Double], values: [Float]) {
        let white = try whitened(series)
        let n = white.timeSeriesLength
        guard n >= 2 else { throw SpectralError.invalidLength(n) }
        // timeSeries() multiplies the 1/N-scaled inverse by NΔf; √(N/2) of the 1/N-scaled one is wanted.
        let scale = Float((Double(n) / 2).squareRoot() / (Double(n) * grid.spacing))
        return (white.sampleTimes, try white.timeSeries().map { $0 * scale })
    }
}
