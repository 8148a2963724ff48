/// What one panel of a line chart shows (the shared engine behind ``DataPlot``,
/// ``TrainingCurvePlot``, ``CoveragePlot`` and ``DriftPlot``). Internal.
struct ChartContent {
    struct Line {
        var xs: [Double]
        var ys: [Double]
        var stroke: StrokeStyle
        var markers: Bool = false
    }

    struct Band {
        var xs: [Double]
        var lower: [Double]
        var upper: [Double]
        var fill: FillStyle
    }

    struct Marker {
        var x: Double
        var y: Double
        var color: Color
        var radius: Double = 4
        var label: String? = nil
    }

    struct Rule {
        enum Orientation { case vertical, horizontal, diagonal }
        var orientation: Orientation
        var value: Double = 0
        var stroke: StrokeStyle
    }

    var lines: [Line] = []
    var bands: [Band] = []
    var markers: [Marker] = []
    var rules: [Rule] = []
    var xDomain: ClosedRange<Double>? = nil
    var yDomain: ClosedRange<Double>? = nil
    var yKind: Scale.Kind = .linear

    /// The x and y ranges of everything drawn (finite values only), padded by 4 % in y.
    func domains() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xLow = Double.infinity
        var xHigh = -Double.infinity
        var yLow = Double.infinity
        var yHigh = -Double.infinity
        func include(_ xs: [Double], _ ys: [Double]) {
            for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite && (yKind == .linear || y > 0) {
                xLow = min(xLow, x)
                xHigh = max(xHigh, x)
                yLow = min(yLow, y)
                yHigh = max(yHigh, y)
            }
        }
        for line in lines { include(line.xs, line.ys) }
        for band in bands {
            include(band.xs, band.lower)
            include(band.xs, band.upper)
        }
        for marker in markers { include([marker.x], [marker.y]) }
        if !xLow.isFinite { (xLow, xHigh) = (0, 1) }
        if !yLow.isFinite { (yLow, yHigh) = yKind == .linear ? (0, 1) : (0.1, 10) }
        var y: ClosedRange<Double>
        if yKind == .logarithmic {
            y = (yLow / 1.3)...(yHigh * 1.3)
        } else {
            let pad = yHigh > yLow ? (yHigh - yLow) * 0.04 : max(abs(yLow) * 0.1, 0.5)
            y = (yLow - pad)...(yHigh + pad)
        }
        if let yDomain { y = yDomain }
        return (xDomain ?? (xLow...max(xHigh, xLow)), y)
    }
}
