import Foundation
import Testing

@testable import Plotting

/// Unusual but legal inputs still give valid, self-contained SVG.
@Suite struct EdgeCaseTests {
    static func plots() throws -> [(String, any Plot)] {
        var withNaN = gaussianSamples(count: 400, dimension: 2, seed: 4)
        withNaN[3][0] = .nan
        withNaN[5][1] = .infinity
        var task = TaskProgress(title: "Simulating", total: 5000, unit: "simulations")
        task.completed = 1200
        task.elapsedSeconds = 1.5
        var finished = TrainingProgress(title: "done", totalEpochs: 3, theme: .dark)
        finished.epoch = 3
        finished.trainingLoss = [1, 0.5, 0.25]
        finished.isFinished = true
        var plots: [(String, any Plot)] = []
        plots.append(("one parameter", try CornerPlot(samples: gaussianSamples(count: 300, dimension: 1, seed: 1), labels: ["x"])))
        plots.append(("one sample", try CornerPlot(samples: [[1, 2, 3]], labels: ["a", "b", "c"], truths: [1, 2, 3])))
        plots.append(("constant column", try CornerPlot(samples: (0..<100).map { index -> [Double] in [Double(index), 5] }, labels: ["a", "b"])))
        plots.append(("non-finite values", try CornerPlot(samples: withNaN, labels: ["a", "b"])))
        let extremes: [[Double]] = (0..<500).map { index -> [Double] in
            let big: Double = 1e7 + Double(index) * 1e3
            let tiny: Double = 1e-6 * Double(index % 37)
            return [big, tiny]
        }
        plots.append(("huge and tiny values", try CornerPlot(samples: extremes, labels: ["big", "tiny"])))
        plots.append(("data without median", try DataPlot(channels: [.init("x", observed: [1, 3, 2, .nan, 4])])))
        plots.append(("long series", try DataPlot(channels: [.init("x", observed: (0..<50_000).map { sin(Double($0) / 300) })])))
        plots.append(("single epoch", try TrainingCurvePlot(trainingLoss: [2.5])))
        plots.append(("single iteration", try DriftPlot(series: [.init("t", values: [0.1])], tolerance: 0.01)))
        plots.append(("one simulation", try CoveragePlot(quantiles: [[0.3]], parameterNames: ["a"])))
        plots.append(("ranks", try CoveragePlot(ranks: (0..<50).map { index -> [Int] in [index % 11, (index * 7) % 11] }, rankCount: 10, parameterNames: ["a", "b"])))
        plots.append(("task progress", task))
        plots.append(("finished training", finished))
        plots.append(("progress before first epoch", TrainingProgress(title: "waiting", totalEpochs: 10)))
        return plots
    }

    @Test func unusualInputsGiveValidSVG() throws {
        for (name, plot) in try Self.plots() {
            let svg = plot.svg
            // GNPE_DUMP_SVG_DIR=/tmp/plots writes each SVG there for a look.
            if let directory = ProcessInfo.processInfo.environment["GNPE_DUMP_SVG_DIR"] {
                let file = name.replacingOccurrences(of: " ", with: "-") + ".svg"
                try Data(svg.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(file))
            }
            let problems = try svgProblems(svg)
            #expect(problems.isEmpty, "\(name): \(problems)")
            #expect(!svg.contains("nan") && !svg.contains("inf"), "\(name) wrote a non-finite number")
            #expect(!plot.textDescription.isEmpty)
        }
    }

    @Test func longSeriesAreDecimatedToTheirPixelWidth() throws {
        let plot = try DataPlot(channels: [.init("x", observed: (0..<50_000).map { sin(Double($0) / 300) })])
        #expect(plot.svg.utf8.count < 60_000)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
