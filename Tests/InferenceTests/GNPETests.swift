import Foundation
import Testing
import Flows
import TensorCore
@testable import Inference

@Suite struct GNPETests {
    static let location = GaussianLocationModel()

    /// A GNPE trained on the location model (exact value-translation equivariance), small budget.
    /// The location model, its equivariance declared exact or approximate (it is exact, so an
    /// approximate GNPE, which also sees the proxy, must recover the same posterior).
    static func locationModel(exact: Bool, kernel: BlurKernel = .gaussian(sigma: 0.2)) throws -> SimulationModel {
        let z = location.ramp, s = location.sigma
        return try SimulationModel {
            Parameter("mu", Uniform(-location.locationRange, location.locationRange))
            Parameter("a", Normal(0, 1))
            Simulator(outputLength: location.count) { θ, _ in z.map { θ[0] + θ[1] * $0 } }
            NoiseModel.gaussian("noise", sigma: s)
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: kernel, exact: exact)
        }
    }

    static func trainedEstimator(exact: Bool = true) throws -> GNPEEstimator {
        let gnpe = try GNPEEstimator(model: locationModel(exact: exact))
        gnpe.architecture = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2,
                                             embedding: .identity(features: exact ? 10 : 11), transformCount: 3, hiddenFeatures: 32)
        gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, maximumEpochs: 40, seed: 4)
        try gnpe.appendSimulations(count: 3000, seed: 1)
        try gnpe.train()
        return gnpe
    }

    /// One trained exact estimator shared by the tests that only sample from it.
    nonisolated(unsafe) static let shared = Result { try trainedEstimator() }

    /// Posterior means and sds within tolerance of the analytic posterior for three observations:
    /// means within 0.3 posterior sd (the Monte Carlo error of 2000 samples is 0.02 sd), sds
    /// within 20 %, for an exact and an approximate declaration of the same equivariance.
    @Test(arguments: [true, false])
    func trainedGNPEMatchesTheAnalyticPosterior(exact: Bool) throws {
        let clock = ContinuousClock.now
        let gnpe = try exact ? Self.shared.get() : Self.trainedEstimator(exact: false)
        print("GNPE location training took \(ContinuousClock.now - clock); epochs \(gnpe.history!.trainingLoss.count)")
        let posterior = try gnpe.posterior
        var rng = RandomSource(seed: 99)
        for (k, truth) in [[-12.0, 0.5], [3.0, -1.2], [15.0, 0.0]].enumerated() {
            let x = Self.location.ramp.map { truth[0] + truth[1] * $0 + Self.location.sigma * rng.nextNormal() }
            let samples = try posterior.sample(count: 2000, given: x, seed: UInt64(k))
            let mean = Self.location.posteriorMean(given: x), sd = Self.location.posteriorStandardDeviations
            let m = samples.columnMeans, c = samples.columnCovariance
            print("obs \(k): mean \(m) vs \(mean); sd \(c[0][0].squareRoot()), \(c[1][1].squareRoot()) vs \(sd); drift \(posterior.lastDiagnostics!.recentDrift)")
            for j in 0 ..< 2 {
                #expect(abs(m[j] - mean[j]) < 0.3 * sd[j], "observation \(k), parameter \(j): mean \(m[j]) vs \(mean[j])")
                #expect(abs(c[j][j].squareRoot() / sd[j] - 1) < 0.2, "observation \(k), parameter \(j): sd")
            }
            #expect(posterior.lastDiagnostics?.hasSettled == true)
        }
    }

    /// Saving and loading gives the same samples for the same seed; loading with a model whose
    /// kernel differs is refused.
    @Test func saveAndLoadRoundTrip() throws {
        let gnpe = try Self.shared.get()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gnpe-roundtrip-\(UUID().uuidString).gnpe")
        defer { try? FileManager.default.removeItem(at: url) }
        try gnpe.save(to: url)
        let loaded = try GNPEEstimator.load(from: url, model: Self.locationModel(exact: true))
        #expect(loaded.initialNetwork != nil && loaded.iterations == gnpe.iterations && loaded.history == gnpe.history)
        let x = Self.location.ramp.map { 2 + 0.3 * $0 }
        let before = try gnpe.posterior.sample(count: 200, given: x, seed: 5)
        let after = try loaded.posterior.sample(count: 200, given: x, seed: 5)
        #expect(before == after)
        #expect(throws: GNPEError.self) { try GNPEEstimator.load(from: url, model: Self.locationModel(exact: true, kernel: .gaussian(sigma: 0.3))) }
        #expect(throws: GNPEError.self) { try GNPEEstimator.load(from: url, model: Self.locationModel(exact: false)) }
    }

    /// The initialisation network trains with its own settings when given (here fewer epochs),
    /// the GNPE flow with ``GNPEEstimator/settings``; a saved estimator keeps both.
    @Test func initialisationNetworkTrainsWithItsOwnSettings() throws {
        let gnpe = try GNPEEstimator(model: Self.locationModel(exact: true))
        gnpe.architecture = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2,
                                             embedding: .identity(features: 10), transformCount: 2, hiddenFeatures: 16)
        gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, stopAfterEpochsWithoutImprovement: 100,
                                         maximumEpochs: 6, seed: 4)
        gnpe.initialNetworkSettings = gnpe.settings
        gnpe.initialNetworkSettings?.maximumEpochs = 2
        try gnpe.appendSimulations(count: 600, seed: 1)
        try gnpe.train(force: true)
        #expect(gnpe.history?.epochCount == 6)
        #expect(gnpe.initialNetworkHistory?.epochCount == 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gnpe-initial-\(UUID().uuidString).gnpe")
        defer { try? FileManager.default.removeItem(at: url) }
        try gnpe.save(to: url)
        let loaded = try GNPEEstimator.load(from: url, model: Self.locationModel(exact: true))
        #expect(loaded.initialNetworkSettings == gnpe.initialNetworkSettings)
        #expect(loaded.settings == gnpe.settings)
    }

    @Test func badDeclarationsAndRequestsThrowClearErrors() throws {
        let plain = try SimulationModel {
            Parameter("mu", Normal(0, 1))
            Simulator(outputLength: 4) { θ, _ in Array(repeating: θ[0], count: 4) }
        }
        #expect(throws: GNPEError.noEquivariance) { try GNPEEstimator(model: plain) }
        #expect(GNPEError.noEquivariance.description.contains("use NPE"))
        let two = try SimulationModel {
            Parameter("mu", Normal(0, 1))
            Parameter("nu", Normal(0, 1))
            Simulator(outputLength: 4) { θ, _ in [θ[0], θ[0], θ[1], θ[1]] }
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .gaussian(sigma: 0.1))
            Equivariance(pose: ["nu"], group: ValueTranslation(), kernel: .gaussian(sigma: 0.1))
        }
        #expect(throws: GNPEError.multipleEquivariances(2)) { try GNPEEstimator(model: two) }

        let gnpe = try GNPEEstimator(model: Self.location.model())
        #expect(throws: EstimatorError.notTrained) { try gnpe.posterior }
        #expect(throws: EstimatorError.noSimulations) { try gnpe.train() }
        #expect(throws: EstimatorError.self) {
            try gnpe.appendSimulations(parameters: SampleMatrix(rows: 2, columns: 3), data: SampleMatrix(rows: 2, columns: 10))
        }
        var theta = SampleMatrix(rows: 3, columns: 2, repeating: 0.5)
        theta[1, 0] = .nan
        let warning = try gnpe.appendSimulations(parameters: theta, data: SampleMatrix(rows: 3, columns: 10))
        #expect(gnpe.simulationCount == 2 && gnpe.discardedSimulationCount == 1 && warning == 2 && gnpe.warnings.count == 1)

        let approximate = try SimulationModel {
            Parameter("mu", Uniform(-5, 5))
            Simulator(outputLength: 6) { θ, _ in Array(repeating: θ[0], count: 6) }
            Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .gaussian(sigma: 0.1), exact: false)
        }
        let conv = try GNPEEstimator(model: approximate)
        #expect(conv.contextFeatures == 7 && conv.architecture.contextFeatures == 7)
        conv.architecture.embedding = .defaultConvolutional(observationLength: 6)
        #expect(throws: EstimatorError.self) { try conv.makeFlow() }
    }

    /// Sampling errors: no chains, a wrong observation length, a start of the wrong width.
    @Test func samplingRequestsAreChecked() throws {
        let gnpe = try GNPEEstimator(model: Self.location.model())
        gnpe.settings = TrainingSettings(maximumEpochs: 1)
        gnpe.trainsInitialNetwork = false
        try gnpe.appendSimulations(count: 50, seed: 2)
        try gnpe.train()
        let posterior = try gnpe.posterior
        #expect(posterior.initialization == .prior)  // no network trained
        let x = Array(repeating: 1.0, count: 10)
        let none = try posterior.sample(count: 0, given: x, seed: 1)
        #expect(none.rows == 0 && none.columns == 2)
        #expect(throws: GNPEError.invalidCount(-1)) { try posterior.sample(count: -1, given: x, seed: 1) }
        #expect(throws: GNPEError.self) { try posterior.sample(count: 5, given: [1, 2], seed: 1) }
        posterior.initialization = .fixed([0, 1])
        #expect(throws: GNPEError.initialPoseShape(expected: 1, found: 2)) { try posterior.sample(count: 5, given: x, seed: 1) }
        posterior.initialization = .network
        #expect(throws: GNPEError.self) { try posterior.sample(count: 5, given: x, seed: 1) }
        posterior.initialization = .fixed([1])
        posterior.iterations = 3
        posterior.printsWarnings = false
        let a = try posterior.sample(count: 20, given: x, seed: 7), b = try posterior.sample(count: 20, given: x, seed: 7)
        #expect(a == b)
        #expect(posterior.lastDiagnostics?.iterations == 3)
    }
}
