/// Reduces a polyline to at most about four points per `buckets` column (first, minimum,
/// maximum, last), preserving its envelope; shorter inputs are returned unchanged.
func decimated(xs: [Double], ys: [Double], buckets: Int) -> (xs: [Double], ys: [Double]) {
    let count = min(xs.count, ys.count)
    guard count > 4 * max(buckets, 1), let xLow = xs.first, let xHigh = xs.last, xHigh > xLow else {
        return (Array(xs.prefix(count)), Array(ys.prefix(count)))
    }
    var outX: [Double] = []
    var outY: [Double] = []
    var index = 0
    let width = (xHigh - xLow) / Double(buckets)
    /// The column of x, or −1 for NaN and values off the line (never a trapping `Int(_:)`).
    func column(_ x: Double) -> Int {
        let position = (x - xLow) / width
        guard position.isFinite, position >= 0 else { return -1 }
        return Int(min(position, Double(buckets)))
    }
    while index < count {
        let bucket = column(xs[index])
        var end = index
        var minIndex = index
        var maxIndex = index
        while end < count && column(xs[end]) == bucket {
            if ys[end] < ys[minIndex] { minIndex = end }
            if ys[end] > ys[maxIndex] { maxIndex = end }
            end += 1
        }
        if end == index { end = index + 1 }  // non-monotonic x: keep the point
        let kept = Set([index, minIndex, maxIndex, end - 1]).sorted()
        for k in kept {
            outX.append(xs[k])
            outY.append(ys[k])
        }
        index = end
    }
    return (outX, outY)
}
