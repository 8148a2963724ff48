import Foundation
import Inference
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct NetworkLikelihoodTests {
    static let theta = [30.0, 0.8, 0.3, -0.2, 400, 1.3, 0.6, 0.7, 1.9, -0.4, 0.013]

    /// On noise-free data the likelihood peaks at the true θ: every perturbed θ scores lower.
    @Test func likelihoodIsMaximalAtTheTruth() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let x = try network.signal(Self.theta)
        let atTruth = try network.logLikelihood(of: Self.theta, given: x)
        let normalization = 0.5 * Double(network.outputLength) * log(2 * Double.pi)
        #expect(abs(atTruth + normalization) < 1e-9)
        let steps = [0.1, 0.01, 0.05, 0.05, 10, 0.1, 0.05, 0.05, 0.02, 0.02, 0.001]
        for (i, step) in steps.enumerated() {
            for sign in [-1.0, 1.0] {
                var perturbed = Self.theta
                perturbed[i] += sign * step
                let value = try network.logLikelihood(of: perturbed, given: x)
                #expect(
                    value < atTruth, "\(network.parameterNames[i]) \(sign * step): \(value) ≥ \(atTruth)"
                )
            }
        }
    }

    /// The likelihood equals a direct evaluation, the batch equals the single evaluations, and the
    /// SimulationModel's generic exact likelihood (what importance sampling uses) agrees.
    @Test func likelihoodEqualsADirectEvaluation() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let model = try network.simulationModel()
        var rng = RandomSource(seed: 21)
        let x = try model.simulate(Self.theta, using: &rng)
        let generic = try model.exactLogLikelihood(given: x)
        let thetas = model.prior.sample(count: 100, using: &rng)
        let batch = try network.logLikelihoods(of: thetas, given: x)
        #expect(batch.count == 100)
        for i in [0, 37, 99] {
            let theta = thetas.row(i)
            let s = try network.signal(theta)
            var direct = -0.5 * Double(x.count) * log(2 * Double.pi)
            for k in x.indices { direct -= 0.5 * (x[k] - s[k]) * (x[k] - s[k]) }
            let single = try network.logLikelihood(of: theta, given: x)
            #expect(abs(single - direct) < 1e-9 * abs(direct))
            #expect(batch[i] == single)
            #expect(abs(generic(theta) - single) < 1e-9 * abs(single))
        }
        // With unit noise, −2 log L at the truth is a χ² with N degrees of freedom, offset by N log 2π.
        let n = Double(network.outputLength)
        let chiSquare = -2 * (try network.logLikelihood(of: Self.theta, given: x)) - n * log(2 * Double.pi)
        #expect(abs(chiSquare - n) < 5 * (2 * n).squareRoot(), "χ² = \(chiSquare) for N = \(n)")
    }

    /// log L(θ_true) − log L(no signal) = ρ²/2 on noise-free data, with ρ the network SNR from
    /// NoiseSpectrum's optimal SNR of each detector's strain.
    @Test func likelihoodRatioIsHalfTheSquaredSNR() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let x = try network.signal(Self.theta)
        let strains = try network.strain(of: Self.theta)
        let rhoSquared = try zip(network.noiseSpectra, strains).map { try $0.optimalSNR(of: $1) }.reduce(0) {
            $0 + $1 * $1
        }
        let ratio = try network.logLikelihood(of: Self.theta, given: x) - network.noiseLogLikelihood(given: x)
        #expect(abs(ratio / (rhoSquared / 2) - 1) < 1e-9, "log-likelihood ratio \(ratio), ρ²/2 = \(rhoSquared / 2)")
        print("network SNR \(rhoSquared.squareRoot()), log-likelihood ratio \(ratio)")
    }

    /// Hostile input: data of the wrong length or with NaN, a batch of the wrong width, a bad row.
    @Test func badInputIsRejected() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let x = try network.signal(Self.theta)
        #expect(throws: GravitationalWaveError.self) { try network.logLikelihood(of: Self.theta, given: [1, 2]) }
        var nan = x
        nan[5] = .nan
        #expect(throws: GravitationalWaveError.self) { try network.logLikelihood(of: Self.theta, given: nan) }
        #expect(throws: GravitationalWaveError.self) { try network.noiseLogLikelihood(given: nan) }
        #expect(throws: GravitationalWaveError.self) {
            try network.logLikelihoods(of: SampleMatrix(rows: 2, columns: 3), given: x)
        }
        var rows = SampleMatrix(rows: 0, columns: 11)
        try rows.append(row: Self.theta)
        var bad = Self.theta
        bad[1] = 2
        try rows.append(row: bad)
        do {
            _ = try network.logLikelihoods(of: rows, given: x)
            Issue.record("a mass ratio of 2 was accepted")
        } catch let error as GravitationalWaveError {
            #expect("\(error)".contains("row 1"), "\(error)")
        }
    }
}
