import Foundation
import Testing

@testable import Plotting

/// Golden-file tests: fixed inputs must render to the committed SVG byte for byte.
///
/// To regenerate the goldens after an intended change to the drawing code, run
/// `GNPE_UPDATE_GOLDENS=1 swift test --filter PlottingTests`, look at the new files in
/// `Tests/PlottingTests/Golden/` (e.g. `rsvg-convert file.svg -o file.png`) and commit them.
@Suite struct GoldenTests {
    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static func fixtures() throws -> [(String, any Plot)] {
        let corner = try CornerPlot(
            sets: [
                .init("GNPE", samples: gaussianSamples(count: 3000, dimension: 3, seed: 1)),
                .init("NPE", samples: gaussianSamples(count: 3000, dimension: 3, shift: 0.4, seed: 2)),
            ],
            parameters: [
                .init("a", unit: "m", truth: 0), .init("b", truth: 0.2), .init("c", unit: "s", range: -4...4),
            ],
            title: "Two sets", bins: 24)
        let cornerDark = try CornerPlot(
            samples: gaussianSamples(count: 2000, dimension: 2, seed: 5), labels: ["x", "y"], truths: [0.1, -0.2],
            title: "Dark single set", theme: .dark)
        let times = (0..<200).map { Double($0) / 100 }
        func wave(_ phase: Double) -> [Double] { times.map { sin(6 * $0 + phase) } }
        var random = TestRandom(seed: 9)
        let data = try DataPlot(
            channels: ["H1", "L1"].enumerated().map { index, name in
                let median = wave(Double(index))
                return DataPlot.Channel(
                    name, observed: median.map { $0 + 0.3 * random.normal() }, median: median,
                    bands: [
                        .init(level: 0.5, lower: median.map { $0 - 0.2 }, upper: median.map { $0 + 0.2 }),
                        .init(level: 0.9, lower: median.map { $0 - 0.5 }, upper: median.map { $0 + 0.5 }),
                    ])
            }, x: times, xLabel: "time [s]", title: "Posterior predictive")
        let epochs = (1...30).map(Double.init)
        let trainingLoss: [Double] = epochs.map { 5 * exp(-$0 / 8) - 2 }
        let validationLoss: [Double] = epochs.map { epoch -> Double in
            let drift = 0.002 * (epoch - 18) * (epoch - 18)
            return 5 * exp(-epoch / 8) - 1.8 + drift
        }
        let training = try TrainingCurvePlot(
            trainingLoss: trainingLoss, validationLoss: validationLoss,
            title: "NPE training")
        var uniform = TestRandom(seed: 4)
        let coverage = try CoveragePlot(
            quantiles: (0..<300).map { _ in [uniform.uniform(), pow(uniform.uniform(), 1.3)] },
            parameterNames: ["a", "b"], title: "Coverage")
        let drift = try DriftPlot(
            series: [
                .init("t_H1", values: (1...12).map { 0.3 * pow(0.5, Double($0)) }),
                .init("t_L1", values: (1...12).map { 0.2 * pow(0.6, Double($0)) }),
            ],
            tolerance: 1e-3, title: "Gibbs drift")
        var progress = TrainingProgress(title: "NPE", totalEpochs: 40)
        progress.epoch = 12
        progress.trainingLoss = (1...12).map { 3 / Double($0) }
        progress.validationLoss = (1...12).map { 3.2 / Double($0) }
        progress.elapsedSeconds = 30
        let npe = fisherSkySamples(count: 4000, alpha: 1.95, delta: -1.0, kappa: 25, seed: 6)
        let gnpe = fisherSkySamples(count: 4000, alpha: 1.95, delta: -1.0, kappa: 90, seed: 7)
        let sky = try SkyMap(
            sets: [.init("NPE", rightAscension: npe.ra, declination: npe.dec),
                   .init("GNPE", rightAscension: gnpe.ra, declination: gnpe.dec)],
            truth: .init(rightAscension: 1.95, declination: -1.0), title: "Sky position")
        let seam = fisherSkySamples(count: 3000, alpha: 0.1, delta: 0.4, kappa: 40, seed: 9)
        let skyDark = try SkyMap(rightAscension: seam.ra, declination: seam.dec, title: "Across the seam", theme: .dark)
        var weightRandom = TestRandom(seed: 10)
        let weights = try ImportanceWeightPlot(
            sets: [.init("NPE", logWeights: (0..<3000).map { _ in 2 * weightRandom.normal() }),
                   .init("GNPE", logWeights: (0..<3000).map { _ in 0.5 * weightRandom.normal() })],
            title: "Importance weights")
        let phases = PeriodicCornerTests.phaseSamples(centre: 0.2, count: 3000, seed: 11)
        let cornerPeriodic = try CornerPlot(
            sets: [.init("samples", samples: phases)],
            parameters: [.init("φ", truth: 0.2, period: 2 * Double.pi), .init("x", truth: 3)], title: "Periodic phase",
            bins: 30)
        var predictiveRandom = TestRandom(seed: 12)
        let injected = (0..<2).map { k in times.map { sin(6 * $0 + Double(k)) } }
        let predictive = try DataPlot(
            x: times, observed: injected.map { $0.map { $0 + 0.3 * predictiveRandom.normal() } },
            predictions: injected.map { series in (0..<100).map { _ in series.map { $0 + 0.15 * predictiveRandom.normal() } } },
            channelNames: ["H1", "L1"], injected: injected, xLabel: "time [s]", title: "Whitened strain")
        return [
            ("corner-two-sets", corner), ("corner-dark", cornerDark), ("data", data), ("training", training),
            ("coverage", coverage), ("drift", drift), ("progress", progress), ("sky-two-sets", sky),
            ("sky-dark", skyDark), ("weights", weights), ("corner-periodic", cornerPeriodic),
            ("data-predictive", predictive),
        ]
    }

    @Test func plotsMatchTheirGoldenFiles() throws {
        let update = ProcessInfo.processInfo.environment["GNPE_UPDATE_GOLDENS"] == "1"
        for (name, plot) in try Self.fixtures() {
            let svg = plot.svg
            #expect(svg == plot.svg, "\(name) is not deterministic")
            if update {
                try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
                try Data(svg.utf8).write(to: Self.goldenDirectory.appendingPathComponent("\(name).svg"))
                continue
            }
            guard let url = Bundle.module.url(forResource: name, withExtension: "svg", subdirectory: "Golden"),
                let golden = try? String(contentsOf: url, encoding: .utf8)
            else {
                Issue.record("no golden file for \(name); run with GNPE_UPDATE_GOLDENS=1 to create it")
                continue
            }
            if golden != svg {
                let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
                let lines = svg.split(separator: "\n", omittingEmptySubsequences: false)
                let first =
                    (0..<min(goldenLines.count, lines.count)).first { goldenLines[$0] != lines[$0] }
                    ?? min(goldenLines.count, lines.count)
                Issue.record(
                    "\(name).svg differs from its golden file at line \(first + 1) (set GNPE_UPDATE_GOLDENS=1 to regenerate after an intended change)"
                )
            }
        }
    }

    @Test func everyPlotIsValidSelfContainedSVG() throws {
        for (name, plot) in try Self.fixtures() {
            let problems = try svgProblems(plot.svg)
            #expect(problems.isEmpty, "\(name): \(problems)")
            #expect(!plot.textDescription.isEmpty)
        }
        let light = try Self.fixtures().map { $0.1.svg }
        // Different plots use different id prefixes, so that a page can hold them all.
        let prefixes = light.compactMap { svg -> String? in
            guard let range = svg.range(of: " id=\"") else { return nil }
            return String(svg[range.upperBound...].prefix(9))
        }
        #expect(Set(prefixes).count == prefixes.count)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
