import Foundation
import Testing
import TensorCore
@testable import Inference

/// Periodic parameters in the DSL, in estimator files, and Kuiper's circular drift statistic.
@Suite struct PeriodicParameterTests {
    /// The 11-parameter binary-black-hole prior of the GW notebook.
    static func binaryBlackHolePrior() throws -> JointPrior {
        try JointPrior {
            Parameter("chirp_mass", UniformInComponentsChirpMass(25, 35))
            Parameter("mass_ratio", UniformInComponentsMassRatio(0.125, 1))
            for spin in ["chi_1", "chi_2"] { Parameter(spin, Uniform(-0.9, 0.9)) }
            Parameter("luminosity_distance", PowerLaw(100, 2000, exponent: 2))
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
            Parameter("inclination", Sine(0, .pi))
            Parameter("polarization", Uniform(0, .pi), periodic: true)
            Parameter("right_ascension", Uniform(0, 2 * .pi), periodic: true)
            Parameter("declination", Cosine(-.pi / 2, .pi / 2))
            Parameter("geocent_time", Uniform(-0.1, 0.1))
        }
    }

    @Test func theDSLDeclaresPeriodicParameters() throws {
        let prior = try Self.binaryBlackHolePrior()
        #expect(prior.dimension == 11)
        #expect(prior.periodic == [false, false, false, false, false, true, false, true, true, false, false])
        #expect(prior.period(ofParameterAt: 5) == 2 * .pi)
        #expect(prior.period(ofParameterAt: 7) == .pi)
        #expect(prior.period(ofParameterAt: 0) == nil && prior.period(ofParameterAt: 99) == nil)
        #expect(prior.description.contains("phase ~ Uniform(0.0, 6.283185307179586) (periodic)"))
        #expect(!prior.description.contains("inclination ~ Sine(0.0, 3.141592653589793) (periodic)"))
        #expect(prior.parameters.map(\.isPeriodic) == prior.periodic)
        // The same parameters inside a simulation model.
        let model = try SimulationModel {
            for p in prior.parameters { p }
            Simulator(outputLength: 1) { θ, _ in [θ[0]] }
        }
        #expect(model.prior.periodic == prior.periodic)
        // if/else in the prior builder.
        let withTime = true
        let small = try JointPrior {
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
            if withTime { Parameter("t", Uniform(-0.1, 0.1)) } else { Parameter("x", Normal(0, 1)) }
        }
        #expect(small.names == ["phase", "t"])
        var rng = RandomSource(seed: 3)
        let theta = prior.sample(count: 500, using: &rng)
        #expect((0 ..< 500).allSatisfy { prior.contains(theta.row($0)) })
        #expect(try prior.logDensity(of: theta.row(0)).isFinite)
    }

    @Test func unboundedPeriodicParametersAreRefused() {
        #expect {
            try JointPrior { Parameter("phase", Normal(0, 1), periodic: true) }
        } throws: { error in
            guard case let .invalidPrior(parameter, reason)? = error as? ModelError else { return false }
            return parameter == "phase" && reason.contains("periodic") && reason.contains("bounded")
        }
        #expect(throws: ModelError.noParameters) { try JointPrior {} }
    }

    @Test func wrappingPutsPeriodicColumnsBackOnTheSupport() throws {
        let prior = try JointPrior {
            Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
            Parameter("psi", Uniform(-1, 2), periodic: true)
            Parameter("x", Uniform(0, 1))
        }
        let samples = try SampleMatrix(stacking: [[6.5, 2.5, 7], [-0.5, -1, -3], [2 * .pi, 2, 0.5]])
        let wrapped = try prior.wrappingPeriodicParameters(of: samples)
        #expect(abs(wrapped[0, 0] - (6.5 - 2 * .pi)) < 1e-12 && abs(wrapped[0, 1] - (-0.5)) < 1e-12 && wrapped[0, 2] == 7)
        #expect(abs(wrapped[1, 0] - (2 * .pi - 0.5)) < 1e-12 && wrapped[1, 1] == -1 && wrapped[1, 2] == -3)
        #expect(wrapped[2, 0] == 0 && wrapped[2, 1] == -1)
        #expect(throws: ModelError.wrongParameterCount(expected: 3, found: 2)) {
            try prior.wrappingPeriodicParameters(of: SampleMatrix(rows: 1, columns: 2))
        }
    }

    // MARK: - Estimator files

    @Test func newPriorsRoundTripThroughTheEstimatorFile() throws {
        let prior = try Self.binaryBlackHolePrior()
        let npe = try NPE(prior: prior, observationLength: 2)
        NPETests.configureSmall(npe, epochs: 1)
        var rng = RandomSource(seed: 5)
        let theta = prior.sample(count: 200, using: &rng)
        try npe.appendSimulations(parameters: theta, data: theta.selecting(columns: [0, 1]))
        try npe.train()
        let dir = try EstimatorFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bbh.npe")
        try npe.save(to: url)
        let loaded = try NPE.load(from: url)   // no prior passed: every component is built in
        #expect(loaded.prior.storedComponents == prior.storedComponents)
        #expect(loaded.prior.periodic == prior.periodic)
        #expect(loaded.prior.description == prior.description)
        for j in 0 ..< prior.dimension {
            #expect(type(of: loaded.prior.distributions[j]) == type(of: prior.distributions[j]))
        }
        #expect(try loaded.prior.logDensity(of: theta.row(3)) == (try prior.logDensity(of: theta.row(3))))
        #expect(try loaded.posterior.sample(count: 20, given: [30, 0.5], seed: 9)
                == (try npe.posterior.sample(count: 20, given: [30, 0.5], seed: 9)))
        // A caller's prior is checked against the file.
        _ = try NPE.load(from: url, prior: prior)
        let other = try JointPrior(parameters: prior.parameters.enumerated().map { j, p in
            j == 6 ? Parameter(p.name, Sine(0.1, .pi)) : p
        })
        #expect(throws: EstimatorFileError.self) { try NPE.load(from: url, prior: other) }
    }

    /// A file written before periodic parameters and the new priors existed still loads: its
    /// prior section has no `periodic` key, and a prior without periodic parameters is stored
    /// exactly as before.
    @Test func filesFromBeforePeriodicParametersStillLoad() throws {
        let npe = try NPE(model: NPETests.boxModel())
        NPETests.configureSmall(npe, epochs: 1)
        try npe.appendSimulations(count: 200, seed: 1)
        try npe.train()
        var archive = try npe.archive()
        let old = #"[{"name":"a","prior":{"uniform":{"high":1,"low":0}}},{"name":"b","prior":{"uniform":{"high":1,"low":0}}}]"#
        guard case .json(let current)? = archive["prior"] else { Issue.record("no JSON prior section"); return }
        #expect(String(decoding: current, as: UTF8.self) == old, "a prior without periodic parameters is stored as before")
        archive["prior"] = .json(Data(old.utf8))
        let loaded = try NPE(archive: EstimatorArchive(decoding: archive.encoded()))
        #expect(loaded.prior.names == ["a", "b"] && loaded.prior.periodic == [false, false])
        #expect(loaded.prior.distributions.allSatisfy { $0 is Uniform })
        // Diagnostics saved before `periodic` existed decode with no periodic pose.
        let diagnostics = #"{"poseNames":["t"],"chainCount":100,"drift":[[0.1]],"recentDrift":[0.1],"window":1,"threshold":0.23,"acceptanceRate":1}"#
        let decoded = try JSONDecoder().decode(GibbsDiagnostics.self, from: Data(diagnostics.utf8))
        #expect(decoded.periodic == [false] && decoded.threshold == 0.23)
    }

    // MARK: - Kuiper's statistic

    @Test func kuiperStatisticKnownValues() {
        #expect(GibbsDiagnostics.kuiper([1, 2, 3], [1, 2, 3]) == 0)
        #expect(GibbsDiagnostics.kuiper([1, 2, 3], [4, 5]) == 1)
        #expect(GibbsDiagnostics.kuiper([], [4, 5]) == 0)
        // F_a − F_b reaches +0.5 (t = 2) and −0.25 (t = 3.5): V = 0.75, while KS = 0.5.
        #expect(abs(GibbsDiagnostics.kuiper([1, 2, 3, 4], [2.5, 3.5]) - 0.75) < 1e-12)
        #expect(abs(GibbsDiagnostics.kolmogorovSmirnov([1, 2, 3, 4], [2.5, 3.5]) - 0.5) < 1e-12)
        // Interleaved samples: F_a − F_b reaches +1/4 and never goes below 0.
        #expect(abs(GibbsDiagnostics.kuiper([0, 1, 2, 3], [0.5, 1.5, 2.5, 3.5]) - 0.25) < 1e-12)
        // The critical value solves Kuiper's asymptotic tail 2 Σ (4j²λ² − 1) e^{−2j²λ²} = 0.01.
        let lambda = GibbsDiagnostics.circularCriticalValue(chains: 2) // √(2/2) = 1
        let tail = 2 * (1 ... 20).reduce(0.0) { s, j in
            let jj = Double(j * j)
            return s + (4 * jj * lambda * lambda - 1) * exp(-2 * jj * lambda * lambda)
        }
        #expect(abs(tail - 0.01) < 1e-5)
    }

    /// On a circle Kuiper's V does not depend on where the circle is cut; KS does.
    @Test func kuiperIsInvariantUnderRotation() {
        var rng = RandomSource(seed: 8)
        let period = 2 * Double.pi
        let a = (0 ..< 500).map { _ in (1 + 0.6 * rng.nextNormal()).truncatingRemainder(dividingBy: period) + period }
            .map { $0.truncatingRemainder(dividingBy: period) }
        let b = (0 ..< 400).map { _ in rng.nextUniform(in: 0, period) }
        let reference = GibbsDiagnostics.driftStatistic(a, b, period: period)
        #expect(reference == GibbsDiagnostics.kuiper(a, b))
        var ksValues: [Double] = []
        for shift in [0.3, 1.7, 3.0, 4.4, 5.9, -2.2, 13.0] {
            let rotate = { (x: Double) in x + shift }
            let v = GibbsDiagnostics.driftStatistic(a.map(rotate), b.map(rotate), period: period)
            #expect(abs(v - reference) < 1e-12, "rotation by \(shift): \(v) vs \(reference)")
            let wrap = { (x: Double) in x - period * (x / period).rounded(.down) }
            ksValues.append(GibbsDiagnostics.kolmogorovSmirnov(a.map(rotate).map(wrap), b.map(rotate).map(wrap)))
        }
        #expect((ksValues.max() ?? 0) - (ksValues.min() ?? 0) > 0.05, "KS should depend on the cut: \(ksValues)")
        // Without a period the drift statistic is KS.
        #expect(GibbsDiagnostics.driftStatistic(a, b, period: nil) == GibbsDiagnostics.kolmogorovSmirnov(a, b))
    }

    /// The Gibbs sampler takes periodicity from the prior and measures periodic poses' drift with
    /// Kuiper's statistic and threshold.
    @Test func gibbsDriftUsesKuiperForPeriodicPoses() throws {
        let location = GaussianLocationModel()
        let simulationModel = try location.model(kernel: .gaussian(sigma: 0.2))
        let periodicPrior = try JointPrior(parameters: simulationModel.prior.parameters.map {
            Parameter($0.name, $0.prior, periodic: $0.name == "mu")
        })
        let equivariance = simulationModel.equivariances[0]
        let x = GibbsSamplerTests.observation(mu: 1.5, a: 0.2, seed: 3)
        var rng = RandomSource(seed: 21)
        let chains = 1000
        let start = try GibbsSampler.initialPoses(fromPrior: periodicPrior, equivariance: equivariance, count: chains, using: &rng)
        let result = try GibbsSampler().sample(
            observation: x, equivariance: equivariance, conditional: LocationModelConditional(model: location, kernelSigma: 0.2),
            initialPoses: start, prior: periodicPrior, poseNames: ["mu"], using: &rng)
        let d = result.diagnostics
        #expect(d.periodic == [true])
        #expect(d.threshold(forPose: 0) == d.circularThreshold)
        #expect(abs(d.circularThreshold - 2.000918 * (2.0 / Double(chains)).squareRoot()) < 1e-12)
        #expect(d.driftSeries(0)[0] > 0.3, "the first step moves the spread-out start")
        #expect(d.hasSettled, "\(d.recentDrift) vs \(d.circularThreshold)")
        // The same run with an explicit non-periodic pose uses KS, which is never larger than V.
        var rng2 = RandomSource(seed: 21)
        let start2 = try GibbsSampler.initialPoses(fromPrior: periodicPrior, equivariance: equivariance, count: chains, using: &rng2)
        let plain = try GibbsSampler().sample(
            observation: x, equivariance: equivariance, conditional: LocationModelConditional(model: location, kernelSigma: 0.2),
            initialPoses: start2, prior: periodicPrior, poseNames: ["mu"], posePeriods: [nil], using: &rng2)
        #expect(plain.diagnostics.periodic == [false])
        #expect(zip(plain.diagnostics.driftSeries(0), d.driftSeries(0)).allSatisfy { $0 <= $1 + 1e-12 })
        // A warning names the statistic.
        let unsettled = GibbsDiagnostics(poseNames: ["phase", "t"], periodic: [true, false], chainCount: 100,
                                         drift: [[0.5, 0.5]], recentDrift: [0.3, 0.1], window: 1)
        let warning = try #require(unsettled.warning)
        #expect(warning.contains("phase (Kuiper 0.3") && !warning.contains("t (KS"))
    }
}
