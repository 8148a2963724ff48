import Foundation
import Testing

@testable import Plotting

@Suite struct PlotTests {
    /// The median line's legend entry says what the line is.
    @Test func dataPlotLabelsItsMedianLine() throws {
        let channel = DataPlot.Channel("H1", observed: [0, 1, 0, -1], median: [0, 0.8, 0, -0.8])
        let predictive = try DataPlot(channels: [channel]).svg
        #expect(predictive.contains(">predictive median<"))
        let signal = try DataPlot(channels: [channel], medianLabel: "whitened signal").svg
        #expect(signal.contains(">whitened signal<") && !signal.contains(">predictive median<"))
    }

    @Test func cornerPlotRejectsBadInput() {
        #expect(throws: PlottingError.self) {
            try CornerPlot(sets: [.init("a", samples: [[1, 2], [3]])], parameters: [.init("x"), .init("y")])
        }
        #expect(throws: PlottingError.self) { try CornerPlot(sets: [], parameters: [.init("x")]) }
        #expect(throws: PlottingError.self) {
            try CornerPlot(sets: [.init("a", samples: [[1]])], parameters: [.init("x")], credibleLevels: [1.2])
        }
        #expect(throws: PlottingError.self) { try CornerPlot(samples: [[1, 2]], labels: ["x", "y"], truths: [1]) }
        do {
            _ = try CornerPlot(sets: [.init("GNPE", samples: [[1, 2], [3]])], parameters: [.init("x"), .init("y")])
        } catch {
            #expect("\(error)".contains("sample 1 of set 'GNPE' has 1 values, expected 2"))
        }
    }

    @Test func cornerPlotSummariesMatchTheSamples() throws {
        let samples = gaussianSamples(count: 20_000, dimension: 2, shift: 3, seed: 21)
        let plot = try CornerPlot(samples: samples, labels: ["x", "y"])
        for p in 0..<2 {
            let summary = plot.summaries[0][p]
            #expect(abs(summary.median - 3) < 0.05)
            #expect(abs((summary.upper - summary.lower) - 2 * 1.6449) < 0.08)
            // The data range covers nearly all samples.
            let covered = samples.filter { plot.ranges[p].contains($0[p]) }.count
            #expect(Double(covered) / Double(samples.count) > 0.998)
        }
        #expect(plot.textDescription.contains("90% credible intervals"))
        #expect(plot.textDescription.contains("x:"))
    }

    @Test func cornerPlotSizeDoesNotGrowWithSampleCount() throws {
        let small = try CornerPlot(
            samples: gaussianSamples(count: 2_000, dimension: 3, seed: 1), labels: ["a", "b", "c"]
        ).svg
        let large = try CornerPlot(
            samples: gaussianSamples(count: 40_000, dimension: 3, seed: 1), labels: ["a", "b", "c"]
        ).svg
        #expect(Double(large.utf8.count) < 1.5 * Double(small.utf8.count))
        #expect(!large.contains("<circle"))  // binned, never one element per sample
    }

    @Test func coverageBandMatchesBinomialQuantiles() {
        // Bin(100, 0.5): 2.5 % quantile 40, 97.5 % quantile 60. Bin(50, 0.1): 1 and 9.
        let band = CoveragePlot.confidenceBand(at: [0.5, 0.1, 0, 1], simulations: 100, confidence: 0.95)
        #expect(band.lower[0] == 0.40 && band.upper[0] == 0.60)
        #expect(band.lower[2] == 0 && band.upper[3] == 1)
        let small = CoveragePlot.confidenceBand(at: [0.1], simulations: 50, confidence: 0.95)
        #expect(small.lower[0] == 1.0 / 50 && small.upper[0] == 9.0 / 50)
        // Calibrated quantiles stay inside the band at nearly every level.
        var random = TestRandom(seed: 8)
        let quantiles = (0..<500).map { _ in [random.uniform()] }
        let plot = try? CoveragePlot(quantiles: quantiles, parameterNames: ["a"])
        let levels = (1..<20).map { Double($0) / 20 }
        let coverage = plot!.empiricalCoverage(parameter: 0, at: levels)
        let wide = CoveragePlot.confidenceBand(at: levels, simulations: 500, confidence: 0.99)
        for index in levels.indices {
            #expect(coverage[index] >= wide.lower[index] && coverage[index] <= wide.upper[index])
        }
        #expect(plot!.maximumDeviation(parameter: 0) < 0.08)
        #expect(throws: PlottingError.self) { try CoveragePlot(quantiles: [[1.5]], parameterNames: ["a"]) }
    }

    @Test func trainingCurveMarksTheLowestValidationLoss() throws {
        let plot = try TrainingCurvePlot(
            trainingLoss: [3, 2, 1.5, 1.2, 1.1], validationLoss: [3.1, 2.2, 1.7, 1.75, 1.9])
        #expect(plot.bestEpoch?.epoch == 3)
        #expect(plot.svg.contains("best epoch 3: 1.7"))
        let trainingOnly = try TrainingCurvePlot(trainingLoss: [3, 2, .nan, 1])
        #expect(trainingOnly.bestEpoch?.epoch == 4)
        #expect(throws: PlottingError.self) { try TrainingCurvePlot(trainingLoss: []) }
    }

    @Test func decimationKeepsTheEnvelope() {
        let xs = (0..<100_000).map(Double.init)
        var random = TestRandom(seed: 2)
        let ys = xs.map { _ in random.normal() }
        let reduced = decimated(xs: xs, ys: ys, buckets: 500)
        #expect(reduced.xs.count <= 4 * 501)
        #expect(reduced.ys.max() == ys.max() && reduced.ys.min() == ys.min())
        #expect(zip(reduced.xs, reduced.xs.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func driftPlotChoosesALogScaleForDecadesOfDrift() throws {
        let decaying = try DriftPlot(series: [.init("t", values: (1...10).map { pow(0.3, Double($0)) })])
        #expect(decaying.scale == .logarithmic)
        let flat = try DriftPlot(series: [.init("t", values: [0.2, -0.1, 0.05])])
        #expect(flat.scale == .linear)
    }

    @Test func throttleSendsAtMostFourPerSecondAndAlwaysTheFinalState() {
        var throttle = UpdateThrottle(minimumInterval: 0.25)
        var sent: [Double] = []
        let times = stride(from: 0.0, through: 2.0, by: 0.01).map { $0 }
        for (index, time) in times.enumerated() where throttle.shouldSend(at: time, isFinal: index == times.count - 1) {
            sent.append(time)
        }
        #expect(sent.count <= 9 && sent.count >= 8)
        #expect(sent.last == times.last)
        for (a, b) in zip(sent, sent.dropFirst().dropLast()) { #expect(b - a >= 0.25 - 1e-9) }
    }

    @Test func progressCardShowsEpochLossesAndTimeLeft() {
        var progress = TrainingProgress(title: "NPE", totalEpochs: 10)
        progress.epoch = 4
        progress.trainingLoss = [4, 3, 2.5, 2.25]
        progress.validationLoss = [4.1, 3.2, 2.6, 2.4]
        progress.elapsedSeconds = 20
        #expect(progress.estimatedSecondsRemaining == 30)
        #expect(
            progress.textLine.contains("epoch 4/10") && progress.textLine.contains("val 2.4")
                && progress.textLine.contains("30 s left"))
        #expect(progress.svg.contains("epoch 4 / 10"))
        progress.isFinished = true
        #expect(progress.textLine.contains("done in 20 s"))
    }

    @Test func savesSVGFilesOnly() throws {
        let plot = try TrainingCurvePlot(trainingLoss: [2, 1])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gnpe-plot-\(getpid()).svg").path
        try plot.save(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == plot.svg)
        try? FileManager.default.removeItem(atPath: path)
        #expect(throws: PlottingError.self) { try plot.save(to: "/tmp/plot.png") }
    }

    @Test func escapesTextAndUsesNoExternalFonts() throws {
        let plot = try CornerPlot(
            samples: gaussianSamples(count: 500, dimension: 2, seed: 3), labels: ["a<b & \"c\"", "y"],
            title: "<script>alert(1)</script>")
        let svg = plot.svg
        #expect(!svg.contains("<script"))
        #expect(svg.contains("a&lt;b &amp; &quot;c&quot;"))
        #expect(try svgProblems(svg).isEmpty)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
