/// Counts of values in equal-width bins over a range.
public struct Histogram: Equatable, Sendable {
    /// The binned range; values outside it (and NaN) are not counted.
    public var range: ClosedRange<Double>
    /// Weighted counts per bin, `[bins]`.
    public var counts: [Double]

    /// The number of bins.
    public var binCount: Int { counts.count }
    /// The width of one bin.
    public var binWidth: Double { (range.upperBound - range.lowerBound) / Double(counts.count) }
    /// The sum of all counts.
    public var total: Double { counts.reduce(0, +) }

    /// Bins `values` over `range`.
    /// - Parameters:
    ///   - values: The values, `[count]`.
    ///   - range: The binned range (must have positive width).
    ///   - bins: The number of bins (at least 1).
    /// - Throws: ``PlottingError/invalidOption(_:)`` for fewer than one bin or an empty range.
    public init(values: [Double], range: ClosedRange<Double>, bins: Int) throws {
        guard bins >= 1 else { throw PlottingError.invalidOption("a histogram needs at least 1 bin, got \(bins)") }
        guard range.upperBound > range.lowerBound else {
            throw PlottingError.invalidOption("a histogram range must have positive width, got \(range)")
        }
        self.range = range
        counts = [Double](repeating: 0, count: bins)
        let indices = Histogram.binIndices(of: values, range: range, bins: bins)
        for index in indices where index >= 0 { counts[Int(index)] += 1 }
    }

    /// The centre of bin `index`.
    public func center(ofBin index: Int) -> Double {
        range.lowerBound + (Double(index) + 0.5) * binWidth
    }

    /// Counts scaled to a probability density: they integrate to one over the range (all zero
    /// when nothing was counted).
    public var density: [Double] {
        let norm = total * binWidth
        return norm > 0 ? counts.map { $0 / norm } : counts
    }

    /// The bin of each value: 0 ..< bins, or −1 for a value outside `range` or NaN. The upper
    /// bound itself falls in the last bin.
    /// - Parameters:
    ///   - values: The values, `[count]`.
    ///   - range: The binned range.
    ///   - bins: The number of bins.
    /// - Returns: Bin indices, `[count]`.
    public static func binIndices(of values: [Double], range: ClosedRange<Double>, bins: Int) -> [Int32] {
        let lower = range.lowerBound
        let upper = range.upperBound
        let scale = Double(bins) / (upper - lower)
        let last = Int32(bins - 1)
        return values.map { value -> Int32 in
            guard value >= lower, value <= upper else { return -1 }  // also false for NaN
            return min(Int32((value - lower) * scale), last)
        }
    }
}
