/// Sample quantiles and the summaries shown over marginal histograms.
public enum Quantiles {
    /// The `p`-quantile of sorted values by linear interpolation between order statistics
    /// (type 7 of Hyndman and Fan, 1996, the default of R and NumPy).
    /// - Parameters:
    ///   - sorted: Values in increasing order, without NaN, `[count]`.
    ///   - p: The probability, 0–1.
    /// - Returns: The quantile; NaN for an empty array or a NaN probability.
    public static func quantile(ofSorted sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty, !p.isNaN else { return .nan }
        let position = min(max(p, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let t = position - Double(lower)
        // Exact order statistics (and equal neighbours) need no interpolation, which would
        // compute 0 · ∞ = NaN next to an infinite value.
        if t == 0 || sorted[upper] == sorted[lower] { return sorted[lower] }
        return sorted[lower] + t * (sorted[upper] - sorted[lower])
    }

    /// Several quantiles of unsorted values (type 7, as ``quantile(ofSorted:_:)``), exactly, in
    /// O(count) time: values are counted in 4096 equal-width buckets, and only the buckets
    /// holding the wanted order statistics are sorted.
    /// - Parameters:
    ///   - values: The values, `[count]`; NaN values are ignored, ±∞ count as the extremes.
    ///   - probabilities: The wanted probabilities, each 0–1 (NaN gives NaN).
    /// - Returns: One quantile per probability; NaN for each when no value is left.
    /// - Complexity: O(count + size of the selected buckets × log of that size); O(count log
    ///   count) when a value is infinite.
    public static func quantiles(of values: [Double], at probabilities: [Double]) -> [Double] {
        if values.contains(where: { !$0.isFinite }) {
            // Buckets need a finite span: sort the non-NaN values instead.
            let sorted = values.filter { !$0.isNaN }.sorted()
            return probabilities.map { quantile(ofSorted: sorted, $0) }
        }
        if probabilities.contains(where: \.isNaN) {
            let finite = quantiles(of: values, at: probabilities.map { $0.isNaN ? 0.5 : $0 })
            return zip(finite, probabilities).map { $1.isNaN ? .nan : $0 }
        }
        let n = values.count
        guard n > 0 else { return probabilities.map { _ in .nan } }
        if n <= 4096 {
            let sorted = values.sorted()
            return probabilities.map { quantile(ofSorted: sorted, $0) }
        }
        var low = Double.infinity
        var high = -Double.infinity
        for value in values {
            low = min(low, value)
            high = max(high, value)
        }
        guard high > low else { return probabilities.map { _ in low } }
        let bucketCount = 4096
        // Halved so that the span of values near ±Double.greatestFiniteMagnitude stays finite.
        let scale = Double(bucketCount) / (high / 2 - low / 2) / 2
        guard scale.isFinite, scale > 0 else {
            let sorted = values.sorted()
            return probabilities.map { quantile(ofSorted: sorted, $0) }
        }
        @inline(__always) func bucket(_ value: Double) -> Int {
            min(Int((value / 2 - low / 2) * (2 * scale)), bucketCount - 1)
        }
        var counts = [Int](repeating: 0, count: bucketCount)
        values.withUnsafeBufferPointer { buffer in
            for value in buffer { counts[bucket(value)] += 1 }
        }
        // Order statistics needed: floor(position) and the next one, per probability.
        var ranks: [Int] = []
        for p in probabilities {
            let position = min(max(p, 0), 1) * Double(n - 1)
            let lower = Int(position.rounded(.down))
            ranks.append(lower)
            ranks.append(min(lower + 1, n - 1))
        }
        var starts = [Int](repeating: 0, count: bucketCount + 1)
        for b in 0..<bucketCount { starts[b + 1] = starts[b] + counts[b] }
        func bucketOf(rank: Int) -> Int {
            var lo = 0
            var hi = bucketCount - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid + 1] > rank { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        var slot = [Int](repeating: -1, count: bucketCount)
        var collected: [[Double]] = []
        var rankBuckets: [Int] = []
        for rank in ranks {
            let b = bucketOf(rank: rank)
            rankBuckets.append(b)
            if slot[b] < 0 {
                slot[b] = collected.count
                collected.append([])
            }
        }
        values.withUnsafeBufferPointer { buffer in
            for value in buffer {
                let s = slot[bucket(value)]
                if s >= 0 { collected[s].append(value) }
            }
        }
        for index in collected.indices { collected[index].sort() }
        func orderStatistic(_ index: Int) -> Double {
            let rank = ranks[index]
            let b = rankBuckets[index]
            return collected[slot[b]][rank - starts[b]]
        }
        return probabilities.indices.map { i in
            let position = min(max(probabilities[i], 0), 1) * Double(n - 1)
            let t = position - position.rounded(.down)
            let a = orderStatistic(2 * i)
            let b = orderStatistic(2 * i + 1)
            return a + t * (b - a)
        }
    }

    /// The median and the equal-tailed credible interval of `values`.
    /// - Parameters:
    ///   - values: Samples, `[count]`; NaN values are ignored.
    ///   - level: The interval's probability, e.g. 0.9 for the 5 %–95 % interval.
    /// - Returns: `(median, lower, upper)`; NaN when no finite value is given.
    public static func medianAndInterval(of values: [Double], level: Double) -> (
        median: Double, lower: Double, upper: Double
    ) {
        let finite = values.filter { $0.isFinite }
        let tail = (1 - level) / 2
        let q = quantiles(of: finite, at: [0.5, tail, 1 - tail])
        return (q[0], q[1], q[2])
    }
}
