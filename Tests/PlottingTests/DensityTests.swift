import Testing

@testable import Plotting

/// Area of a closed ring by the shoelace formula.
private func area(_ ring: [(x: Double, y: Double)]) -> Double {
    var sum = 0.0
    for index in ring.indices {
        let a = ring[index]
        let b = ring[(index + 1) % ring.count]
        sum += a.x * b.y - b.x * a.y
    }
    return abs(sum) / 2
}

/// Whether a point lies inside the rings under the even–odd rule.
private func inside(_ x: Double, _ y: Double, rings: [[(x: Double, y: Double)]]) -> Bool {
    var crossings = 0
    for ring in rings {
        for index in ring.indices {
            let a = ring[index]
            let b = ring[(index + 1) % ring.count]
            if (a.y > y) != (b.y > y) {
                let xCross = a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x)
                if x < xCross { crossings += 1 }
            }
        }
    }
    return crossings % 2 == 1
}

@Suite struct DensityTests {
    @Test func histogramCountsAndDensityIntegrateToOne() throws {
        let values = [0.05, 0.15, 0.15, 0.95, 1.0, -0.1, .nan, 1.2]
        let histogram = try Histogram(values: values, range: 0...1, bins: 10)
        #expect(histogram.counts[0] == 1 && histogram.counts[1] == 2 && histogram.counts[9] == 2)
        #expect(histogram.total == 5)
        let integral = histogram.density.reduce(0, +) * histogram.binWidth
        #expect(abs(integral - 1) < 1e-12)
        #expect(throws: PlottingError.self) { try Histogram(values: values, range: 1...1, bins: 10) }
    }

    @Test func smoothingKeepsMassAwayFromEdges() throws {
        var histogram = try Histogram2D(xs: [0.5], ys: [0.5], xRange: 0...1, yRange: 0...1, bins: 21)
        histogram = histogram.smoothed(sigma: 1.5)
        #expect(abs(histogram.counts.reduce(0, +) - 1) < 1e-9)
        // The smoothed peak is symmetric about the centre bin.
        let centre = 10 * 21 + 10
        #expect(abs(histogram.counts[centre - 1] - histogram.counts[centre + 1]) < 1e-12)
        #expect(abs(histogram.counts[centre - 21] - histogram.counts[centre + 1]) < 1e-12)
        #expect(histogram.counts.max() == histogram.counts[centre])
    }

    /// The 68 % and 95 % highest-density regions of a standard 2-D Gaussian are discs of radius
    /// √(−2 ln(1 − m)); the traced contours must enclose that area and that share of samples.
    @Test(arguments: [0.68, 0.95])
    func credibleContourOfAGaussianHoldsItsMass(mass: Double) throws {
        var random = TestRandom(seed: 11)
        let count = 200_000
        var xs = [Double]()
        var ys = [Double]()
        for _ in 0..<count {
            xs.append(random.normal())
            ys.append(random.normal())
        }
        let bins = 60
        let range = -4.5...4.5
        let histogram = try Histogram2D(xs: xs, ys: ys, xRange: range, yRange: range, bins: bins).smoothed(sigma: 1)
        let threshold = histogram.thresholds(enclosing: [mass])[0]
        // The bins at or above the threshold hold the requested mass.
        #expect(abs(histogram.mass(atOrAbove: threshold) - mass) < 0.01)

        let rings = ContourTracer.rings(values: histogram.counts, columns: bins, rows: bins, level: threshold)
        #expect(rings.count == 1)
        let binWidth = (range.upperBound - range.lowerBound) / Double(bins)
        let traced = rings.map(area).reduce(0, +) * binWidth * binWidth
        let radiusSquared = -2 * log(1 - mass)
        let expected = Double.pi * radiusSquared
        #expect(abs(traced / expected - 1) < 0.05, "area \(traced) vs \(expected)")

        // Fraction of fresh samples inside the traced region (grid coordinates).
        var insideCount = 0
        let trials = 20_000
        for _ in 0..<trials {
            let x = (random.normal() - range.lowerBound) / binWidth - 0.5
            let y = (random.normal() - range.lowerBound) / binWidth - 0.5
            if inside(x, y, rings: rings) { insideCount += 1 }
        }
        let fraction = Double(insideCount) / Double(trials)
        #expect(abs(fraction - mass) < 0.02, "\(fraction) of samples inside the \(mass) region")
    }

    @Test func contourOfAConeIsACircleAndRingsNestForTwoPeaks() {
        let n = 81
        var cone = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n {
                let dx = Double(column - 40)
                let dy = Double(row - 40)
                cone[row * n + column] = max(0, 1 - (dx * dx + dy * dy).squareRoot() / 40)
            }
        }
        let rings = ContourTracer.rings(values: cone, columns: n, rows: n, level: 0.5)
        #expect(rings.count == 1)
        #expect(abs(area(rings[0]) / (Double.pi * 400) - 1) < 0.01)
        for point in rings[0] {
            let r = ((point.x - 40) * (point.x - 40) + (point.y - 40) * (point.y - 40)).squareRoot()
            #expect(abs(r - 20) < 0.3)
        }
        // A ring (annulus) gives two nested rings; even–odd filling makes the hole.
        let annulus = cone.map { $0 > 0 ? 1 - abs($0 - 0.5) * 2 : 0 }
        let annulusRings = ContourTracer.rings(values: annulus, columns: n, rows: n, level: 0.5)
        #expect(annulusRings.count == 2)
        #expect(!inside(40, 40, rings: annulusRings))
        #expect(inside(40, 40 + 20, rings: annulusRings))
    }

    @Test func bucketedQuantilesEqualSortedQuantiles() {
        var random = TestRandom(seed: 17)
        // Heavy tails and ties stress the bucket selection.
        let values = (0..<50_000).map { index -> Double in
            index % 7 == 0 ? 1.5 : random.normal() / max(random.uniform(), 0.01)
        }
        let probabilities = [0, 0.0005, 0.05, 0.3, 0.5, 0.95, 0.9995, 1]
        let sorted = values.sorted()
        let fast = Quantiles.quantiles(of: values, at: probabilities)
        for (p, value) in zip(probabilities, fast) {
            #expect(value == Quantiles.quantile(ofSorted: sorted, p))
        }
        #expect(Quantiles.quantiles(of: [Double](repeating: 2, count: 10_000), at: [0.1, 0.9]) == [2, 2])
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() {
        let sorted = [1.0, 2, 3, 4, 5]
        #expect(Quantiles.quantile(ofSorted: sorted, 0.5) == 3)
        #expect(Quantiles.quantile(ofSorted: sorted, 0.125) == 1.5)
        var random = TestRandom(seed: 3)
        let normals = (0..<100_000).map { _ in random.normal() }
        let summary = Quantiles.medianAndInterval(of: normals, level: 0.9)
        #expect(abs(summary.median) < 0.02)
        #expect(abs(summary.upper - 1.6449) < 0.03 && abs(summary.lower + 1.6449) < 0.03)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
