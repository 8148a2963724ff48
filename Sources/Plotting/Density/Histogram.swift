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
    /// - Throws: ``PlottingError/invalidOption(_:)`` for fewer than one bin or more than
    ///   ``maximumBins``, or a range that is empty, infinite or too narrow to split into `bins`.
    public init(values: [Double], range: ClosedRange<Double>, bins: Int) throws {
        guard bins >= 1, bins <= Histogram.maximumBins else {
            throw PlottingError.invalidOption("a histogram needs 1 to \(Histogram.maximumBins) bins, got \(bins)")
        }
        try Histogram.checkRange(range, bins: bins)
        self.range = range
        counts = [Double](repeating: 0, count: bins)
        let indices = Histogram.binIndices(of: values, range: range, bins: bins)
        for index in indices where index >= 0 { counts[Int(index)] += 1 }
    }

    /// The most bins a histogram takes (one million).
    public static let maximumBins = 1_000_000

    /// Throws unless `range` is finite, has positive width and can be split into `bins` bins.
    static func checkRange(_ range: ClosedRange<Double>, bins: Int) throws {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else {
            throw PlottingError.invalidOption("a histogram range must be finite, got \(range)")
        }
        let scale = Double(bins) / (range.upperBound - range.lowerBound)
        guard range.upperBound > range.lowerBound, scale.isFinite else {
            throw PlottingError.invalidOption("a histogram range must have a positive, finite width, got \(range)")
        }
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
        let last = Int32(clamping: bins - 1)
        return values.map { value -> Int32 in
            guard value >= lower, value <= upper else { return -1 }  // also false for NaN
            let position = (value - lower) * scale
            // An infinite or absurd range (only reachable through this static method) bins nothing.
            guard position.isFinite, position >= 0 else { return -1 }
            return Int32(min(position, Double(last)))
        }
    }
}
