/// Counts of points in a grid of equal-width bins over a rectangle, with Gaussian smoothing and
/// the density thresholds that enclose chosen probability masses.
public struct Histogram2D: Equatable, Sendable {
    /// The binned x range.
    public var xRange: ClosedRange<Double>
    /// The binned y range.
    public var yRange: ClosedRange<Double>
    /// Bins along x.
    public var xBins: Int
    /// Bins along y.
    public var yBins: Int
    /// Counts, `[yBins, xBins]` row-major: `counts[row * xBins + column]`, row 0 at the lowest y.
    public var counts: [Double]

    /// Bins points `(xs[k], ys[k])`.
    /// - Parameters:
    ///   - xs: The x values, `[count]`.
    ///   - ys: The y values, `[count]`.
    ///   - xRange: The binned x range.
    ///   - yRange: The binned y range.
    ///   - bins: Bins along each axis (at least 2).
    /// - Throws: ``PlottingError/shapeMismatch(_:)`` when `xs` and `ys` differ in length,
    ///   ``PlottingError/invalidOption(_:)`` for fewer than 2 or more than 4,096 bins, or a range
    ///   that is empty or infinite.
    public init(
        xs: [Double], ys: [Double], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, bins: Int
    ) throws {
        guard xs.count == ys.count else {
            throw PlottingError.shapeMismatch("\(xs.count) x values but \(ys.count) y values")
        }
        guard bins >= 2, bins <= 4096 else {
            throw PlottingError.invalidOption("a 2-D histogram needs 2 to 4096 bins per axis, got \(bins)")
        }
        try Histogram.checkRange(xRange, bins: bins)
        try Histogram.checkRange(yRange, bins: bins)
        self.init(
            xIndices: Histogram.binIndices(of: xs, range: xRange, bins: bins),
            yIndices: Histogram.binIndices(of: ys, range: yRange, bins: bins), xRange: xRange,
            yRange: yRange, bins: bins)
    }

    /// Bins points from precomputed bin indices (see ``Histogram/binIndices(of:range:bins:)``).
    init(
        xIndices: [Int32], yIndices: [Int32], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
        bins: Int
    ) {
        self.xRange = xRange
        self.yRange = yRange
        xBins = bins
        yBins = bins
        var grid = [Double](repeating: 0, count: bins * bins)
        xIndices.withUnsafeBufferPointer { xi in
            yIndices.withUnsafeBufferPointer { yi in
                grid.withUnsafeMutableBufferPointer { g in
                    for k in 0..<min(xi.count, yi.count) {
                        let bx = xi[k]
                        let by = yi[k]
                        if bx >= 0 && by >= 0 { g[Int(by) * bins + Int(bx)] += 1 }
                    }
                }
            }
        }
        counts = grid
    }

    /// This histogram convolved with a Gaussian of standard deviation `sigma` bins (separable,
    /// truncated at 3σ). Along an ordinary axis mass smoothed past the edges is dropped, as in a
    /// zero-padded filter; along a periodic axis (a phase, an angle over its full period) it wraps
    /// round to the other edge, so the total is kept.
    /// - Parameters:
    ///   - sigma: The kernel width in bins; 0 returns the histogram unchanged.
    ///   - periodicX: Whether the x range is one period of a periodic parameter.
    ///   - periodicY: Whether the y range is one period of a periodic parameter.
    /// - Returns: The smoothed histogram.
    public func smoothed(sigma: Double, periodicX: Bool = false, periodicY: Bool = false) -> Histogram2D {
        guard sigma > 0 else { return self }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { offset -> Double in
            exp(-0.5 * Double(offset * offset) / (sigma * sigma))
        }
        let norm = kernel.reduce(0, +)
        kernel = kernel.map { $0 / norm }
        /// The bin `index` refers to along an axis of `count` bins, or −1 past an ordinary edge.
        func bin(_ index: Int, _ count: Int, _ periodic: Bool) -> Int {
            if index >= 0 && index < count { return index }
            return periodic ? ((index % count) + count) % count : -1
        }
        var rows = [Double](repeating: 0, count: counts.count)
        for row in 0..<yBins {
            for column in 0..<xBins {
                var sum = 0.0
                for (k, weight) in kernel.enumerated() {
                    let c = bin(column + k - radius, xBins, periodicX)
                    if c >= 0 { sum += weight * counts[row * xBins + c] }
                }
                rows[row * xBins + column] = sum
            }
        }
        var result = self
        for row in 0..<yBins {
            for column in 0..<xBins {
                var sum = 0.0
                for (k, weight) in kernel.enumerated() {
                    let r = bin(row + k - radius, yBins, periodicY)
                    if r >= 0 { sum += weight * rows[r * xBins + column] }
                }
                result.counts[row * xBins + column] = sum
            }
        }
        return result
    }

    /// For each mass `m`, the bin value `t` such that the bins with values ≥ `t` hold a fraction
    /// `m` of the total: the boundary of the highest-density region of credibility `m`.
    ///
    /// The bins are sorted by value; the threshold interpolates linearly in the cumulative mass
    /// between the two bins on either side of `m` (as corner.py does).
    /// - Parameter masses: Credible masses in (0, 1), e.g. `[0.68, 0.95]`.
    /// - Returns: One threshold per mass (larger masses give lower thresholds); `+∞` when the
    ///   histogram is empty.
    public func thresholds(enclosing masses: [Double]) -> [Double] {
        Self.thresholds(of: counts, enclosing: masses)
    }

    /// ``thresholds(enclosing:)`` for any non-negative cell values of equal-area cells.
    /// - Parameters:
    ///   - values: Cell values, `[cells]`.
    ///   - masses: Credible masses in (0, 1).
    /// - Returns: One threshold per mass; `+∞` when every value is zero.
    static func thresholds(of values: [Double], enclosing masses: [Double]) -> [Double] {
        let sorted = values.sorted(by: >)
        let total = sorted.reduce(0, +)
        guard total > 0 else { return masses.map { _ in .infinity } }
        var cumulative = [Double](repeating: 0, count: sorted.count)
        var running = 0.0
        for (index, value) in sorted.enumerated() {
            running += value
            cumulative[index] = running / total
        }
        return masses.map { mass -> Double in
            guard let index = cumulative.firstIndex(where: { $0 >= mass }) else { return sorted.last ?? 0 }
            if index == 0 { return sorted[0] }
            let (c0, c1) = (cumulative[index - 1], cumulative[index])
            let t = c1 > c0 ? (mass - c0) / (c1 - c0) : 1
            return sorted[index - 1] + t * (sorted[index] - sorted[index - 1])
        }
    }

    /// The fraction of the total held by bins with values ≥ `threshold`.
    public func mass(atOrAbove threshold: Double) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        return counts.filter { $0 >= threshold }.reduce(0, +) / total
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
