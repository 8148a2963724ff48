import Foundation
import Testing

@testable import Plotting

/// Data plots built from predicted series (posterior-predictive whitened strain per detector).
@Suite struct PredictiveDataPlotTests {
    static let times = (0..<120).map { Double($0) / 100 }
    static func signal(_ phase: Double) -> [Double] { times.map { sin(8 * $0 + phase) } }

    /// Predictions scattered by N(0, σ²) round a signal: the median is the signal and the bands
    /// are ±0.674σ and ±1.645σ.
    @Test func bandsAreTheQuantilesOfThePredictions() throws {
        var random = TestRandom(seed: 31)
        let sigma = 0.3
        let truth = Self.signal(0.4)
        let predictions = (0..<4000).map { _ in truth.map { $0 + sigma * random.normal() } }
        let channel = try DataPlot.Channel("H1", observed: truth, predictions: predictions)
        let median = try #require(channel.median)
        #expect(zip(median, truth).allSatisfy { abs($0 - $1) < 0.03 })
        #expect(channel.bands.map(\.level) == [0.5, 0.9])
        for (band, z) in zip(channel.bands, [0.6745, 1.6449]) {
            let halfWidths = zip(band.upper, band.lower).map { ($0 - $1) / 2 }
            let mean = halfWidths.reduce(0, +) / Double(halfWidths.count)
            #expect(abs(mean - z * sigma) < 0.02, "\(band.level)")
        }
    }

    @Test func detectorsShareTheTimeAxisAndShowTheInjection() throws {
        var random = TestRandom(seed: 2)
        let names = ["H1", "L1", "V1"]
        let injected = names.indices.map { Self.signal(Double($0)) }
        let data = injected.map { $0.map { $0 + 0.5 * random.normal() } }
        let predictions = injected.map { series in (0..<200).map { _ in series.map { $0 + 0.2 * random.normal() } } }
        let plot = try DataPlot(
            x: Self.times, observed: data, predictions: predictions, channelNames: names, injected: injected,
            xLabel: "time [s]", title: "Whitened strain")
        #expect(plot.channels.map(\.name) == names)
        #expect(plot.channels.allSatisfy { $0.reference != nil && $0.bands.count == 2 })
        let svg = plot.svg
        #expect(svg.contains(">injected signal<") && svg.contains(">90% predictive<") && svg.contains(">predictive median<"))
        #expect(svg.components(separatedBy: ">injected signal<").count == 2)  // one legend entry for all panels
        #expect(svg.contains("stroke-dasharray=\"5,3\""))
        #expect(try svgProblems(svg).isEmpty)
        #expect(plot.textDescription.contains("V1:"))
    }

    @Test func mismatchedShapesAreRefusedByName() {
        let message: (() throws -> DataPlot) -> String = plottingErrorMessage
        let t = [0.0, 1, 2]
        let ok = [[1.0, 2, 3]]
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[[1, 2]]], channelNames: ["H1"]) }
            .contains("predicted series 0 of channel 'H1' has 2 points"))
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[]], channelNames: ["H1"]) }.contains("no predicted series"))
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[[1, 2, 3]]], channelNames: ["H1", "L1"]) }
            .contains("one each per channel"))
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[[1, 2, 3]]], channelNames: ["H1"], injected: []) }
            .contains("injected"))
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[[1, 2, 3]]], channelNames: ["H1"], injected: [[1]]) }
            .contains("reference of channel 'H1'"))
        #expect(message { try DataPlot(x: t, observed: ok, predictions: [[[1, 2, 3]]], channelNames: ["H1"], levels: [1.5]) }
            .contains("band levels"))
        #expect(message { try DataPlot(x: [0, .nan, 2], observed: ok, predictions: [[[1, 2, 3]]], channelNames: ["H1"]) }
            .contains("x[1]"))
    }

    @Test func pointsWithoutFinitePredictionsAreGaps() throws {
        let predictions: [[Double]] = [[1, .nan, 3, .infinity], [2, .nan, 4, 1]]
        let channel = try DataPlot.Channel("H1", observed: [1, 2, 3, 4], predictions: predictions)
        #expect(channel.median?[1].isNaN == true && channel.median?[0] == 1.5)
        let svg = try DataPlot(channels: [channel]).svg
        #expect(try svgProblems(svg).isEmpty)
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
    }
}
