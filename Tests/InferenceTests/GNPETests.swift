import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct GNPETests {
    static let location = GaussianLocationModel()

    /// A GNPE trained on the location model (exact value-translation equivariance), small budget.
    static func trainedEstimator() throws -> GNPE {
        var gnpe = try GNPE(model: location.model(kernel: .gaussian(sigma: 0.2)))
        gnpe.embedding = .identity
        gnpe.transformCount = 3
        gnpe.hiddenFeatures = 32
        gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, maximumEpochs: 40, seed: 4)
        try gnpe.appendSimulations(count: 3000, seed: 1)
        try gnpe.train()
        return gnpe
    }

    /// Posterior means and sds within tolerance of the analytic posterior for three observations.
    @Test func trainedGNPEMatchesTheAnalyticPosterior() throws {
        let clock = ContinuousClock.now
        let gnpe = try Self.trainedEstimator()
        print("GNPE location training took \(ContinuousClock.now - clock); epochs \(gnpe.history!.trainingLoss.count)")
        let posterior = try gnpe.posterior()
        var rng = RandomSource(seed: 99)
        for (k, truth) in [[-12.0, 0.5], [3.0, -1.2], [15.0, 0.0]].enumerated() {
            let x = Self.location.ramp.map { truth[0] + truth[1] * $0 + Self.location.sigma * rng.nextNormal() }
            let samples = try posterior.sample(count: 3000, given: x, seed: UInt64(k))
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
}
