import Foundation
import Testing

@testable import Plotting

/// Corner plots of periodic parameters (phases, angles): wrapped histograms, densities and
/// summaries.
@Suite struct PeriodicCornerTests {
    /// A phase concentrated round 0 on [0, 2π) (half its samples just below 2π) and a second,
    /// ordinary parameter: `[count, 2]`.
    static func phaseSamples(centre: Double, count: Int = 20_000, seed: UInt64 = 5) -> [[Double]] {
        var random = TestRandom(seed: seed)
        return (0..<count).map { _ in
            let z = random.normal()
            var phase = centre + 0.4 * z
            phase -= 2 * Double.pi * (phase / (2 * Double.pi)).rounded(.down)
            return [phase, 3 + z + 0.5 * random.normal()]
        }
    }

    @Test func summariesOfAPhaseAcrossTheBoundaryAreThoseOfOnePeak() throws {
        let period = 2 * Double.pi
        let across = try CornerPlot(
            sets: [.init("s", samples: Self.phaseSamples(centre: 0))],
            parameters: [.init("φ", period: period), .init("x")])
        let inside = try CornerPlot(
            sets: [.init("s", samples: Self.phaseSamples(centre: Double.pi))],
            parameters: [.init("φ", period: period), .init("x")])
        #expect(across.ranges[0] == 0...period)
        let a = across.summaries[0][0]
        let b = inside.summaries[0][0]
        // The median is at 0 ≡ 2π, the 90 % interval ±1.645 × 0.4 round it, like the unwrapped one.
        #expect(min(a.median, period - a.median) < 0.02)
        #expect(abs((a.upper - a.lower) - 2 * 1.6449 * 0.4) < 0.04)
        #expect(abs((a.upper - a.lower) - (b.upper - b.lower)) < 0.04)
        #expect(abs(b.median - Double.pi) < 0.02)
        // Without the period the same samples look bimodal with a median near π.
        let naive = try CornerPlot(
            sets: [.init("s", samples: Self.phaseSamples(centre: 0))], parameters: [.init("φ", range: 0...period), .init("x")])
        #expect(abs(naive.summaries[0][0].median - Double.pi) > 1 && naive.summaries[0][0].upper - naive.summaries[0][0].lower > 5)
        #expect(across.textDescription.contains("φ (periodic):"))
    }

    @Test func samplesAPeriodOutsideAreWrappedNotDropped() throws {
        let samples: [[Double]] = [[-0.5], [7.0], [1.0], [-7.0]]
        let plot = try CornerPlot(sets: [.init("s", samples: samples)], parameters: [.init("φ", period: 2 * Double.pi)])
        #expect(plot.binIndices[0][0].allSatisfy { $0 >= 0 })
        let dropped = try CornerPlot(sets: [.init("s", samples: samples)], parameters: [.init("φ", range: 0...(2 * Double.pi))])
        #expect(dropped.binIndices[0][0].filter { $0 < 0 }.count == 3)
        #expect(CornerPlot.wrapped(-0.5, low: 0, period: 2 * Double.pi) == 2 * Double.pi - 0.5)
        #expect(CornerPlot.wrapped(Double.pi, low: -Double.pi, period: 2 * Double.pi) == -Double.pi)
    }

    @Test func periodicSmoothingKeepsTheMassAndWraps() throws {
        // All the mass in the first column: ordinary smoothing loses what falls off the edge.
        let xs = Array(repeating: 0.01, count: 100)
        let ys = Array(repeating: 0.5, count: 100)
        let histogram = try Histogram2D(xs: xs, ys: ys, xRange: 0...1, yRange: 0...1, bins: 20)
        let ordinary = histogram.smoothed(sigma: 2)
        let periodic = histogram.smoothed(sigma: 2, periodicX: true)
        #expect(ordinary.counts.reduce(0, +) < 70)
        #expect(abs(periodic.counts.reduce(0, +) - 100) < 1e-9)
        let row = 10
        // Column 19 (the far end) gets what column 1 gets: one bin away on the circle.
        #expect(abs(periodic.counts[row * 20 + 19] - periodic.counts[row * 20 + 1]) < 1e-9)
        #expect(ordinary.counts[row * 20 + 19] == 0)
        // A contour across the boundary reaches past both ends of the panel (cut by its clip).
        let level = periodic.thresholds(enclosing: [0.9])[0]
        let rings = CornerPlot.rings(of: periodic, level: level, periodicX: true, periodicY: false)
        // (Without the wrap, marching squares closes the ring against the zeros one bin outside.)
        let xsOnRings = rings.flatMap { $0.map(\.x) }
        #expect(xsOnRings.contains { $0 < -1 } && xsOnRings.contains { $0 > 20 })
        let unwrapped = ContourTracer.rings(values: periodic.counts, columns: 20, rows: 20, level: level)
        #expect(unwrapped.flatMap { $0.map(\.x) }.allSatisfy { $0 >= -1 && $0 <= 20 })
    }

    @Test func badPeriodsAreRefused() {
        #expect(throws: PlottingError.self) {
            try CornerPlot(sets: [.init("s", samples: [[1]])], parameters: [.init("φ", period: .nan)])
        }
        #expect(throws: PlottingError.self) {
            try CornerPlot(sets: [.init("s", samples: [[1]])], parameters: [.init("φ", period: -1)])
        }
        #expect(throws: PlottingError.self) {
            try CornerPlot(sets: [.init("s", samples: [[1]])], parameters: [.init("φ", range: 0...3, period: 2 * Double.pi)])
        }
        #expect(throws: Never.self) {
            try CornerPlot(sets: [.init("s", samples: [[1]])], parameters: [.init("ψ", range: 0...Double.pi, period: Double.pi)])
        }
    }

    @Test func aPeriodicCornerPlotWithNonFiniteSamplesDrawsFiniteSVG() throws {
        let samples: [[Double]] = [[.nan, 1], [.infinity, 2], [1, .nan]]
        let plot = try CornerPlot(
            sets: [.init("s", samples: samples)], parameters: [.init("φ", truth: 9, period: 2 * Double.pi), .init("x")])
        let svg = plot.svg
        #expect(try svgProblems(svg).isEmpty)
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
    }
}
