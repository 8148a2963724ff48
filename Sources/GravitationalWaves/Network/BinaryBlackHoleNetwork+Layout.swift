import Foundation
import Spectral

extension BinaryBlackHoleNetwork {
    /// Whitens each detector's frequency-domain strain into the network's data layout: what real
    /// (or separately simulated) data must go through before inference.
    ///
    /// Each strain must live on the network's grid and have its phase referred to the reference
    /// time t_ref: for a segment starting at t_start, Fourier-transform it (after a window, e.g.
    /// ``TukeyWindow``, multiplied by the sampling interval Δt) and delay it by t_start − t_ref
    /// (``FrequencySeries/timeShift(by:)`` with that delay). Coloured noise from
    /// ``NoiseSpectrum/sampleNoise(as:using:)`` becomes unit-variance white noise.
    /// - Parameter strains: d̃_I, `[detectors.count]` series on ``grid`` (strain·s).
    /// - Returns: x, `[outputLength]`, `[detector][frequency][re, im]`.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for a count other than the number
    ///   of detectors or a series on another grid; ``GravitationalWaveError/invalidParameter(_:)``
    ///   naming a band value that is not finite.
    public func observation<S>(fromStrain strains: [FrequencySeries<S>]) throws -> [Double] {
        guard strains.count == detectors.count else {
            throw GravitationalWaveError.shapeMismatch(
                "\(strains.count) strain series for \(detectors.count) detectors (\(detectors.map(\.name).joined(separator: ", ")))"
            )
        }
        var x = [Double](repeating: 0, count: outputLength)
        for (channel, strain) in strains.enumerated() {
            guard strain.grid == grid else {
                throw GravitationalWaveError.shapeMismatch(
                    "the strain of \(detectors[channel].name) lives on \(strain.grid), the network on \(grid)")
            }
            let w = whiteningFactors[channel]
            for j in 0..<bandBinCount {
                let k = grid.firstBandBin + j
                let re = Double(strain.real[k])
                let im = Double(strain.imaginary[k])
                guard re.isFinite, im.isFinite else {
                    throw GravitationalWaveError.invalidParameter(
                        "bin \(k) (\(grid.frequency(ofBin: k)) Hz) of \(detectors[channel].name)'s strain is not finite: \(re) + \(im)i"
                    )
                }
                let index = dataIndex(detector: channel, bin: j)
                x[index] = w[j] * re
                x[index + 1] = w[j] * im
            }
        }
        return x
    }

    /// The whitened frequency-domain series of each detector in a data vector, on the whole grid
    /// (zero outside the band): the inverse of the layout, for plots and checks.
    /// - Parameter data: x, `[outputLength]` (an observation, a simulation or ``signal(_:)``).
    /// - Returns: w̃_I, `[detectors.count]` series of `[grid.binCount]` bins.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for data of another length.
    public func whitenedSeries(of data: [Double]) throws -> [FrequencySeries<Double>] {
        guard data.count == outputLength else {
            throw GravitationalWaveError.shapeMismatch(
                "data of \(data.count) values; the network's have \(outputLength)")
        }
        return detectors.indices.map { channel in
            var series = FrequencySeries<Double>(grid: grid)
            for j in 0..<bandBinCount {
                let index = dataIndex(detector: channel, bin: j)
                series.real[grid.firstBandBin + j] = data[index]
                series.imaginary[grid.firstBandBin + j] = data[index + 1]
            }
            return series
        }
    }

    /// The whitened strain of each detector in the time domain, for plots: the inverse FFT of
    /// ``whitenedSeries(of:)`` scaled as ``NoiseSpectrum/whitenedTimeSeries(of:)`` scales it
    /// (white noise has unit variance per sample when the band covers the whole grid, the band's
    /// share of the bins otherwise).
    ///
    /// The segment is placed so that the reference time t_ref sits `referenceOffset` seconds after
    /// its start (the frequency-domain data refer to t_ref; the series is cyclic, so a signal
    /// longer than the offset wraps round to the segment's end).
    /// - Parameters:
    ///   - data: x, `[outputLength]`.
    ///   - referenceOffset: Where t_ref falls in the segment (s); default T − 0.5 s (for T > 1 s;
    ///     T/2 otherwise), leaving the inspiral before the merger in view.
    /// - Returns: The times t − t_ref of the samples (s), `[2(n − 1)]` for the grid's n bins, and
    ///   the whitened samples per detector, `[detectors.count][2(n − 1)]`.
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)`` for data of another length,
    ///   ``GravitationalWaveError/invalidParameter(_:)`` for an offset that is not finite.
    public func whitenedTimeSeries(of data: [Double], referenceOffset: Double? = nil) throws -> (
        times: [Double], values: [[Float]]
    ) {
        let offset = referenceOffset ?? (grid.duration > 1 ? grid.duration - 0.5 : grid.duration / 2)
        guard offset.isFinite else {
            throw GravitationalWaveError.invalidParameter("the reference offset must be finite, got \(offset)")
        }
        var values: [[Float]] = []
        var times: [Double] = []
        for var series in try whitenedSeries(of: data) {
            try series.timeShift(by: offset)
            let n = series.timeSeriesLength
            // timeSeries() multiplies the 1/N-scaled inverse by NΔf; √(N/2) of the 1/N-scaled one is wanted.
            let scale = Float((Double(n) / 2).squareRoot() / (Double(n) * grid.spacing))
            values.append(try series.timeSeries().map { $0 * scale })
            times = series.sampleTimes.map { $0 - offset }
        }
        return (times, values)
    }
}
