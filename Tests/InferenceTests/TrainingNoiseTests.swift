import Foundation
import TensorCore
import Testing

@testable import Inference

/// Fresh Gaussian noise every epoch (``TrainingNoise/freshEachEpoch``, DINGO's practice) against
/// one fixed draw per simulation.
@Suite struct TrainingNoiseTests {
    /// θ ∈ [−1, 1]² sets a line on 12 points, with white Gaussian noise σ = 0.3 (two noise models
    /// of σ² summing to 0.09).
    static func model() throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(-1, 1))
            Parameter("b", Uniform(-1, 1))
            Simulator(outputLength: 12) { θ, _ in (0 ..< 12).map { θ[0] + θ[1] * Double($0) / 11 } }
            NoiseModel.gaussian("first", sigma: 0.18)
            NoiseModel.gaussian("second", sigma: 0.24)
        }
    }

    static func estimator(_ noise: TrainingNoise, count: Int = 2000, epochs: Int = 15) throws -> NPE {
        let npe = NPE(model: try model())
        npe.settings.noise = noise
        npe.settings.maximumEpochs = epochs
        npe.architecture.transformCount = 2
        try npe.appendSimulations(count: count, seed: 4)
        return npe
    }

    @Test func freshNoiseDiffersBetweenEpochsAndFixedNoiseDoesNot() throws {
        let npe = try Self.estimator(.freshEachEpoch)
        let store = npe.simulations
        #expect(store.holdsSignals && abs(store.signalNoiseSigma - 0.3) < 1e-12)
        // The stored x are the noise-free signals.
        let theta = npe.parameters.row(7)
        let signal = (0 ..< 12).map { Float(theta[0] + theta[1] * Double($0) / 11) }
        #expect(Array(store.dataValues[84 ..< 96]) == signal)
        var rng = RandomSource(seed: 1)
        let rows = Array(0 ..< 1000)
        let epoch1 = try store.trainingData(rows: rows, noise: .freshEachEpoch, seed: 0, using: &rng)
        let epoch2 = try store.trainingData(rows: rows, noise: .freshEachEpoch, seed: 0, using: &rng)
        #expect(epoch1 != epoch2)
        // The added noise has σ = 0.3 and is independent between epochs.
        var sum = 0.0, sumSquares = 0.0, product = 0.0
        for k in 0 ..< epoch1.count {
            let n1 = Double(epoch1[k] - store.dataValues[k]), n2 = Double(epoch2[k] - store.dataValues[k])
            sum += n1
            sumSquares += n1 * n1
            product += n1 * n2
        }
        let n = Double(epoch1.count)
        #expect(abs(sum / n) < 0.01 && abs((sumSquares / n).squareRoot() - 0.3) < 0.005 && abs(product / n) < 0.003)
        // The same random source gives the same noise, whatever order the rows come in.
        var again = RandomSource(seed: 1)
        let reversed = try store.trainingData(rows: rows.reversed(), noise: .freshEachEpoch, seed: 0, using: &again)
        #expect(Array(reversed[(999 * 12)...]) == Array(epoch1[..<12]))
        // `.fixed` on stored signals: one draw, the same at every call.
        let fixed1 = try store.trainingData(rows: rows, noise: .fixed, seed: 0, using: &rng)
        let fixed2 = try store.trainingData(rows: rows, noise: .fixed, seed: 0, using: &rng)
        #expect(fixed1 == fixed2 && fixed1 != epoch1)
    }

    @Test func theSameSeedReproducesTrainingBitIdentically() throws {
        let a = try Self.estimator(.freshEachEpoch, count: 600, epochs: 4)
        let b = try Self.estimator(.freshEachEpoch, count: 600, epochs: 4)
        try a.train()
        try b.train()
        #expect(a.history?.validationLoss == b.history?.validationLoss)
        #expect(a.flow?.weights == b.flow?.weights)
        // Another seed draws other noise (and another split).
        let c = try Self.estimator(.freshEachEpoch, count: 600, epochs: 4)
        c.settings.seed = 1
        try c.train()
        #expect(c.history?.validationLoss != a.history?.validationLoss)
    }

    @Test func theValidationLossStaysComparableToFixedNoise() throws {
        let fixed = try Self.estimator(.fixed)
        let fresh = try Self.estimator(.freshEachEpoch)
        let fixedHistory = try fixed.train()
        let freshHistory = try fresh.train()
        let best = { (h: TrainingHistory) in h.validationLoss.min() ?? .infinity }
        // Both estimate the same expected loss −E log q(θ | x); the posterior is narrow, so the
        // losses are far below the prior's log(4) ≈ 1.39.
        #expect(best(fixedHistory) < 0 && best(freshHistory) < 0)
        #expect(abs(best(fixedHistory) - best(freshHistory)) < 0.35)
        // Posteriors agree on a test observation.
        let observation = (0 ..< 12).map { 0.2 - 0.5 * Double($0) / 11 }
        let m1 = try fixed.posterior.sample(count: 2000, given: observation, seed: 3).columnMeans
        let m2 = try fresh.posterior.sample(count: 2000, given: observation, seed: 3).columnMeans
        #expect(abs(m1[0] - m2[0]) < 0.1 && abs(m1[1] - m2[1]) < 0.15)
        // The posterior mean given noise-free data: (a, b) within about a posterior sd (≈ 0.16, 0.3) of the truth.
        #expect(abs(m2[0] - 0.2) < 0.25 && abs(m2[1] + 0.5) < 0.4, "fixed \(m1), fresh \(m2)")
    }

    @Test func freshNoiseNeedsGaussianNoiseAndNoiseFreeStorage() throws {
        let custom = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 3) { θ, _ in [θ[0], θ[0], θ[0]] }
            NoiseModel("glitch") { x, rng in x[0] += rng.nextUniform() }
        }
        let npe = NPE(model: custom)
        npe.settings.noise = .freshEachEpoch
        #expect(throws: EstimatorError.self) { try npe.appendSimulations(count: 10, seed: 1) }
        // Simulations stored with their noise cannot get fresh noise at training…
        let noisy = try Self.estimator(.fixed, count: 300, epochs: 1)
        noisy.settings.noise = .freshEachEpoch
        #expect { try noisy.train() } throws: { error in
            "\(error)".contains("include their noise")
        }
        // … nor be mixed with noise-free signals.
        #expect(throws: EstimatorError.self) { try noisy.appendSimulations(count: 10, seed: 2) }
        // Noise-free signals refuse data appended with its noise.
        let signals = try Self.estimator(.freshEachEpoch, count: 10, epochs: 1)
        #expect(throws: EstimatorError.self) {
            try signals.appendSimulations(parameters: signals.parameters, data: signals.data)
        }
    }

    @Test func settingsWithFixedNoiseEncodeAsBefore() throws {
        var settings = TrainingSettings()
        let fixed = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        #expect(!fixed.contains("noise"))
        settings.noise = .freshEachEpoch
        let decoded = try JSONDecoder().decode(TrainingSettings.self, from: try JSONEncoder().encode(settings))
        #expect(decoded == settings)
        #expect(try JSONDecoder().decode(TrainingSettings.self, from: Data(fixed.utf8)).noise == .fixed)
    }

    @Test func gnpeTrainingAddsFreshNoiseToTheStandardisedData() throws {
        let model = try GNPETests.locationModel(exact: true)
        let gnpe = try GNPEEstimator(model: model)
        gnpe.settings.noise = .freshEachEpoch
        try gnpe.appendSimulations(count: 200, seed: 5)
        #expect(gnpe.simulations.holdsSignals)
        var rng = RandomSource(seed: 2)
        let first = try gnpe.trainingExamples(rows: [0, 1, 2], using: &rng)
        let second = try gnpe.trainingExamples(rows: [0, 1, 2], using: &rng)
        #expect(first.context != second.context)
        var again = RandomSource(seed: 2)
        #expect(try gnpe.trainingExamples(rows: [0, 1, 2], using: &again).context == first.context)
    }
}
