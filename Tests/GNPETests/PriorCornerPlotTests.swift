import Foundation
import Testing
import GNPE

/// The binary-black-hole prior cell of notebooks/02-gravitational-waves.ipynb, as a user writes
/// it (the same code, so that the notebook cell is known to compile and run).
@Suite struct PriorCornerPlotTests {
    @Test func binaryBlackHolePriorCellRuns() throws {
        let bbhPrior = try JointPrior {
            Parameter("chirp_mass", UniformInComponentsChirpMass(25, 35))      // M☉; with q: uniform in (m₁, m₂)
            Parameter("mass_ratio", UniformInComponentsMassRatio(0.125, 1))
            Parameter("chi_1", Uniform(-0.9, 0.9))                             // aligned spins
            Parameter("chi_2", Uniform(-0.9, 0.9))
            Parameter("luminosity_distance", PowerLaw(100, 2000, exponent: 2)) // Mpc; uniform in volume
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
            Parameter("inclination", Sine(0, .pi))                             // cos ι uniform
            Parameter("polarization", Uniform(0, .pi), periodic: true)
            Parameter("right_ascension", Uniform(0, 2 * .pi), periodic: true)
            Parameter("declination", Cosine(-.pi / 2, .pi / 2))               // sin δ uniform
            Parameter("geocent_time", Uniform(-0.1, 0.1))                     // s, around the trigger
        }
        print(bbhPrior)
        var priorRNG = RandomSource(seed: 11)
        let priorDraws = bbhPrior.sample(count: 5000, using: &priorRNG)
        let plot = try CornerPlot(
            sets: [.init("prior", samples: priorDraws.rowVectors)],
            parameters: bbhPrior.cornerParameters(labels: ["𝓜", "q", "χ₁", "χ₂", "d_L", "φ", "ι", "ψ", "α", "δ", "t_c"]),
            title: "Binary-black-hole prior")

        #expect(priorDraws.rows == 5000 && priorDraws.columns == 11)
        #expect(plot.parameters.map(\.name) == ["𝓜", "q", "χ₁", "χ₂", "d_L", "φ", "ι", "ψ", "α", "δ", "t_c"])
        // Periodic parameters are drawn over their full period; the others over the samples.
        #expect(plot.ranges[5] == 0 ... 2 * .pi && plot.ranges[7] == 0 ... .pi && plot.ranges[8] == 0 ... 2 * .pi)
        #expect(plot.parameters[0].range == nil && plot.parameters[6].range == nil)
        // …and carry the prior's period, so their histograms and densities wrap.
        #expect(plot.parameters[5].period == 2 * .pi && plot.parameters[7].period == .pi)
        #expect(plot.parameters.filter(\.isPeriodic).count == 3 && plot.parameters[9].period == nil)
        #expect(plot.textDescription.contains("α (periodic):"))
        #expect(plot.svg.contains("<svg") && plot.svg.contains("ψ"))
        // The distance prior puts most samples far out: P(d_L > 1000 Mpc) = 1 − (1e9 − 1e6)/(8e9 − 1e6).
        let far = Double(priorDraws.column(4).filter { $0 > 1000 }.count) / 5000
        #expect(abs(far - (1 - (1e9 - 1e6) / (8e9 - 1e6))) < 0.02)
    }

    /// The drift plot draws Kuiper's threshold for periodic poses; mixed with non-periodic poses,
    /// the periodic series are scaled onto the KS threshold and say so.
    @Test func driftPlotOfPeriodicPoses() throws {
        let periodic = GibbsDiagnostics(poseNames: ["phase"], periodic: [true], chainCount: 200,
                                        drift: [[0.5], [0.2]], recentDrift: [0.2], window: 1)
        let plot = try periodic.driftPlot()
        #expect(plot.tolerance == periodic.circularThreshold && plot.driftLabel.contains("Kuiper"))
        #expect(plot.series[0].values == [0.5, 0.2])

        let mixed = GibbsDiagnostics(poseNames: ["phase", "t"], periodic: [true, false], chainCount: 200,
                                     drift: [[0.5, 0.4], [0.2, 0.1]], recentDrift: [0.2, 0.1], window: 1)
        let both = try mixed.driftPlot()
        let scale = mixed.threshold / mixed.circularThreshold
        #expect(both.tolerance == mixed.threshold)
        #expect(both.series[0].name.hasPrefix("phase (Kuiper ×") && both.series[1].name == "t")
        #expect(abs(both.series[0].values[0] - 0.5 * scale) < 1e-15 && both.series[1].values == [0.4, 0.1])
        #expect(mixed.hasSettled == (0.2 <= mixed.circularThreshold && 0.1 <= mixed.threshold))
    }
}
