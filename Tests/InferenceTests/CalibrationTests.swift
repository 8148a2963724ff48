import Foundation
import Synchronization
import Testing
import TensorCore
@testable import Inference

/// Simulation-based calibration (issue 10) against the linear-Gaussian model of
/// ``LinearGaussianNPETests``, whose posterior is Gaussian in closed form: an exact sampler must
/// give uniform ranks, an over-confident one (standard deviations halved) must be caught.
@Suite struct CalibrationTests {
    /// The exact posterior, with its standard deviations multiplied by `scale` (1: exact).
    static func gaussianPosterior(scale: Double) -> CustomPosterior {
        let names = (1 ... 5).map { "θ\($0)" }
        return CustomPosterior(
            parameterNames: names,
            logProbability: { theta, x in
                let (mean, covariance) = LinearGaussianNPETests.posterior(given: x)
                let precision = LinearGaussianNPETests.inverse(covariance)
                return (0 ..< theta.rows).map { i in
                    let r = (0 ..< 5).map { theta[i, $0] - mean[$0] }
                    var q = 0.0
                    for a in 0 ..< 5 { for b in 0 ..< 5 { q += r[a] * precision[a][b] * r[b] } }
                    return -0.5 * q / (scale * scale)  // up to a constant, enough for ranking
                }
            },
            sample: { count, x, seed in
                let (mean, covariance) = LinearGaussianNPETests.posterior(given: x)
                let l = LinearGaussianNPETests.cholesky(covariance)
                var rng = RandomSource(seed: seed)
                var storage = [Double]()
                storage.reserveCapacity(count * 5)
                for _ in 0 ..< count {
                    let z = (0 ..< 5).map { _ in rng.nextNormal() }
                    for a in 0 ..< 5 { storage.append(mean[a] + scale * (0 ... a).reduce(0) { $0 + l[a][$1] * z[$1] }) }
                }
                return try SampleMatrix(rows: count, columns: 5, storage: storage)
            })
    }

    /// A posterior without a declared preference about cores.
    static func npeLikeSampler() -> CustomPosterior { gaussianPosterior(scale: 1) }

    static let levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]

    /// The exact posterior: every parameter's ranks pass the KS test, the P–P curves and the
    /// expected highest-density coverage stay near the diagonal.
    @Test func exactPosteriorGivesUniformRanks() throws {
        let result = try SimulationBasedCalibration(testCases: 300, posteriorSamples: 100, seed: 11)
            .run(Self.gaussianPosterior(scale: 1), model: LinearGaussianNPETests.model())
        #expect(result.caseCount == 300 && result.isComplete && result.failedCases.isEmpty)
        #expect(result.ranks.allSatisfy { $0.count == 5 && $0.allSatisfy { (0 ... 100).contains($0) } })
        #expect(result.uniformityTests.allSatisfy { $0.kind == .kolmogorovSmirnov })
        for p in result.pValues { #expect(p > 0.01) }
        for j in 0 ..< 5 {
            for (level, covered) in zip(Self.levels, try result.coverage(parameter: j, at: Self.levels)) {
                #expect(abs(covered - level) < 0.09, "θ\(j + 1) at \(level): \(covered)")
            }
        }
        for (level, covered) in zip(Self.levels, try result.expectedCoverage(at: Self.levels)) {
            #expect(abs(covered - level) < 0.09, "HPD at \(level): \(covered)")
        }
        #expect((result.highestDensityUniformityTest?.pValue ?? 0) > 0.01)
        // CDF values are rank / L.
        #expect(result.cumulativeProbabilities[7][2] == Double(result.ranks[7][2]) / 100)
    }

    /// Standard deviations halved: tiny p-values; the P–P curves lie above the diagonal at low
    /// levels and below it at high ones (truths in the tails); HPD regions cover too rarely.
    @Test func overConfidentPosteriorIsDetected() throws {
        let result = try SimulationBasedCalibration(testCases: 300, posteriorSamples: 100, seed: 11)
            .run(Self.gaussianPosterior(scale: 0.5), model: LinearGaussianNPETests.model())
        for p in result.pValues { #expect(p < 1e-4) }
        for j in 0 ..< 5 {
            let curve = try result.coverage(parameter: j, at: [0.1, 0.9])
            #expect(curve[0] > 0.2 && curve[1] < 0.8, "θ\(j + 1): \(curve)")
        }
        let hpd = try result.expectedCoverage(at: [0.5, 0.9])
        #expect(hpd[0] < 0.2 && hpd[1] < 0.5, "\(hpd)")
        #expect((result.highestDensityUniformityTest?.pValue ?? 1) < 1e-6)
    }

    /// Standard deviations doubled: caught too, with the P–P curves on the other side.
    @Test func underConfidentPosteriorIsDetected() throws {
        let result = try SimulationBasedCalibration(testCases: 300, posteriorSamples: 100, seed: 11)
            .run(Self.gaussianPosterior(scale: 2), model: LinearGaussianNPETests.model())
        for p in result.pValues { #expect(p < 1e-4) }
        let curve = try result.coverage(parameter: 0, at: [0.1, 0.9])
        #expect(curve[0] < 0.05 && curve[1] > 0.95, "\(curve)")
        #expect(try result.expectedCoverage(at: [0.5])[0] > 0.8)
    }

    /// The same seed gives the same result on one worker and on two.
    @Test func resultDoesNotDependOnTheWorkerCount() throws {
        let model = try LinearGaussianNPETests.model()
        var plan = SimulationBasedCalibration(testCases: 60, posteriorSamples: 50, seed: 5, maximumConcurrency: 1)
        let one = try plan.run(Self.gaussianPosterior(scale: 1), model: model)
        plan.maximumConcurrency = 2
        let two = try plan.run(Self.gaussianPosterior(scale: 1), model: model)
        #expect(one == two)
        plan.seed = 6
        #expect(try plan.run(Self.gaussianPosterior(scale: 1), model: model).ranks != one.ranks)
    }

    /// Interrupting keeps the completed cases, equal to the same cases of a full run.
    @Test(arguments: [1, 2]) func interruptionKeepsCompletedCases(workers: Int) throws {
        let model = try LinearGaussianNPETests.model()
        let plan = SimulationBasedCalibration(testCases: 80, posteriorSamples: 40, seed: 3, maximumConcurrency: workers)
        let full = try plan.run(Self.gaussianPosterior(scale: 1), model: model)
        let source = InterruptionSource()
        var partial: CalibrationResult?
        do {
            _ = try Interruption.withLocalSource(source) {
                try plan.run(Self.gaussianPosterior(scale: 1), model: model) { completed, _ in
                    if completed == 10 { source.request() }
                }
            }
            Issue.record("the run was not interrupted")
        } catch let error as InterruptedError {
            partial = error.partialResult as? CalibrationResult
        }
        let kept = try #require(partial)
        #expect(!kept.isComplete && kept.plannedCaseCount == 80)
        #expect(kept.caseCount >= 10 && kept.caseCount < 80)
        for (row, number) in kept.caseNumbers.enumerated() {
            #expect(kept.ranks[row] == full.ranks[number])
            #expect(kept.truths.row(row) == full.truths.row(number))
        }
        #expect(!source.isRequested)  // consumed: the next run is not interrupted
    }

    /// A small trained NPE on the linear-Gaussian model runs through, with highest-density ranks.
    @Test func trainedNPERunsThrough() throws {
        let npe = NPE(model: try LinearGaussianNPETests.model())
        NPETests.configureSmall(npe, epochs: 3)
        try npe.appendSimulations(count: 500, seed: 1)
        try npe.train()
        let result = try SimulationBasedCalibration(testCases: 20, posteriorSamples: 30, seed: 2).run(npe)
        #expect(result.parameterNames == ["θ1", "θ2", "θ3", "θ4", "θ5"])
        #expect(result.caseCount == 20 && result.ranks.count == 20 && result.ranks.allSatisfy { $0.count == 5 })
        #expect(result.truths.rows == 20 && result.truths.columns == 5)
        #expect(result.highestDensityRanks?.count == 20)
        #expect(result.pValues.count == 5 && result.pValues.allSatisfy { (0 ... 1).contains($0) })
        #expect(try result.expectedCoverage(at: [0, 1]) == [Double(result.highestDensityRanks!.filter { $0 == 0 }.count) / 20, 1])
        // The result does not depend on the estimator object: its posterior gives the same.
        let direct = try SimulationBasedCalibration(testCases: 20, posteriorSamples: 30, seed: 2)
            .run(try npe.posterior, model: try LinearGaussianNPETests.model())
        #expect(direct.ranks == result.ranks && direct.highestDensityRanks == result.highestDensityRanks)
        #expect(result.label == "NPE" && direct.label == nil && result.description.hasPrefix("Simulation-based calibration of NPE"))
    }

    /// GNPE runs through with ranks only: no density, so no highest-density coverage.
    @Test func trainedGNPERunsThroughWithoutDensity() throws {
        let gnpe = try GNPEEstimator(model: GaussianLocationModel().model())
        gnpe.settings = TrainingSettings(maximumEpochs: 2)
        gnpe.trainsInitialNetwork = false
        gnpe.iterations = 4
        try gnpe.appendSimulations(count: 200, seed: 2)
        let plan = SimulationBasedCalibration(testCases: 8, posteriorSamples: 16, seed: 4)
        #expect(throws: EstimatorError.notTrained) { try plan.run(gnpe) }
        try gnpe.train()
        let result = try plan.run(gnpe)
        #expect(result.parameterNames == ["mu", "a"] && result.caseCount == 8 && result.label == "GNPE")
        #expect(result.ranks.allSatisfy { $0.count == 2 && $0.allSatisfy { (0 ... 16).contains($0) } })
        #expect(result.highestDensityRanks == nil && result.highestDensityLevels == nil)
        #expect(throws: CalibrationError.self) { try result.expectedCoverage(at: [0.5]) }
        #expect(throws: CalibrationError.self) { try (try gnpe.posterior).logProbability(of: result.truths, given: [0]) }
        // GNPE samples on all cores itself, so cases run one at a time by default; two workers
        // (each with its own copy of the posterior) give the same result.
        #expect(try gnpe.posterior.samplesOnAllCores && !Self.npeLikeSampler().samplesOnAllCores)
        var twoWorkers = plan
        twoWorkers.maximumConcurrency = 2
        #expect(try twoWorkers.run(gnpe) == result)
    }

    /// Bad input gets typed errors, never a trap.
    @Test func badInputIsRejected() throws {
        let model = try LinearGaussianNPETests.model()
        let exact = Self.gaussianPosterior(scale: 1)
        #expect(throws: CalibrationError.invalidTestCaseCount(0)) {
            try SimulationBasedCalibration(testCases: 0).run(exact, model: model)
        }
        #expect(throws: CalibrationError.invalidTestCaseCount(-3)) {
            try SimulationBasedCalibration(testCases: -3).run(exact, model: model)
        }
        #expect(throws: CalibrationError.tooFewPosteriorSamples(1)) {
            try SimulationBasedCalibration(posteriorSamples: 1).run(exact, model: model)
        }
        #expect(throws: CalibrationError.invalidConcurrency(0)) {
            try SimulationBasedCalibration(maximumConcurrency: 0).run(exact, model: model)
        }
        let renamed = CustomPosterior(parameterNames: ["a"]) { _, _, _ in SampleMatrix(rows: 0, columns: 1) }
        #expect(throws: CalibrationError.self) { try SimulationBasedCalibration(testCases: 2).run(renamed, model: model) }
        #expect(throws: EstimatorError.notTrained) { try SimulationBasedCalibration().run(NPE(model: model)) }
        // A sampler returning the wrong shape: every case fails, the first case's error is thrown.
        let wrong = CustomPosterior(parameterNames: model.parameterNames) { count, _, _ in
            SampleMatrix(rows: count, columns: 4)
        }
        #expect(throws: CalibrationError.invalidSamples(testCase: 0, "expected 10 × 5 samples, got 10 × 4")) {
            try SimulationBasedCalibration(testCases: 4, posteriorSamples: 10).run(wrong, model: model)
        }
        let nan = CustomPosterior(parameterNames: model.parameterNames) { count, _, _ in
            SampleMatrix(rows: count, columns: 5, repeating: .nan)
        }
        #expect(throws: CalibrationError.self) {
            try SimulationBasedCalibration(testCases: 2, posteriorSamples: 10).run(nan, model: model)
        }
        // A given test set that does not fit.
        #expect(throws: CalibrationError.self) {
            try SimulationBasedCalibration().run(exact, prior: model.prior, parameters: SampleMatrix(rows: 3, columns: 5),
                                                 observations: SampleMatrix(rows: 2, columns: 10))
        }
        #expect(throws: CalibrationError.self) {
            try SimulationBasedCalibration().run(exact, prior: model.prior, parameters: SampleMatrix(rows: 0, columns: 5),
                                                 observations: SampleMatrix(rows: 0, columns: 10))
        }
        #expect(throws: CalibrationError.self) {
            try SimulationBasedCalibration().run(exact, prior: model.prior, parameters: SampleMatrix(rows: 1, columns: 5),
                                                 observations: SampleMatrix(rows: 1, columns: 10, repeating: .infinity))
        }
        // Reading a result wrongly.
        let result = try SimulationBasedCalibration(testCases: 5, posteriorSamples: 10).run(exact, model: model)
        #expect(throws: CalibrationError.self) { try result.coverage(parameter: 5, at: [0.5]) }
        #expect(throws: CalibrationError.self) { try result.coverage(parameter: -1, at: [0.5]) }
        #expect(throws: CalibrationError.self) { try result.coverage(parameter: 0, at: [.nan]) }
        #expect(throws: CalibrationError.self) { try result.expectedCoverage(at: [1.5]) }
        #expect(throws: CalibrationError.self) { try RankUniformityTest(ranks: [], rankCount: 10, periodic: false) }
        #expect(throws: CalibrationError.self) { try RankUniformityTest(ranks: [11], rankCount: 10, periodic: false) }
        #expect(throws: CalibrationError.self) { try RankUniformityTest(ranks: [0], rankCount: 0, periodic: false) }
    }

    /// Some cases failing (a leaking posterior) keeps the others and says so.
    @Test func failedCasesAreReportedAndSkipped() throws {
        let model = try LinearGaussianNPETests.model()
        let exact = Self.gaussianPosterior(scale: 1)
        let flaky = CustomPosterior(parameterNames: model.parameterNames) { count, x, seed in
            if x[0] > 0 { throw EstimatorError.invalidArgument("refusing x₀ > 0") }
            return try exact.sample(count: count, given: x, seed: seed)
        }
        let result = try SimulationBasedCalibration(testCases: 40, posteriorSamples: 20, seed: 8).run(flaky, model: model)
        #expect(!result.failedCases.isEmpty && result.caseCount + result.failedCases.count == 40)
        #expect(Set(result.caseNumbers).isDisjoint(with: result.failedCases.map(\.testCase)))
        #expect(result.warnings.contains { $0.contains("sampling failed for \(result.failedCases.count) case(s)") })
        #expect(result.description.contains("warning: sampling failed"))
    }

    /// A given test set: case i is row i, and equals the run that simulated the same rows.
    @Test func givenTestSetMatchesSimulatedOne() throws {
        let model = try LinearGaussianNPETests.model()
        var rng = RandomSource(seed: 1)
        let theta = model.prior.sample(count: 30, using: &rng)
        let batch = try model.simulate(theta, using: &rng)
        let result = try SimulationBasedCalibration(posteriorSamples: 20, seed: 1)
            .run(Self.gaussianPosterior(scale: 1), prior: model.prior, parameters: batch.parameters, observations: batch.data)
        #expect(result.caseCount == 30 && result.caseNumbers == Array(0 ..< 30) && result.truths == theta)
        let simulated = try SimulationBasedCalibration(testCases: 30, posteriorSamples: 20, seed: 1)
            .run(Self.gaussianPosterior(scale: 1), model: model)
        #expect(simulated.truths == theta)
    }

    /// Kolmogorov's and Kuiper's asymptotic laws at known points, and Kuiper's statistic does
    /// not change when the circle is cut elsewhere (ranks rotated).
    @Test func uniformityTestsMatchKnownValues() throws {
        // λ = √n·D for large n: Q_KS(1.36) = 0.0494, Q_KS(1.0) = 0.2700, Q_KS(0.5) = 0.9639;
        // Q_Kuiper(1.747) = 0.0500.
        let n = 100_000_000, root = Double(n).squareRoot()
        #expect(abs(RankUniformityTest.kolmogorovSmirnovPValue(statistic: 1.36 / root, sampleSize: n) - 0.0494) < 5e-4)
        #expect(abs(RankUniformityTest.kolmogorovSmirnovPValue(statistic: 1.0 / root, sampleSize: n) - 0.2700) < 5e-4)
        #expect(abs(RankUniformityTest.kolmogorovSmirnovPValue(statistic: 0.5 / root, sampleSize: n) - 0.9639) < 5e-4)
        #expect(abs(RankUniformityTest.kuiperPValue(statistic: 1.747 / root, sampleSize: n) - 0.0500) < 5e-4)
        #expect(RankUniformityTest.kolmogorovSmirnovPValue(statistic: 0, sampleSize: 10) == 1)
        #expect(RankUniformityTest.kolmogorovSmirnovPValue(statistic: 1, sampleSize: 1000) < 1e-100)
        // Both series agree where the KS p-value switches between them (λ = 1.18; the slope
        // there is about −0.58, so λ ± 10⁻⁷ moves the p-value by 6·10⁻⁸).
        let corrected = root + 0.12 + 0.11 / root
        let below = RankUniformityTest.kolmogorovSmirnovPValue(statistic: (1.18 - 1e-7) / corrected, sampleSize: n)
        let above = RankUniformityTest.kolmogorovSmirnovPValue(statistic: (1.18 + 1e-7) / corrected, sampleSize: n)
        #expect(abs(below - above) < 2e-7 && below > above)
        // Every rank once: the empirical CDF is the uniform law's exactly.
        let flat = try RankUniformityTest(ranks: Array(0 ... 20), rankCount: 20, periodic: false)
        #expect(flat.statistic == 0 && flat.pValue == 1)
        // Kuiper's statistic is invariant under rotating the ranks on the circle 0...L; KS is not.
        var rng = RandomSource(seed: 9)
        let ranks = (0 ..< 200).map { _ in min(Int(20 * rng.nextUniform() * rng.nextUniform() + 2), 20) }
        let rotated = ranks.map { ($0 + 7) % 21 }
        let v = try RankUniformityTest(ranks: ranks, rankCount: 20, periodic: true)
        let w = try RankUniformityTest(ranks: rotated, rankCount: 20, periodic: true)
        #expect(v.kind == .kuiper && abs(v.statistic - w.statistic) < 1e-12)
        let d = try RankUniformityTest(ranks: ranks, rankCount: 20, periodic: false)
        let e = try RankUniformityTest(ranks: rotated, rankCount: 20, periodic: false)
        #expect(abs(d.statistic - e.statistic) > 0.01)
    }
}
