import Foundation
import Testing

@testable import Plotting

@Suite struct ImportanceWeightPlotTests {
    @Test func equalWeightsHaveFullEfficiency() throws {
        let plot = try ImportanceWeightPlot(logWeights: Array(repeating: -3.2, count: 1000))
        #expect(abs(plot.effectiveSampleSizes[0] - 1000) < 1e-9)
        #expect(abs(plot.sampleEfficiencies[0] - 1) < 1e-12)
        #expect(abs(plot.shareOfWeight(inLargest: 0.01) - 0.01) < 1e-12)
        #expect(plot.textDescription.contains("ESS 1000 of 1000 (100%)"))
    }

    /// Weights wᵢ ∝ i: ESS = (Σi)²/Σi² = 3n(n+1)/(2(2n+1)); shifting every log weight changes
    /// nothing, even by more than exp can represent.
    @Test(arguments: [0.0, 800.0, -900.0])
    func effectiveSampleSizeMatchesItsFormula(shift: Double) throws {
        let n = 2000
        let logWeights = (1...n).map { log(Double($0)) + shift }
        let plot = try ImportanceWeightPlot(logWeights: logWeights)
        let expected = 3 * Double(n) * Double(n + 1) / (2 * Double(2 * n + 1))
        #expect(abs(plot.effectiveSampleSizes[0] / expected - 1) < 1e-12)
        #expect(abs(plot.sampleEfficiencies[0] - expected / Double(n)) < 1e-12)
        // The largest half carry Σ_{i>n/2} i / Σ i = 3/4 − 1/(4(n+1)).
        #expect(abs(plot.shareOfWeight(inLargest: 0.5) - (0.75 - 0.25 / Double(n + 1))) < 1e-9)
    }

    @Test func aCollapsedProposalIsCaught() throws {
        var logWeights = Array(repeating: -60.0, count: 5000)
        logWeights[17] = 0
        logWeights[300] = -0.5
        logWeights[4000] = -.infinity
        let plot = try ImportanceWeightPlot(sets: [.init("collapsed", logWeights: logWeights)], title: "IS")
        // Two weights, 1 and e^{−0.5}, carry it all: ESS = (1 + e^{−0.5})² / (1 + e^{−1}).
        #expect(abs(plot.effectiveSampleSizes[0] - pow(1 + exp(-0.5), 2) / (1 + exp(-1))) < 1e-6)
        #expect(plot.sampleEfficiencies[0] < 5e-4)
        #expect(plot.zeroWeightCounts == [1])
        #expect(plot.shareOfWeight(inLargest: 0.001) > 0.999)
        #expect(plot.textDescription.contains("1 zero weights"))
        let svg = plot.svg
        #expect(try svgProblems(svg).isEmpty)
        #expect(svg.contains("collapsed: ESS"))
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
    }

    @Test func twoSetsAreComparedInOnePlot() throws {
        var random = TestRandom(seed: 12)
        let good = (0..<4000).map { _ in 0.3 * random.normal() }
        let poor = (0..<4000).map { _ in 2.5 * random.normal() }
        let plot = try ImportanceWeightPlot(sets: [.init("NPE", logWeights: poor), .init("GNPE", logWeights: good)])
        // log-normal weights: efficiency e^{−σ²} in expectation.
        #expect(abs(plot.sampleEfficiencies[1] - exp(-0.09)) < 0.03)
        #expect(plot.sampleEfficiencies[0] < 0.05)
        let svg = plot.svg
        #expect(svg.contains(">NPE: ESS") && svg.contains(">GNPE: ESS") && svg.contains("equal weights"))
        #expect(try svgProblems(svg).isEmpty)
    }

    @Test func badWeightsAreRefusedByIndex() {
        let message: (() throws -> ImportanceWeightPlot) -> String = plottingErrorMessage
        #expect(message { try ImportanceWeightPlot(sets: []) }.contains("at least one set"))
        #expect(message { try ImportanceWeightPlot(logWeights: []) }.contains("no weights"))
        #expect(message { try ImportanceWeightPlot(logWeights: [0, .nan]) }.contains("log weight 1"))
        #expect(message { try ImportanceWeightPlot(logWeights: [.infinity]) }.contains("log weight 0"))
        #expect(message { try ImportanceWeightPlot(logWeights: [-.infinity, -.infinity]) }.contains("every weight"))
        #expect(!message { try ImportanceWeightPlot(sets: [.init("w", logWeights: [0])], bins: 0) }.isEmpty)
        #expect(!message { try ImportanceWeightPlot(sets: [.init("w", logWeights: [0])], size: Size(width: .nan, height: 1)) }.isEmpty)
    }

    @Test func aSingleWeightDrawsFiniteSVG() throws {
        let svg = try ImportanceWeightPlot(logWeights: [4]).svg
        #expect(try svgProblems(svg).isEmpty)
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
    }
}
