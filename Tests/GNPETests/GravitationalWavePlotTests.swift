import Foundation
import Testing
import GNPE

/// The gravitational-wave plots reach the notebook (SVG and text) and take the library's results.
@Suite struct GravitationalWavePlotTests {
    @Test func weightPlotOfAnImportanceSamplingRunShowsItsEfficiency() throws {
        var rng = RandomSource(seed: 3)
        let logWeights = (0 ..< 2000).map { _ in 1.5 * rng.nextNormal() }
        let result = try ImportanceSampling(logWeights: logWeights)
        let plot = try result.weightPlot(name: "NPE")
        #expect(abs(plot.sampleEfficiencies[0] - result.sampleEfficiency) < 1e-12)
        #expect(abs(plot.effectiveSampleSizes[0] - result.effectiveSampleSize) < 1e-9)
        let both = try ImportanceWeightPlot(sets: [.init("NPE", result), .init("equal", try ImportanceSampling(logWeights: [0, 0]))])
        #expect(both.sampleEfficiencies[1] == 1)
        let bundle = GNPE.mimeBundle(of: plot)
        #expect(bundle["image/svg+xml"]?.contains("NPE: ESS") == true)
        #expect(bundle["text/plain"] == plot.textDescription)
    }

    @Test func skyMapIsARichDisplay() throws {
        var rng = RandomSource(seed: 4)
        let ra = (0 ..< 3000).map { _ in 2 + 0.1 * rng.nextNormal() }
        let dec = (0 ..< 3000).map { _ in -0.5 + 0.1 * rng.nextNormal() }
        let map = try SkyMap(rightAscension: ra, declination: dec, truth: .init(rightAscension: 2, declination: -0.5))
        let bundle = GNPE.mimeBundle(of: map)
        #expect(bundle["image/svg+xml"]?.hasPrefix("<svg") == true)
        #expect(bundle["text/plain"]?.contains("90% area") == true)
    }
}
