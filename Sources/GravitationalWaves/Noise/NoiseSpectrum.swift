import Foundation
import Spectral

/// A one-sided noise PSD sampled on a frequency grid: the weighting of the noise-weighted inner
/// product, the signal-to-noise ratios and the coloured Gaussian noise of one detector.
///
/// Bins below the grid's band hold S = +∞ and carry no weight.
///
/// ```swift
/// let noise = try NoiseSpectrum(psd: .advancedLIGODesign, grid: grid)
/// let rho = try noise.optimalSNR(of: h)                 // √⟨h, h⟩
/// var rng = RandomSource(seed: 1)
/// let n: FrequencySeries<Float> = noise.sampleNoise(using: &rng)
/// ```
public struct NoiseSpectrum: Sendable {
    /// The grid.
    public let grid: FrequencyGrid
    /// S_n(f_k) per bin (strain²/Hz), `[grid.binCount]`; +∞ outside the band.
    public let values: [Double]
    /// 1/S_n(f_k) per bin, `[grid.binCount]`; 0 where S = +∞.
    let inverseValues: [Double]

    /// Samples a PSD on a grid.
    /// - Parameters:
    ///   - psd: The PSD.
    ///   - grid: The grid.
    /// - Throws: As ``PowerSpectralDensity/values(on:)``.
    public init(psd: PowerSpectralDensity, grid: FrequencyGrid) throws {
        try self.init(grid: grid, values: try psd.values(on: grid))
    }

    /// A spectrum from values per bin.
    /// - Parameters:
    ///   - grid: The grid.
    ///   - values: S_n per bin, `[grid.binCount]`, positive (+∞ allowed: the bin is ignored).
    /// - Throws: ``GravitationalWaveError/shapeMismatch(_:)``,
    ///   ``GravitationalWaveError/nonPositiveValue(line:value:)`` (line = bin index) for a value
    ///   that is not positive, or NaN.
    public init(grid: FrequencyGrid, values: [Double]) throws {
        guard values.count == grid.binCount else {
            throw GravitationalWaveError.shapeMismatch("\(values.count) PSD values for a grid of \(grid.binCount) bins")
        }
        if let bad = values.firstIndex(where: { !($0 > 0) }) {
            throw GravitationalWaveError.nonPositiveValue(line: bad, value: values[bad])
        }
        self.grid = grid
        self.values = values
        inverseValues = values.map { $0.isFinite ? 1 / $0 : 0 }
    }
}
