import Foundation
import Testing
import GNPE

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A calibration result shows in a notebook as its P–P plot (SVG) with its summary as text, and
/// its plots draw exactly the result's CDF values.
@Suite struct CalibrationDisplayTests {
    /// 50 cases, two parameters, L = 10: ranks spread evenly for "a", piled at the ends for "b".
    static func result(withDensity: Bool, cases: Int = 50) throws -> CalibrationResult {
        let ranks = (0 ..< cases).map { i in [i % 11, i % 2 == 0 ? 0 : 10] }
        return try CalibrationResult(
            parameterNames: ["a", "b"], periodic: [false, true], posteriorSampleCount: 10, plannedCaseCount: cases,
            caseNumbers: Array(0 ..< cases), truths: SampleMatrix(rows: cases, columns: 2), ranks: ranks,
            highestDensityRanks: withDensity ? (0 ..< cases).map { $0 % 11 } : nil)
    }

    @Test func resultDisplaysAsItsPPPlot() throws {
        var result = try Self.result(withDensity: true)
        result.label = "NPE"
        let bundle = GNPE.mimeBundle(of: result)
        let svg = try #require(bundle["image/svg+xml"])
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("NPE calibration · 50 cases"))
        #expect(bundle["text/plain"] == result.description)
        #expect(result.description.contains("a: KS") && result.description.contains("b: Kuiper"))
        // The plot's curves are the result's coverage curves.
        let plot = try result.plot()
        let levels = [0.0, 0.3, 0.5, 0.99, 1.0]
        for j in 0 ..< 2 {
            #expect(plot.empiricalCoverage(parameter: j, at: levels) == (try result.coverage(parameter: j, at: levels)))
        }
        // "b" sits at the ends: half the cases at CDF 0, half at 1.
        #expect(try result.coverage(parameter: 1, at: [0, 0.5, 0.99]) == [0.5, 0.5, 0.5])
        let hpd = try result.expectedCoveragePlot()
        #expect(hpd.parameterNames == ["highest-density region"])
        #expect(hpd.empiricalCoverage(parameter: 0, at: levels) == (try result.expectedCoverage(at: levels)))
    }

    @Test func resultWithoutDensityOrCasesStillDisplays() throws {
        let samplesOnly = try Self.result(withDensity: false)
        #expect(throws: CalibrationError.self) { try samplesOnly.expectedCoveragePlot() }
        #expect(GNPE.mimeBundle(of: samplesOnly)["image/svg+xml"] != nil)
        let empty = try Self.result(withDensity: false, cases: 0)
        #expect(empty.pValues.isEmpty)
        #expect(throws: PlottingError.self) { try empty.plot() }
        #expect(GNPE.mimeBundle(of: empty) == ["text/plain": empty.description])
    }
}
