import Foundation
import Inference
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct PhaseMarginalizedNetworkTests {
    /// θ without the phase (the network's test θ with φ = 1.3 removed).
    static let theta = [30.0, 0.8, 0.3, -0.2, 400, 0.6, 0.7, 1.9, -0.4, 0.013]

    /// An observation: the signal at φ = 1.3 plus unit noise.
    static func observation(_ network: BinaryBlackHoleNetwork) throws -> [Double] {
        let marginalized = try PhaseMarginalizedNetwork(network)
        var rng = RandomSource(seed: 5)
        return try network.signal(marginalized.fullParameters(theta, phase: 1.3)).map { $0 + rng.nextNormal() }
    }

    /// The premise: for IMRPhenomD the phase is the common factor e^{2iφ} of the whitened signal.
    @Test func phaseIsACommonFactorOfTheSignal() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let marginalized = try PhaseMarginalizedNetwork(network)
        let s0 = try network.signal(marginalized.fullParameters(Self.theta, phase: 0))
        for phi in [0.4, 2.9, 5.5] {
            let s = try network.signal(marginalized.fullParameters(Self.theta, phase: phi))
            let (c, d) = (cos(2 * phi), sin(2 * phi))
            var worst = 0.0, scale = 0.0
            for k in 0 ..< s.count / 2 {
                let re = s0[2 * k] * c - s0[2 * k + 1] * d, im = s0[2 * k] * d + s0[2 * k + 1] * c
                worst = max(worst, abs(re - s[2 * k]), abs(im - s[2 * k + 1]))
                scale = max(scale, abs(s[2 * k]), abs(s[2 * k + 1]))
            }
            #expect(worst <= 1e-10 * scale, "φ = \(phi): largest difference \(worst) of \(scale)")
        }
    }

    /// The marginal likelihood equals (1/2π)∫ p(x | θ, φ) dφ by quadrature, and the conditional
    /// of 2φ is the normalised φ-dependence of the full likelihood.
    @Test func marginalAndConditionalMatchTheFullLikelihood() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let marginalized = try PhaseMarginalizedNetwork(network)
        let x = try Self.observation(network)
        let n = 4_000  // the integrand is smooth and periodic: the trapezoid rule converges fast
        let logs = try (0 ..< n).map { try network.logLikelihood(of: marginalized.fullParameters(Self.theta, phase: 2 * .pi * Double($0) / Double(n)), given: x) }
        let peak = logs.max()!
        let quadrature = peak + log(logs.reduce(0) { $0 + exp($1 - peak) } / Double(n))
        let marginal = try marginalized.logLikelihood(of: Self.theta, given: x)
        #expect(abs(marginal - quadrature) < 1e-6, "analytic \(marginal), quadrature \(quadrature)")
        let conditional = try marginalized.doubledPhaseConditional(of: Self.theta, given: x)
        #expect(conditional.concentration > 10)  // an informative phase: a real test of the shape
        for phi in [0.2, 1.3, 2.0, 4.4] {
            // p(φ | x, θ) = VonMises density of 2φ (the two preimages φ, φ + π share it).
            var doubled = 2 * phi
            while doubled > conditional.meanDirection + .pi { doubled -= 2 * .pi }
            while doubled < conditional.meanDirection - .pi { doubled += 2 * .pi }
            let full = try network.logLikelihood(of: marginalized.fullParameters(Self.theta, phase: phi), given: x)
            // p(φ | x, θ) = p(x | θ, φ)·(1/2π) / p(x | θ)
            let expected = full - log(2 * Double.pi) - marginal
            #expect(abs(conditional.logDensity(of: doubled) - expected) < 1e-6, "φ = \(phi)")
        }
        // Batch equals single.
        var rng = RandomSource(seed: 3)
        let thetas = try marginalized.prior().sample(count: 70, using: &rng)
        let batch = try marginalized.logLikelihoods(of: thetas, given: x)
        for i in [0, 33, 69] { #expect(batch[i] == (try marginalized.logLikelihood(of: thetas.row(i), given: x))) }
    }

    /// Reconstructed phases follow the exact conditional (KS against its CDF by quadrature) and
    /// do not depend on anything but the seed.
    @Test func reconstructedPhasesFollowTheirConditional() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let marginalized = try PhaseMarginalizedNetwork(network)
        let x = try Self.observation(network)
        let count = 4_000
        var samples = SampleMatrix(rows: count, columns: 10)
        for i in 0 ..< count { try samples.setRow(i, to: Self.theta) }
        let full = try marginalized.reconstructingPhase(of: samples, given: x, seed: 9)
        #expect(full.columns == 11)
        #expect(full.row(17) == (try marginalized.fullParameters(Self.theta, phase: full[17, 5])))
        #expect(try marginalized.reconstructingPhase(of: samples, given: x, seed: 9) == full)
        let phases = (0 ..< count).map { full[$0, PhaseMarginalizedNetwork.phaseIndex] }.sorted()
        #expect(phases.first! >= 0 && phases.last! < 2 * .pi)
        // The CDF of p(φ | x, θ) ∝ p(x | θ, φ) on a fine grid.
        let m = 20_000
        let logs = try (0 ..< m).map { try network.logLikelihood(of: marginalized.fullParameters(Self.theta, phase: 2 * .pi * (Double($0) + 0.5) / Double(m)), given: x) }
        let peak = logs.max()!
        var cdf = [Double](), acc = 0.0
        for l in logs { acc += exp(l - peak); cdf.append(acc) }
        cdf = cdf.map { $0 / acc }
        var ks = 0.0
        for (i, phi) in phases.enumerated() {
            let j = min(m - 1, Int(phi / (2 * .pi) * Double(m)))
            ks = max(ks, abs(cdf[j] - Double(i + 1) / Double(count)), abs(cdf[j] - Double(i) / Double(count)))
        }
        #expect(ks < 1.63 / Double(count).squareRoot(), "KS distance \(ks)")  // 1 % level
    }

    /// The model: 10 parameters, a simulator that draws φ, the phase-marginal likelihood as the
    /// model's declared likelihood (without it the generic Gaussian likelihood is refused rather
    /// than silently wrong), a GNPE model with the arrival-time pose; a waveform with higher modes
    /// is refused.
    @Test func modelsAndRefusals() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let marginalized = try PhaseMarginalizedNetwork(network)
        let model = try marginalized.simulationModel()
        #expect(model.prior.names == marginalized.parameterNames && marginalized.parameterNames.count == 10)
        #expect(!model.prior.names.contains("phase"))
        let x = try Self.observation(network)
        #expect(model.likelihood != nil)
        #expect(try model.exactLogLikelihood(given: x)(Self.theta) == (try marginalized.logLikelihood(of: Self.theta, given: x)))
        let undeclared = try SimulationModel(declarations: marginalized.declarations.filter {
            if case .likelihood = $0 { return false } else { return true }
        })
        #expect(throws: SamplingError.self) { _ = try undeclared.exactLogLikelihood(given: x) }
        let gnpeModel = try marginalized.equivariantModel()
        #expect(gnpeModel.equivariances.count == 1)
        let pose = try gnpeModel.equivariances[0].checkedPose(of: Self.theta)
        let expected = try network.arrivalTimes(of: marginalized.fullParameters(Self.theta, phase: 0))
        #expect(pose == expected)
        #expect(throws: GravitationalWaveError.self) { _ = try marginalized.fullParameters([1, 2, 3], phase: 0) }

        struct HigherModes: FrequencyDomainWaveform {
            var name: String { "HigherModes" }
            func polarizations(of binary: AlignedSpinBinary, on grid: FrequencyGrid) throws -> Polarizations {
                try IMRPhenomD().polarizations(of: binary, on: grid)
            }
        }
        var configuration = BinaryBlackHoleNetwork.Configuration.reduced
        configuration.waveform = HigherModes()
        #expect(throws: GravitationalWaveError.self) { _ = try PhaseMarginalizedNetwork(try BinaryBlackHoleNetwork(configuration)) }
    }
}
