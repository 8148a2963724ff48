import Foundation

/// A one-sided grid of frequency bins f_k = k·Δf, k = 0…n−1, with a band [f_min, f_max] in which
/// a signal or data set is defined.
///
/// The grid is that of the discrete Fourier transform of a real series of duration T = 1/Δf:
/// bin 0 is f = 0 and the last bin is the largest multiple of Δf not above f_max, so that
/// n = ⌊f_max/Δf⌋ + 1 (LALSimulation's frequency-domain waveforms use the same layout). Bins
/// below f_min (``firstBandBin``, = ⌈f_min/Δf⌉) are outside the band: waveforms are zero there
/// and inner products skip them.
///
/// ```swift
/// let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.125)
/// grid.binCount        // 8193
/// grid.firstBandBin    // 160 (20 Hz)
/// grid.duration        // 8 s
/// ```
public struct FrequencyGrid: Hashable, Sendable, CustomStringConvertible {
    /// f_min, the lower edge of the band (Hz).
    public let minimumFrequency: Double
    /// f_max, the upper edge requested (Hz); the last bin is ⌊f_max/Δf⌋·Δf.
    public let maximumFrequency: Double
    /// Δf, the bin spacing (Hz); the duration of the corresponding time series is 1/Δf.
    public let spacing: Double
    /// n, the number of bins from f = 0 up to f_max.
    public let binCount: Int
    /// The index of the first bin at or above f_min.
    public let firstBandBin: Int

    /// Creates a grid.
    /// - Parameters:
    ///   - minimumFrequency: f_min ≥ 0 (Hz).
    ///   - maximumFrequency: f_max > f_min (Hz).
    ///   - spacing: Δf > 0 (Hz).
    /// - Throws: ``SpectralError/invalidGrid(_:)`` for non-finite values, Δf ≤ 0, f_min < 0,
    ///   f_max ≤ f_min, a band without a bin, or more than 2³¹ bins.
    public init(minimumFrequency: Double, maximumFrequency: Double, spacing: Double) throws {
        guard minimumFrequency.isFinite, maximumFrequency.isFinite, spacing.isFinite else {
            throw SpectralError.invalidGrid("frequencies and spacing must be finite")
        }
        guard spacing > 0 else { throw SpectralError.invalidGrid("the spacing Δf must be positive, got \(spacing)") }
        guard minimumFrequency >= 0 else {
            throw SpectralError.invalidGrid("the minimum frequency must not be negative, got \(minimumFrequency)")
        }
        guard maximumFrequency > minimumFrequency else {
            throw SpectralError.invalidGrid(
                "the maximum frequency \(maximumFrequency) must exceed the minimum frequency \(minimumFrequency)")
        }
        let bins = (maximumFrequency / spacing).rounded(.down) + 1
        guard bins <= Double(Int32.max) else {
            throw SpectralError.invalidGrid("\(bins) bins is too many (f_max/Δf must stay below 2³¹)")
        }
        let first = (minimumFrequency / spacing).rounded(.up)
        guard first < bins else {
            throw SpectralError.invalidGrid(
                "no bin of spacing \(spacing) Hz lies between \(minimumFrequency) and \(maximumFrequency) Hz")
        }
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximumFrequency
        self.spacing = spacing
        self.binCount = Int(bins)
        self.firstBandBin = Int(first)
    }

    /// T = 1/Δf, the duration (s) of the time series whose transform lives on this grid.
    public var duration: Double { 1 / spacing }

    /// The number of bins in the band, n − ``firstBandBin``.
    public var bandBinCount: Int { binCount - firstBandBin }

    /// The bin indices of the band, ``firstBandBin``..<n.
    public var bandBins: Range<Int> { firstBandBin..<binCount }

    /// The frequency of bin k, k·Δf (Hz).
    /// - Parameter bin: k.
    /// - Returns: k·Δf.
    @inlinable
    public func frequency(ofBin bin: Int) -> Double { Double(bin) * spacing }

    /// The frequencies of all n bins, `[n]` (Hz).
    public var frequencies: [Double] { (0..<binCount).map { Double($0) * spacing } }

    /// A one-line description.
    public var description: String {
        "FrequencyGrid(\(minimumFrequency)…\(maximumFrequency) Hz, Δf = \(spacing) Hz, \(binCount) bins, band from bin \(firstBandBin))"
    }
}
