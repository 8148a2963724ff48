import Foundation

/// A complex frequency-domain series on a ``FrequencyGrid``: one value per bin f_k = k·Δf,
/// k = 0…n−1, stored as separate real and imaginary parts.
///
/// Generic over the storage precision: `FrequencySeries<Float>` for data (detector strain,
/// noise, network inputs), `FrequencySeries<Double>` for waveforms, whose phase needs double
/// precision. Time shifts compute their phase factors in `Double` whatever the storage.
///
/// ```swift
/// let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 1024, spacing: 0.25)
/// var h = FrequencySeries<Double>(grid: grid)          // zeros, [grid.binCount]
/// h.real[100] = 1
/// try h.timeShift(by: 0.01)                            // delay by 10 ms, in place
/// ```
public struct FrequencySeries<Scalar: BinaryFloatingPoint & Sendable>: Equatable, Sendable {
    /// The grid the values live on.
    public let grid: FrequencyGrid
    /// The real parts, `[grid.binCount]`.
    public var real: [Scalar]
    /// The imaginary parts, `[grid.binCount]`.
    public var imaginary: [Scalar]

    /// A series of zeros on `grid`.
    /// - Parameter grid: The frequency grid.
    public init(grid: FrequencyGrid) {
        self.grid = grid
        real = [Scalar](repeating: 0, count: grid.binCount)
        imaginary = real
    }

    /// A series with the given values.
    /// - Parameters:
    ///   - grid: The frequency grid.
    ///   - real: The real parts, `[grid.binCount]`.
    ///   - imaginary: The imaginary parts, `[grid.binCount]`.
    /// - Throws: ``SpectralError/shapeMismatch(_:)`` if a count differs from `grid.binCount`.
    public init(grid: FrequencyGrid, real: [Scalar], imaginary: [Scalar]) throws {
        guard real.count == grid.binCount, imaginary.count == grid.binCount else {
            throw SpectralError.shapeMismatch(
                "a series on \(grid.binCount) bins needs \(grid.binCount) real and imaginary parts, got \(real.count) and \(imaginary.count)"
            )
        }
        self.grid = grid
        self.real = real
        self.imaginary = imaginary
    }

    /// The number of bins, n.
    public var binCount: Int { real.count }

    /// |x_k|, `[n]`.
    public var magnitudes: [Scalar] {
        (0..<binCount).map { (real[$0] * real[$0] + imaginary[$0] * imaginary[$0]).squareRoot() }
    }

    /// The series with its values converted to another precision.
    /// - Returns: The same values as `FrequencySeries<Other>` (rounded if `Other` is narrower).
    public func converted<Other: BinaryFloatingPoint & Sendable>(to _: Other.Type = Other.self) -> FrequencySeries<
        Other
    > {
        var out = FrequencySeries<Other>(grid: grid)
        for k in 0..<binCount {
            out.real[k] = Other(real[k])
            out.imaginary[k] = Other(imaginary[k])
        }
        return out
    }
}
