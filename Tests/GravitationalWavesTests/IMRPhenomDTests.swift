import Foundation
import Spectral
import Testing

@testable import GravitationalWaves

@Suite struct IMRPhenomDTests {
    /// Every fixture point (60: total mass 5–80 M☉, q up to 8, |χ| ≤ 0.9, six grids, f_ref of 0,
    /// f_min and 50 Hz) against LALSimulation's IMRPhenomD as generated (no time or phase
    /// maximisation): mismatch of h̃₊ and h̃× below 1e-6, |h̃₊|, |h̃×| within 1e-6 relative where
    /// |h̃₊| exceeds 1e-3 of its peak, and zero exactly where LAL's is zero (below f_min, at f_max,
    /// above Mf = 0.2).
    @Test func matchesLALSimulation() throws {
        let comparison = try WaveformFixtureComparison(IMRPhenomD(), approximant: "IMRPhenomD")
        #expect(comparison.points.count >= 50)
        for r in comparison.results {
            let p = comparison.points[r.index]
            let label =
                "point \(r.index) (m1 \(p.mass1), m2 \(p.mass2), χ \(p.chi1), \(p.chi2), grid \(p.fMin)–\(p.fMax)/\(p.deltaF), fRef \(p.fRef))"
            #expect(
                r.plusMismatch < 1e-6 && r.crossMismatch < 1e-6,
                "\(label): mismatch h+ \(r.plusMismatch), hx \(r.crossMismatch)")
            #expect(r.amplitudeError < 1e-6, "\(label): amplitude error \(r.amplitudeError) at bin \(r.worstBin)")
            #expect(r.supportMismatches == 0, "\(label): \(r.supportMismatches) bins zero on one side only")
        }
        print(
            "IMRPhenomD vs LALSimulation: worst mismatch \(comparison.worstMismatch), worst amplitude relative error \(comparison.worstAmplitudeError) over \(comparison.points.count) points"
        )
    }
}
