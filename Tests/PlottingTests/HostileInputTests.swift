import Foundation
import Testing

@testable import Plotting

/// Hostile inputs (empty, single, identical, NaN, ±∞, mismatched names, absurd sizes): every plot
/// either throws a ``PlottingError`` or draws valid SVG without a non-finite coordinate — never a
/// trap, which would end a notebook's worker.
@Suite struct HostileInputTests {
    /// One hostile construction: a name and a closure that builds the plot (or throws).
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let build: @Sendable () throws -> any Plot
        var testDescription: String { name }
        init(_ name: String, _ build: @escaping @Sendable () throws -> any Plot) {
            self.name = name
            self.build = build
        }
    }

    static let allNaN: [[Double]] = Array(repeating: [.nan, .nan], count: 50)
    static let infinite: [[Double]] = (0..<50).map { i in [i % 2 == 0 ? .infinity : -.infinity, Double(i)] }

    static let cases: [Case] = [
        Case("corner: no samples") { try CornerPlot(samples: [], labels: ["a"]) },
        Case("corner: no labels") { try CornerPlot(samples: [[1]], labels: []) },
        Case("corner: a single sample") { try CornerPlot(samples: [[1, 2]], labels: ["a", "b"]) },
        Case("corner: identical samples") { try CornerPlot(samples: Array(repeating: [3, 3], count: 200), labels: ["a", "b"]) },
        Case("corner: all NaN") { try CornerPlot(samples: allNaN, labels: ["a", "b"]) },
        Case("corner: ±∞ in one column") { try CornerPlot(samples: infinite, labels: ["a", "b"]) },
        Case("corner: all ±∞") { try CornerPlot(samples: Array(repeating: [.infinity, -.infinity], count: 20), labels: ["a", "b"]) },
        Case("corner: more labels than columns") { try CornerPlot(samples: [[1, 2], [2, 3]], labels: ["a", "b", "c"]) },
        Case("corner: fewer labels than columns") { try CornerPlot(samples: [[1, 2], [2, 3]], labels: ["a"]) },
        Case("corner: NaN truth") { try CornerPlot(samples: [[1, 2], [2, 3]], labels: ["a", "b"], truths: [.nan, .infinity]) },
        Case("corner: huge values") { try CornerPlot(samples: [[1e308, -1e308], [-1e308, 1e308]], labels: ["a", "b"]) },
        Case("corner: NaN range") {
            try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("a", range: -Double.infinity...Double.infinity)])
        },
        Case("corner: NaN level") { try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("a")], credibleLevels: [.nan]) },
        Case("corner: absurd bins") { try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("a")], bins: Int.max) },
        Case("corner: NaN smoothing") { try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("a")], smoothing: .nan) },
        Case("corner: NaN panel size") { try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("a")], panelSize: .nan) },
        Case("data: empty") { try DataPlot(channels: [.init("x", observed: [])]) },
        Case("data: all NaN") { try DataPlot(channels: [.init("x", observed: [.nan, .nan, .nan])]) },
        Case("data: ±∞") { try DataPlot(channels: [.init("x", observed: [1, .infinity, -.infinity, 2])]) },
        Case("data: identical") { try DataPlot(channels: [.init("x", observed: Array(repeating: 4, count: 10))]) },
        Case("data: a single point") { try DataPlot(channels: [.init("x", observed: [1])]) },
        Case("data: NaN x") { try DataPlot(channels: [.init("x", observed: [1, 2, 3])], x: [0, .nan, 2]) },
        Case("data: decreasing x") { try DataPlot(channels: [.init("x", observed: [1, 2, 3])], x: [3, 2, 1]) },
        Case("data: NaN band") {
            try DataPlot(channels: [.init("x", observed: [1, 2, 3], median: [.nan, 2, .infinity],
                                          bands: [.init(level: .nan, lower: [.nan, 1, 2], upper: [2, .infinity, 4])])])
        },
        Case("data: mismatched median") { try DataPlot(channels: [.init("x", observed: [1, 2, 3], median: [1])]) },
        Case("data: NaN width") { try DataPlot(channels: [.init("x", observed: [1, 2])], width: .nan, channelHeight: .infinity) },
        Case("training curve: empty") { try TrainingCurvePlot(trainingLoss: []) },
        Case("training curve: all NaN") { try TrainingCurvePlot(trainingLoss: [.nan, .nan], validationLoss: [.nan]) },
        Case("training curve: ±∞") { try TrainingCurvePlot(trainingLoss: [1, .infinity, -.infinity, 0.5], validationLoss: [2, -.infinity]) },
        Case("training curve: identical") { try TrainingCurvePlot(trainingLoss: [1, 1, 1], validationLoss: [1, 1, 1]) },
        Case("training curve: longer validation") { try TrainingCurvePlot(trainingLoss: [1], validationLoss: [1, 2]) },
        Case("training curve: NaN size") { try TrainingCurvePlot(trainingLoss: [1, 2], size: Size(width: .nan, height: .infinity)) },
        Case("drift: empty series") { try DriftPlot(series: [.init("t", values: [])]) },
        Case("drift: all NaN") { try DriftPlot(series: [.init("t", values: [.nan, .nan])], tolerance: .nan) },
        Case("drift: ±∞") { try DriftPlot(series: [.init("t", values: [.infinity, 0.1, -.infinity])], tolerance: .infinity) },
        Case("drift: zeros on a log scale") { try DriftPlot(series: [.init("t", values: [0, 0])], scale: .logarithmic) },
        Case("drift: identical") { try DriftPlot(series: [.init("t", values: [0.2, 0.2, 0.2])]) },
        Case("coverage: empty") { try CoveragePlot(quantiles: [], parameterNames: ["a"]) },
        Case("coverage: NaN quantile") { try CoveragePlot(quantiles: [[.nan]], parameterNames: ["a"]) },
        Case("coverage: mismatched names") { try CoveragePlot(quantiles: [[0.1, 0.2]], parameterNames: ["a"]) },
        Case("coverage: identical quantiles") { try CoveragePlot(quantiles: Array(repeating: [0.5], count: 30), parameterNames: ["a"]) },
        Case("coverage: NaN confidence") { try CoveragePlot(quantiles: [[0.5]], parameterNames: ["a"], confidence: .nan) },
        Case("coverage: negative rank") { try CoveragePlot(ranks: [[-1]], rankCount: 10, parameterNames: ["a"]) },
        Case("coverage: rank above the count") { try CoveragePlot(ranks: [[11]], rankCount: 10, parameterNames: ["a"]) },
        Case("coverage: huge rank count") { try CoveragePlot(ranks: [[3]], rankCount: Int.max, parameterNames: ["a"]) },
        Case("sky: empty") { try SkyMap(rightAscension: [], declination: []) },
        Case("sky: all NaN") { try SkyMap(rightAscension: [.nan, .nan], declination: [.nan, 0]) },
        Case("sky: ±∞") { try SkyMap(rightAscension: [.infinity, 1, 2], declination: [0, -.infinity, 0.1]) },
        Case("sky: a single sample") { try SkyMap(rightAscension: [1], declination: [0.2]) },
        Case("sky: identical samples at a pole") { try SkyMap(rightAscension: Array(repeating: 0, count: 500), declination: Array(repeating: Double.pi / 2, count: 500)) },
        Case("sky: the seam exactly") { try SkyMap(rightAscension: [0, 2 * Double.pi, 0, 2 * Double.pi], declination: [0, 0, -Double.pi / 2, 0]) },
        Case("sky: degrees") { try SkyMap(rightAscension: [150], declination: [-40]) },
        Case("sky: NaN truth") { try SkyMap(rightAscension: [1], declination: [0], truth: .init(rightAscension: .nan, declination: 0)) },
        Case("sky: mismatched lengths") { try SkyMap(rightAscension: [1, 2], declination: [0]) },
        Case("sky: NaN level") { try SkyMap(sets: [.init("s", rightAscension: [1], declination: [0])], credibleLevels: [.nan]) },
        Case("sky: no smoothing, coarsest grid") {
            try SkyMap(sets: [.init("s", rightAscension: [1, 1.1, 5], declination: [0, 0.1, -1])], resolution: 8, smoothing: 0)
        },
        Case("weights: empty") { try ImportanceWeightPlot(logWeights: []) },
        Case("weights: NaN") { try ImportanceWeightPlot(logWeights: [0, .nan]) },
        Case("weights: all zero") { try ImportanceWeightPlot(logWeights: [-.infinity]) },
        Case("weights: one positive among zeros") { try ImportanceWeightPlot(logWeights: [-.infinity, 3, -.infinity]) },
        Case("weights: huge spread") { try ImportanceWeightPlot(logWeights: [0, -1e300, 1e300, -700]) },
        Case("weights: identical") { try ImportanceWeightPlot(logWeights: Array(repeating: 1e308, count: 10)) },
        Case("predictive: NaN predictions") {
            try DataPlot(x: [0, 1], observed: [[1, 2]], predictions: [[[.nan, .nan], [.infinity, -.infinity]]], channelNames: ["H1"])
        },
        Case("predictive: no samples") { try DataPlot(x: [0, 1], observed: [[1, 2]], predictions: [[]], channelNames: ["H1"]) },
        Case("corner: periodic with infinite values") {
            try CornerPlot(sets: [.init("s", samples: [[.infinity], [1e308], [-1e308], [3]])], parameters: [.init("φ", period: 2 * Double.pi)])
        },
        Case("corner: tiny period") {
            try CornerPlot(sets: [.init("s", samples: [[1], [2]])], parameters: [.init("φ", period: Double.leastNonzeroMagnitude)])
        },
        Case("coverage: NaN size") {
            try CoveragePlot(quantiles: [[0.5]], parameterNames: ["a"], size: Size(width: .nan, height: -1))
        },
    ]

    @Test(arguments: cases)
    func aHostileInputThrowsOrDrawsFiniteSVG(_ hostile: Case) throws {
        let plot: any Plot
        do {
            plot = try hostile.build()
        } catch let error as PlottingError {
            #expect(!error.description.isEmpty)
            return
        }
        let svg = plot.svg
        let problems = try svgProblems(svg)
        #expect(problems.isEmpty, "\(hostile.name): \(problems)")
        let lower = svg.lowercased()
        #expect(!lower.contains("nan") && !lower.contains("inf"), "\(hostile.name) wrote a non-finite number")
        #expect(!plot.textDescription.isEmpty)
    }

    @Test func aPlotWithoutFiniteSamplesSaysSo() throws {
        let plot = try CornerPlot(samples: Self.allNaN, labels: ["a", "b"])
        #expect(plot.textDescription.contains("no finite"))
    }

    @Test(arguments: [
        ("infinite range", -Double.infinity...Double.infinity, 10),
        ("half-infinite range", 0...Double.infinity, 10),
        ("tiny range", 0...Double.leastNonzeroMagnitude, 10),
        ("huge range", -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, 10),
        ("absurd bins", 0...1, Int.max),
        ("no bins", 0...1, 0),
    ] as [(String, ClosedRange<Double>, Int)])
    func histogramsRefuseRangesTheyCannotBin(name: String, range: ClosedRange<Double>, bins: Int) {
        let values: [Double] = [0, 0.5, 1, .nan, .infinity, -.infinity, 1e300]
        do {
            let histogram = try Histogram(values: values, range: range, bins: bins)
            #expect(histogram.counts.allSatisfy { $0.isFinite }, "\(name)")
            #expect(histogram.total <= Double(values.count), "\(name)")
        } catch {
            #expect(error is PlottingError, "\(name): \(error)")
        }
        do {
            let histogram = try Histogram2D(xs: values, ys: values.reversed(), xRange: range, yRange: 0...1, bins: bins)
            #expect(histogram.counts.allSatisfy { $0.isFinite }, "\(name)")
        } catch {
            #expect(error is PlottingError, "\(name): \(error)")
        }
        // The bin indices are always a bin or −1, never a trap.
        let indices = Histogram.binIndices(of: values, range: range, bins: max(bins, 1))
        #expect(indices.allSatisfy { $0 >= -1 })
    }

    @Test func quantilesIgnoreNaNAndSurviveInfinities() {
        let many = (0..<10_000).map { Double($0) } + [.nan, .infinity, -.infinity]
        let q = Quantiles.quantiles(of: many, at: [0, 0.5, 1, .nan])
        #expect(q[0] == -.infinity && q[2] == .infinity)
        #expect(abs(q[1] - 4999.5) <= 1)
        #expect(q[3].isNaN)
        #expect(Quantiles.quantile(ofSorted: [1, 2, 3], .nan).isNaN)
        #expect(Quantiles.quantiles(of: [.nan, .nan], at: [0.5])[0].isNaN)
        let interval = Quantiles.medianAndInterval(of: [.nan], level: 0.9)
        #expect(interval.median.isNaN)
    }

    @Test func progressCardsSurviveImpossibleCounts() throws {
        var task = TaskProgress(title: "t", total: 10)
        task.total = -5
        task.completed = 3
        var training = TrainingProgress(title: "t", totalEpochs: 10)
        training.totalEpochs = 0
        training.epoch = -1
        for plot in [task as any Plot, training] {
            #expect(try svgProblems(plot.svg).isEmpty)
        }
        #expect(!task.textLine.isEmpty && !training.textLine.isEmpty)
        #expect((0...1).contains(task.fractionDone) && (0...1).contains(training.fractionDone))
    }

    @Test func ticksAndDecimationSurviveNonFiniteValues() {
        for range in [1...Double.infinity, 1e-300...1e300, 0...0] {
            let ticks = Ticks.logarithmic(in: range)
            #expect(ticks.values.allSatisfy { $0.isFinite })
        }
        var xs = (0..<10_000).map(Double.init)
        xs[500] = .nan
        xs[600] = -.infinity
        let ys = xs.map { $0.isFinite ? sin($0 / 100) : 0 }
        let (outX, outY) = decimated(xs: xs, ys: ys, buckets: 100)
        #expect(outX.count == outY.count && outX.count < xs.count)
    }
}
