import Flows
import Foundation
import Testing
import TensorCore
@testable import Inference

/// Every public entry point that takes user data throws a typed error for hostile input and
/// keeps what was already done. Before this suite, several of these calls trapped (SIGILL),
/// which ends a notebook's worker with all of its values; a trap here would crash the test run.
@Suite struct InputValidationTests {
    // MARK: Shared small estimators

    /// A box-model NPE trained for two epochs (seconds).
    static let npe = Result { () throws -> NPE in
        let npe = NPE(model: try NPETests.boxModel())
        NPETests.configureSmall(npe, epochs: 2)
        try npe.appendSimulations(count: 300, seed: 1)
        try npe.train()
        return npe
    }

    /// A location-model GNPE trained for two epochs, without an initialisation network.
    static let gnpe = Result { () throws -> GNPEEstimator in
        let gnpe = try GNPEEstimator(model: GNPETests.locationModel(exact: true))
        gnpe.architecture = FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 2,
                                             embedding: .identity(features: 10), transformCount: 2, hiddenFeatures: 16)
        gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 2e-3, maximumEpochs: 2, seed: 4)
        gnpe.trainsInitialNetwork = false
        try gnpe.appendSimulations(count: 300, seed: 1)
        try gnpe.train()
        return gnpe
    }

    // MARK: Hostile observations, run against every sampler

    /// An observation that is wrong in one way; `position` is the index the error must name.
    struct HostileObservation: CustomTestStringConvertible, Sendable {
        let name: String
        let position: Int?
        let make: @Sendable (_ length: Int) -> [Double]
        var testDescription: String { name }

        static func replacing(_ name: String, at index: Int, with value: Double) -> HostileObservation {
            HostileObservation(name: name, position: index) { length in
                var x = (0..<length).map { 0.1 * Double($0) }
                x[index] = value
                return x
            }
        }
    }

    static let hostileObservations: [HostileObservation] = [
        .replacing("NaN first", at: 0, with: .nan),
        .replacing("+∞ second", at: 1, with: .infinity),
        .replacing("−∞ second", at: 1, with: -.infinity),
        .replacing("too large for Float32", at: 1, with: 1e39),
        HostileObservation(name: "one value short", position: nil) { length in Array(repeating: 0.5, count: length - 1) },
        HostileObservation(name: "one value too many", position: nil) { length in Array(repeating: 0.5, count: length + 1) },
        HostileObservation(name: "empty", position: nil) { _ in [] },
    ]

    /// The message names the index of the first bad value (for the non-finite cases).
    static func expectNamesPosition(_ error: (any Error)?, _ hostile: HostileObservation) {
        guard let error else { return }
        if let position = hostile.position {
            #expect(String(describing: error).contains("\(position)"), "\(hostile.name): \(error)")
        }
    }

    @Test(arguments: hostileObservations)
    func npeSamplingAndDensityRefuseAHostileObservation(_ hostile: HostileObservation) throws {
        let posterior = try Self.npe.get().posterior
        let x = hostile.make(2)
        let sampling = #expect(throws: EstimatorError.self) { try posterior.sample(count: 10, given: x, seed: 1) }
        Self.expectNamesPosition(sampling, hostile)
        let theta = try SampleMatrix(rows: 1, columns: 2, storage: [0.5, 0.5])
        let density = #expect(throws: EstimatorError.self) { try posterior.logProbability(of: theta, given: x) }
        Self.expectNamesPosition(density, hostile)
    }

    @Test(arguments: hostileObservations)
    func gnpeSamplingRefusesAHostileObservation(_ hostile: HostileObservation) throws {
        let posterior = try Self.gnpe.get().posterior
        posterior.printsWarnings = false
        let x = hostile.make(10)
        let error = #expect(throws: GNPEError.self) { try posterior.sample(count: 5, given: x, seed: 1) }
        Self.expectNamesPosition(error, hostile)
    }

    @Test(arguments: hostileObservations)
    func theGibbsSamplerRefusesAHostileObservation(_ hostile: HostileObservation) throws {
        // The bare sampler does not know the data length (its conditional does); a wrong length
        // is caught one level up, by GNPEPosterior (tested above). It checks the values itself.
        guard hostile.position != nil || hostile.name == "empty" else { return }
        let model = GaussianLocationModel()
        let simulationModel = try model.model()
        var rng = RandomSource(seed: 1)
        let error = #expect(throws: GNPEError.self) {
            try GibbsSampler(iterations: 2).sample(
                observation: hostile.make(model.count), equivariance: simulationModel.equivariances[0],
                conditional: LocationModelConditional(model: model, kernelSigma: 0.2),
                initialPoses: try GibbsSampler.initialPoses(fixed: [0], count: 3), using: &rng)
        }
        Self.expectNamesPosition(error, hostile)
    }

    @Test(arguments: hostileObservations)
    func theFlowRefusesAHostileContext(_ hostile: HostileObservation) throws {
        let flow = try Self.npe.get().posterior.flow
        let x = hostile.make(2)
        let context = Tensor(shape: [1, x.count], scalars: x.map(Float.init))
        var rng = RandomSource(seed: 1)
        #expect(throws: FlowError.self) { try flow.sample(count: 4, given: context, using: &rng) }
        let theta = Tensor(shape: [1, 2], scalars: [0.5, 0.5])
        #expect(throws: FlowError.self) { try flow.logProbability(of: theta, given: context) }
    }

    // MARK: Hostile parameter vectors

    @Test func densitiesRefuseParametersOfTheWrongWidthOrNonFinite() throws {
        let posterior = try Self.npe.get().posterior
        let x = [0.4, 0.6]
        let wide = try SampleMatrix(rows: 1, columns: 3, storage: [0.5, 0.5, 0.5])
        #expect(throws: EstimatorError.self) { try posterior.logProbability(of: wide, given: x) }
        let nan = try SampleMatrix(rows: 2, columns: 2, storage: [0.5, 0.5, 0.5, .nan])
        let error = #expect(throws: EstimatorError.self) { try posterior.logProbability(of: nan, given: x) }
        #expect(error?.description.contains("θ[1, 1] (b)") == true, "\(String(describing: error))")
        #expect(try posterior.logProbability(of: SampleMatrix(rows: 0, columns: 2), given: x).isEmpty)

        let prior = posterior.prior
        #expect(throws: ModelError.wrongParameterCount(expected: 2, found: 1)) { try prior.logDensity(of: [0.5]) }
        #expect(throws: ModelError.self) { try prior.logDensity(of: [0.5, .infinity]) }
        #expect(try prior.logDensity(of: [0.5, 0.5]) == 0)
    }

    // MARK: Counts

    @Test func samplingCountsAreChecked() throws {
        let posterior = try Self.npe.get().posterior
        let x = [0.4, 0.6]
        let none = try posterior.sample(count: 0, given: x, seed: 1)
        #expect(none.rows == 0 && none.columns == 2)
        #expect(throws: EstimatorError.invalidArgument("count must be ≥ 0, got -1")) { try posterior.sample(count: -1, given: x, seed: 1) }
        let huge = #expect(throws: InsufficientMemoryError.self) { try posterior.sample(count: 1 << 40, given: x, seed: 1) }
        #expect((huge?.requestedBytes ?? 0) >= (1 << 40) * 2 * 8)
        #expect(huge?.description.contains("bytes") == true)
        // Absurd counts overflow `count * dimension`; the estimate saturates instead of trapping.
        #expect(throws: InsufficientMemoryError.self) { try posterior.sample(count: Int.max, given: x, seed: 1) }

        var rng = RandomSource(seed: 1)
        let context = Tensor(shape: [1, 2], scalars: [0.4, 0.6])
        #expect(throws: InsufficientMemoryError.self) { try posterior.flow.sample(count: 1 << 40, given: context, using: &rng) }
        #expect(throws: FlowError.self) { try posterior.flow.sample(count: -3, given: context, using: &rng) }
        #expect(try posterior.flow.sample(count: 0, given: context, using: &rng).count == 0)

        let gnpe = try Self.gnpe.get().posterior
        gnpe.printsWarnings = false
        let y = Array(repeating: 0.5, count: 10)
        #expect(try gnpe.sample(count: 0, given: y, seed: 1).rows == 0)
        #expect(throws: GNPEError.invalidCount(-2)) { try gnpe.sample(count: -2, given: y, seed: 1) }
        #expect(throws: InsufficientMemoryError.self) { try gnpe.sample(count: 1 << 40, given: y, seed: 1) }
    }

    @Test func theReferenceSamplerChecksItsParticleCount() throws {
        let prior = try JointPrior([("a", Uniform(0, 1))])
        var rng = RandomSource(seed: 1)
        #expect(throws: SamplingError.self) { try TemperedSMCSampler().sample(count: 1, prior: prior, using: &rng) { _ in 0 } }
        #expect(throws: SamplingError.self) { try TemperedSMCSampler().sample(count: -5, prior: prior, using: &rng) { _ in 0 } }
        #expect(throws: SamplingError.self) {
            try TemperedSMCSampler(targetESSFraction: .nan).sample(count: 10, prior: prior, using: &rng) { _ in 0 }
        }
        #expect(throws: InsufficientMemoryError.self) { try TemperedSMCSampler().sample(count: 1 << 40, prior: prior, using: &rng) { _ in 0 } }
    }

    // MARK: Importance sampling

    @Test func importanceSamplingRefusesHostileSamples() throws {
        let prior = try JointPrior([("a", Normal(0, 1))])
        let logPrior: ([Double]) throws -> Double = { try prior.logDensity(of: $0) }
        let ok = try SampleMatrix(rows: 3, columns: 1, storage: [0, 1, 2])
        let nan = try SampleMatrix(rows: 3, columns: 1, storage: [0, .nan, 2])
        let error = #expect(throws: SamplingError.self) {
            try ImportanceSampling(samples: nan, proposalLogDensities: [0, 0, 0], logPrior: logPrior) { _ in 0 }
        }
        #expect(error?.description.contains("θ[1, 0]") == true)
        #expect(throws: SamplingError.self) {
            try ImportanceSampling(samples: ok, proposalLogDensities: [0, .nan, 0], logPrior: logPrior) { _ in 0 }
        }
        #expect(throws: SamplingError.self) {
            try ImportanceSampling(samples: SampleMatrix(rows: 0, columns: 1), proposalLogDensities: [], logPrior: logPrior) { _ in 0 }
        }
        // θ of the wrong width reaches the prior, whose error comes back unchanged.
        let wide = try SampleMatrix(rows: 2, columns: 2, storage: [0, 0, 1, 1])
        #expect(throws: ModelError.wrongParameterCount(expected: 1, found: 2)) {
            try ImportanceSampling(samples: wide, proposalLogDensities: [0, 0], logPrior: logPrior) { _ in 0 }
        }
        let weighted = try ImportanceSampling(samples: ok, proposalLogDensities: [0, 0, 0], logPrior: logPrior) { _ in 0 }
        var rng = RandomSource(seed: 1)
        #expect(try weighted.resampledIndices(count: 0, using: &rng).isEmpty)
        #expect(throws: SamplingError.self) { try weighted.resampledIndices(count: -1, using: &rng) }
        #expect(throws: SamplingError.self) { try ImportanceSampling(logWeights: [0, .nan]) }
    }

    @Test func anInterruptedImportanceSamplingKeepsTheSamplesWeighedSoFar() throws {
        let prior = try JointPrior([("a", Normal(0, 1))])
        let n = 2 * ImportanceSampling.chunkSize + 10
        var rng = RandomSource(seed: 3)
        let samples = prior.sample(count: n, using: &rng)
        let logQ = try (0..<n).map { i in try prior.logDensity(of: samples.row(i)) }
        let source = InterruptionSource(afterCheckpoints: 2)
        let error = #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(source) {
                try ImportanceSampling(samples: samples, proposalLogDensities: logQ, logPrior: { try prior.logDensity(of: $0) }) { _ in 0 }
            }
        }
        let partial = try #require(error?.partialResult as? ImportanceSampling)
        #expect(partial.logWeights.count == 2 * ImportanceSampling.chunkSize)
        #expect(abs(partial.sampleEfficiency - 1) < 1e-9)  // q = π and L = 1: all weights equal
        #expect(partial.weightedMean(of: samples).count == 1)
    }

    // MARK: Sample matrices and proxies

    @Test func rowsOfTheWrongLengthOrPlaceThrowAndLeaveTheMatrixUnchanged() throws {
        var m = try SampleMatrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        let before = m
        #expect(throws: DataFormatError.self) { try m.setRow(0, to: [7, 8]) }
        #expect(throws: DataFormatError.self) { try m.setRow(2, to: [7, 8, 9]) }
        #expect(throws: DataFormatError.self) { try m.setRow(-1, to: [7, 8, 9]) }
        #expect(throws: DataFormatError.self) { try m.append(row: [7, 8, 9, 10]) }
        #expect(m == before)
        try m.setRow(1, to: [7, 8, 9])
        try m.append(row: [0, 0, 1])
        #expect(m.rows == 3 && m.row(1) == [7, 8, 9] && m.row(2) == [0, 0, 1])
    }

    @Test func proxiesRefusePosesAndParametersOfTheWrongWidth() throws {
        let equivariance = try #require(GNPETests.locationModel(exact: false).equivariances.first)
        var rng = RandomSource(seed: 1)
        #expect(throws: DataFormatError.self) {
            try equivariance.proxies(forPoses: SampleMatrix(rows: 4, columns: 2), using: &rng)
        }
        #expect(throws: ModelError.self) { try equivariance.proxies(for: SampleMatrix(rows: 4, columns: 0), using: &rng) }
        let proxies = try equivariance.proxies(forPoses: SampleMatrix(rows: 4, columns: 1), using: &rng)
        #expect(proxies.rows == 4 && proxies.columns == 1)
    }

    // MARK: c2st

    @Test func c2stNamesTheFirstNonFiniteValue() throws {
        let a = try SampleMatrix(rows: 10, columns: 2, storage: (0..<20).map(Double.init))
        var b = a
        b[7, 1] = .nan
        let error = #expect(throws: EstimatorError.self) { try c2st(a, b) }
        #expect(error?.description.contains("second set, row 7, column 1") == true, "\(String(describing: error))")
        #expect(throws: EstimatorError.self) { try c2st(SampleMatrix(rows: 0, columns: 2), a) }
        #expect(throws: EstimatorError.self) { try c2st(a, SampleMatrix(rows: 0, columns: 2)) }
        #expect(throws: EstimatorError.self) { try ClassifierTwoSampleTest(folds: 1).accuracy(a, a) }
    }

    // MARK: Training

    @Test func trainingWithTooFewOrDegenerateSimulationsThrows() throws {
        let model = try NPETests.boxModel()
        let empty = NPE(model: model)
        #expect(throws: EstimatorError.noSimulations) { try empty.train() }

        let prior = try JointPrior([("a", Uniform(0, 1)), ("b", Uniform(0, 1))])
        let one = try NPE(prior: prior, observationLength: 2)
        NPETests.configureSmall(one, epochs: 2)
        _ = try one.appendSimulations(parameters: SampleMatrix(rows: 1, columns: 2, repeating: 0.5),
                                      data: SampleMatrix(rows: 1, columns: 2, repeating: 1))
        #expect(throws: TrainingError.self) { try one.train() }
        #expect(throws: EstimatorError.notTrained) { try one.posterior }

        // Identical simulations: z-scoring sees zero variance (scale 1), the density is a spike.
        let same = try NPE(prior: prior, observationLength: 2)
        NPETests.configureSmall(same, epochs: 3)
        _ = try same.appendSimulations(parameters: SampleMatrix(rows: 100, columns: 2, repeating: 0.5),
                                       data: SampleMatrix(rows: 100, columns: 2, repeating: 1))
        do {
            try same.train()
            let draws = try same.posterior.sample(count: 20, given: [1, 1], seed: 1)
            #expect(draws.rows == 20 && draws.storage.allSatisfy(\.isFinite))
        } catch is TrainingError {
            // A spike can drive the loss to −∞: a typed error, not a trap.
        } catch is EstimatorError {
            // Or no sample lands inside the prior's support: also a typed error.
        }
    }

    @Test func extremeButValidSettingsDoNotOverflow() throws {
        let npe = NPE(model: try NPETests.boxModel())
        NPETests.configureSmall(npe, epochs: 2)
        try npe.appendSimulations(count: 200, seed: 1)
        npe.settings.batchSize = Int.max  // one batch per epoch; `n + batchSize − 1` used to overflow
        #expect(try npe.train().epochCount == 2)
        // maximumEpochs × steps per epoch used to overflow in the cosine schedule.
        npe.settings.batchSize = 50
        npe.settings.maximumEpochs = Int.max
        npe.settings.learningRateSchedule = .cosine()
        #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 8)) { try npe.train() }
        }
        #expect(npe.history?.epochCount == 1)
    }

    @Test func anInterruptDuringTrainingKeepsTheBestWeightsAndTheHistory() throws {
        let npe = NPE(model: try NPETests.boxModel())
        NPETests.configureSmall(npe, epochs: 10)
        npe.settings.batchSize = 50
        try npe.appendSimulations(count: 300, seed: 1)
        // 270 training rows in batches of 50: 1 + 6 checkpoints per epoch; stop in epoch 3.
        let source = InterruptionSource(afterCheckpoints: 2 * 7 + 3)
        let error = #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(source) { try npe.train() }
        }
        let partial = try #require(error?.partialResult as? TrainingHistory)
        #expect(partial.epochCount == 2)
        #expect(partial.warnings.contains { $0.contains("interrupted") })
        let kept = try #require(npe.history)
        #expect(kept.epochCount == 2 && (1...2).contains(kept.bestEpoch))
        let samples = try npe.posterior.sample(count: 50, given: [0.5, 0.5], seed: 2)
        #expect(samples.rows == 50 && samples.storage.allSatisfy(\.isFinite))

        // Interrupted before any epoch completes: the estimator keeps what it had (nothing here).
        let fresh = NPE(model: try NPETests.boxModel())
        NPETests.configureSmall(fresh, epochs: 10)
        try fresh.appendSimulations(count: 300, seed: 1)
        #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 0)) { try fresh.train() }
        }
        #expect(throws: EstimatorError.notTrained) { try fresh.posterior }
    }

    @Test func anInterruptedGibbsRunKeepsTheChainsState() throws {
        let posterior = try Self.gnpe.get().posterior
        posterior.printsWarnings = false
        posterior.rejectsOutsidePrior = false  // one checkpoint per iteration
        posterior.iterations = 6
        posterior.initialization = .fixed([0.5])
        let x = Array(repeating: 0.5, count: 10)
        let error = #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(InterruptionSource(afterCheckpoints: 2)) {
                try posterior.sample(count: 40, given: x, seed: 1)
            }
        }
        let partial = try #require(error?.partialResult as? GibbsSampler.Result)
        #expect(partial.samples.rows == 40 && partial.samples.columns == 2)
        #expect(partial.proxies.rows == 40)
        #expect(partial.diagnostics.drift.count == 1)  // two complete iterations: one drift step
        #expect(posterior.interruptedRun?.samples == partial.samples)
        // Continuing from the kept state works and clears it.
        posterior.initialization = .samples(partial.samples.selecting(columns: [0]))
        #expect(try posterior.sample(count: 40, given: x, seed: 2).rows == 40)
        #expect(posterior.interruptedRun == nil)
    }

    // MARK: Priors

    @Test(arguments: [
        ("Uniform(5, 1)", Uniform(5, 1) as any Distribution),
        ("Uniform(0, ∞)", Uniform(0, .infinity)),
        ("Uniform(NaN, 1)", Uniform(.nan, 1)),
        ("LogUniform(-1, 2)", LogUniform(-1, 2)),
        ("LogUniform(2, 2)", LogUniform(2, 2)),
        ("Normal(0, 0)", Normal(0, 0)),
        ("Normal(0, -1)", Normal(0, -1)),
        ("Normal(NaN, 1)", Normal(.nan, 1)),
        ("Normal(0, ∞)", Normal(0, .infinity)),
    ] as [(String, any Distribution)])
    func anInvalidPriorIsRefusedWhenTheModelIsBuilt(name: String, prior: any Distribution) throws {
        let error = #expect(throws: ModelError.self, "\(name)") {
            try SimulationModel {
                Parameter("ok", Normal(0, 1))
                Parameter("broken", prior)
                Simulator(outputLength: 1) { θ, _ in [θ[0]] }
            }
        }
        #expect(error?.description.contains("'broken'") == true, "\(name): \(String(describing: error))")
    }
}

/// Poses, times and rates far outside anything sensible reach `Int(_:)` conversions inside the
/// models and groups; they must give values (or NaN), not traps.
@Suite struct ExtremeValueTests {
    @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e300, 1e18])
    func theOscillatorSurvivesAnyOnsetTime(t0: Double) {
        let x = DampedOscillator.signal(omega0: 2, beta: 0.2, t0: 0)
        let logL = DampedOscillator.logLikelihood(of: [2, 0.2, t0], observation: x)
        #expect(!(logL == .infinity))
        #expect(DampedOscillator.logLikelihood(of: [2, 0.2], observation: x).isNaN)
        #expect(DampedOscillator.logLikelihood(of: [2, 0.2, 0], observation: [1, 2]).isNaN)
    }

    @Test(arguments: [Double.nan, 1e300, -1e300, 1e18, -7.3])
    func timeTranslationSurvivesAnyProxy(proxy: Double) throws {
        for interpolation in [TimeTranslation.Interpolation.linear, .cubic, .wholeSamples] {
            let model = try DampedOscillator.model(interpolation: interpolation)
            let equivariance = model.equivariances[0]
            let x = DampedOscillator.signal(omega0: 2, beta: 0.2, t0: 0)
            let standardized = equivariance.standardising(x, proxy: [proxy])
            #expect(standardized.count == x.count)
            if proxy.isFinite { #expect(standardized.allSatisfy { $0.isFinite }) }
        }
    }

    @Test(arguments: [0.0, -1, .nan, 2])
    func anImpossibleAcceptanceRateIsRefused(rate: Double) throws {
        let posterior = try InputValidationTests.npe.get().posterior
        posterior.minimumAcceptanceRate = rate
        #expect(throws: EstimatorError.self) { try posterior.sample(count: 10, given: [0.5, 0.5], seed: 1) }
    }
}
