import Foundation
import Spectral

/// k^{1/3} and ln k for the band bins of a grid, shared by every waveform generated on it, so
/// that a waveform needs no cube root or logarithm per bin: with v_k = (πMkΔf)^{1/3},
/// v_k = (πMΔf)^{1/3}·k^{1/3} and ln v_k = ln (πMΔf)^{1/3} + (ln k)/3.
///
/// Tables are cached per grid (the last few grids used), behind a lock.
final class BinPowers: @unchecked Sendable {
    /// k^{1/3} for k = firstBandBin..<binCount, indexed by k − firstBandBin.
    let cubeRoots: [Double]
    /// ln k for the same bins.
    let logarithms: [Double]

    private init(grid: FrequencyGrid) {
        let bins = grid.bandBins
        cubeRoots = bins.map { cbrt(Double($0)) }
        logarithms = bins.map { log(Double($0)) }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [FrequencyGrid: BinPowers] = [:]

    /// The tables of a grid (computed on first use).
    static func of(_ grid: FrequencyGrid) -> BinPowers {
        lock.lock()
        defer { lock.unlock() }
        if let tables = cache[grid] { return tables }
        if cache.count >= 8 { cache.removeAll() }
        let tables = BinPowers(grid: grid)
        cache[grid] = tables
        return tables
    }
}
