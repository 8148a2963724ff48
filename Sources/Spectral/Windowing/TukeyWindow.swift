import Foundation

/// The Tukey (tapered cosine) window: flat in the middle, with cosine tapers over a fraction α of
/// its length split between the two ends — the window the field applies to detector strain
/// before the FFT (DINGO and bilby use α = 2·roll-off/T with a 0.4 s roll-off).
///
/// For N samples n = 0…N−1 and the taper half-width W = ⌊α(N − 1)/2⌋ (scipy's symmetric
/// `scipy.signal.windows.tukey(N, α)`, Harris, Proc. IEEE 66, 51 (1978)):
///
///     w_n = ½[1 + cos(π(−1 + 2n/(α(N − 1))))]           for n ≤ W,
///     w_n = 1                                            for W < n < N − 1 − W,
///     w_n = ½[1 + cos(π(−2/α + 1 + 2n/(α(N − 1))))]     for n ≥ N − 1 − W.
///
/// α = 0 is the rectangular window, α = 1 the Hann window.
///
/// ```swift
/// let window = try TukeyWindow(rollOff: 0.4, duration: 8)   // α = 0.1
/// let tapered = try window.applied(to: strain)              // then RealFFT
/// let factor = try window.meanSquare(count: strain.count)   // noise power kept, Σw²/N
/// ```
public struct TukeyWindow: Hashable, Sendable {
    /// α ∈ [0, 1], the fraction of the window inside the tapers.
    public let alpha: Double

    /// Creates the window.
    /// - Parameter alpha: α ∈ [0, 1].
    /// - Throws: ``SpectralError/nonFiniteValue(_:)`` for α that is not finite,
    ///   ``SpectralError/invalidWindow(_:)`` for α outside [0, 1].
    public init(alpha: Double) throws {
        guard alpha.isFinite else { throw SpectralError.nonFiniteValue("Tukey window α = \(alpha)") }
        guard (0...1).contains(alpha) else {
            throw SpectralError.invalidWindow("the Tukey window's α must lie in [0, 1], got \(alpha)")
        }
        self.alpha = alpha
    }

    /// The window whose tapers each last `rollOff` seconds of a segment of `duration` seconds:
    /// α = 2·rollOff/duration (DINGO's and bilby's parametrisation).
    /// - Parameters:
    ///   - rollOff: The duration of each taper (s), ≥ 0.
    ///   - duration: The segment's duration (s), > 0.
    /// - Throws: ``SpectralError/invalidWindow(_:)`` if the tapers are longer than the segment or a
    ///   value is negative or not finite.
    public init(rollOff: Double, duration: Double) throws {
        guard rollOff.isFinite, duration.isFinite, rollOff >= 0, duration > 0 else {
            throw SpectralError.invalidWindow(
                "the roll-off (\(rollOff) s) must be ≥ 0 and the duration (\(duration) s) positive, both finite")
        }
        guard 2 * rollOff <= duration else {
            throw SpectralError.invalidWindow("two roll-offs of \(rollOff) s do not fit a segment of \(duration) s")
        }
        try self.init(alpha: 2 * rollOff / duration)
    }

    /// The window's values for `count` samples.
    /// - Parameter count: N ≥ 1 (N = 1 gives [1]).
    /// - Returns: w, `[count]`, in [0, 1].
    /// - Throws: ``SpectralError/invalidLength(_:)`` for N < 1.
    public func values(count: Int) throws -> [Double] {
        guard count >= 1 else { throw SpectralError.invalidLength(count) }
        guard count > 1, alpha > 0 else { return [Double](repeating: 1, count: count) }
        let last = Double(count - 1)
        let width = Int((alpha * last / 2).rounded(.down))
        return (0..<count).map { n in
            let x = Double(n)
            if n <= width {
                return 0.5 * (1 + cos(Double.pi * (-1 + 2 * x / (alpha * last))))
            } else if n >= count - 1 - width {
                return 0.5 * (1 + cos(Double.pi * (-2 / alpha + 1 + 2 * x / (alpha * last))))
            }
            return 1
        }
    }

    /// The series multiplied by the window, sample by sample.
    /// - Parameter series: x, `[N]`, N ≥ 1.
    /// - Returns: w·x, `[N]`, in the series' precision.
    /// - Throws: ``SpectralError/invalidLength(_:)`` for an empty series.
    public func applied<Scalar: BinaryFloatingPoint>(to series: [Scalar]) throws -> [Scalar] {
        let w = try values(count: series.count)
        return zip(series, w).map { $0 * Scalar($1) }
    }

    /// The mean square of the window, Σw_n²/N: the fraction of stationary noise power a windowed
    /// segment keeps (DINGO's "window factor"; divide a windowed segment's noise PSD estimate by
    /// it, or multiply the PSD by it to whiten windowed data).
    /// - Parameter count: N ≥ 1.
    /// - Returns: Σw²/N ∈ (0, 1].
    /// - Throws: ``SpectralError/invalidLength(_:)`` for N < 1.
    public func meanSquare(count: Int) throws -> Double {
        try values(count: count).reduce(0) { $0 + $1 * $1 } / Double(count)
    }
}
