import Flows
import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct NPETests {
    /// θ ~ U(0, 1)², x = θ + 𝒩(0, 0.3²) per component (two values): posteriors near the edges
    /// of the box leak outside it.
    static func boxModel() throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Parameter("b", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, rng in [θ[0] + 0.3 * rng.nextNormal(), θ[1] + 0.3 * rng.nextNormal()] }
        }
    }

    /// A small flow so that tests train in seconds.
    static func configureSmall(_ npe: NPE, epochs: Int = 15) {
        npe.architecture.transformCount = 2
        npe.architecture.hiddenFeatures = 24
        npe.architecture.embedding = .identity(features: npe.observationLength)
        npe.settings.maximumEpochs = epochs
        npe.settings.learningRate = 3e-3
    }

    /// A trained estimator on the box model, for the saving tests.
    static func trainedBoxNPE() throws -> NPE {
        let npe = NPE(model: try boxModel())
        configureSmall(npe)
        try npe.appendSimulations(count: 2000, seed: 1)
        try npe.train()
        return npe
    }

    @Test func dropsAndCountsNonFiniteSimulations() throws {
        let prior = try JointPrior([("a", Uniform(0, 1)), ("b", Uniform(0, 1))])
        let npe = try NPE(prior: prior, observationLength: 2)
        Self.configureSmall(npe, epochs: 2)
        var rng = RandomSource(seed: 2)
        var theta = prior.sample(count: 500, using: &rng)
        var x = SampleMatrix(rows: 500, columns: 2)
        for i in 0..<500 { try x.setRow(i, to: [theta[i, 0] + 0.1 * rng.nextNormal(), theta[i, 1]]) }
        x[3, 1] = .nan
        x[10, 0] = .infinity
        theta[20, 1] = -.infinity
        #expect(try npe.appendSimulations(parameters: theta, data: x) == 497)
        #expect(npe.simulationCount == 497 && npe.discardedSimulationCount == 3)
        #expect(!npe.data.storage.contains { !$0.isFinite } && !npe.parameters.storage.contains { !$0.isFinite })
        let history = try npe.train()
        #expect(history.discardedSimulationCount == 3)
        #expect(history.warnings.count == 1 && history.warnings[0].contains("3 of 500"))
    }

    @Test func dropsInvalidSimulationsOfAModel() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 1) { θ, _ in [θ[0] > 0.8 ? .nan : θ[0]] }
        }
        let npe = NPE(model: model)
        let kept = try npe.appendSimulations(count: 1000, seed: 3)
        #expect(kept == npe.simulationCount && npe.discardedSimulationCount == 1000 - kept)
        #expect(kept > 700 && kept < 900)   // about 80 % of U(0, 1) lies below 0.8
    }

    @Test func rejectsSamplesOutsideThePriorAndReportsTheAcceptanceRate() throws {
        let npe = try Self.trainedBoxNPE()
        let posterior = try npe.posterior
        #expect(posterior.parameterNames == ["a", "b"])
        // x at the corner: the flow's approximation puts some mass outside [0, 1]².
        let samples = try posterior.sample(count: 2000, given: [1, 1], seed: 4)
        #expect(samples.rows == 2000 && samples.columns == 2)
        #expect(samples.storage.allSatisfy { (0...1).contains($0) })
        let rate = try #require(posterior.lastAcceptanceRate)
        #expect(rate < 1, "acceptance \(rate)")
        // Same seed, same samples.
        #expect(try posterior.sample(count: 2000, given: [1, 1], seed: 4) == samples)
        // Without rejection the flow's own draws leave the box.
        posterior.rejectsOutsidePrior = false
        let raw = try posterior.sample(count: 4000, given: [1, 1], seed: 40)
        #expect(raw.storage.contains { $0 > 1 })
        #expect(posterior.lastAcceptanceRate == 1)
        // The acceptance rate estimates the flow's mass inside the box.
        let inside = Double((0..<raw.rows).filter { npe.prior.contains(raw.row($0)) }.count) / Double(raw.rows)
        #expect(abs(inside - rate) < 0.04, "inside \(inside), acceptance \(rate)")
        // In the middle almost nothing is rejected.
        posterior.rejectsOutsidePrior = true
        _ = try posterior.sample(count: 2000, given: [0.5, 0.5], seed: 5)
        #expect(try #require(posterior.lastAcceptanceRate) > 0.9)
    }

    @Test func aFlowBoundedByThePriorNeverLeavesItAndSurvivesSaving() throws {
        let npe = NPE(model: try Self.boxModel())
        Self.configureSmall(npe)
        npe.architecture.parameterSupport = npe.priorSupport
        #expect(npe.priorSupport.intervals == [0 ... 1, 0 ... 1])
        try npe.appendSimulations(count: 2000, seed: 1)
        try npe.train()
        let posterior = try npe.posterior
        posterior.rejectsOutsidePrior = false
        let raw = try posterior.sample(count: 4000, given: [1, 1], seed: 40)
        #expect(raw.storage.allSatisfy { (0...1).contains($0) }, "the logistic map keeps every draw inside")
        // The density is −∞ outside the box and finite inside; the support is saved with the flow.
        let outside = try posterior.logProbability(of: SampleMatrix(rows: 1, columns: 2, storage: [1.2, 0.5]), given: [1, 1])
        #expect(outside[0] == -.infinity)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bounded-\(UUID().uuidString).npe")
        defer { try? FileManager.default.removeItem(at: file) }
        try npe.save(to: file)
        let loaded = try NPE.load(from: file, prior: npe.prior)
        #expect(loaded.architecture.parameterSupport == npe.priorSupport)
        #expect(try loaded.posterior.sample(count: 100, given: [1, 1], seed: 3) == (try npe.posterior.sample(count: 100, given: [1, 1], seed: 3)))
        // Training data outside the declared support are named, not turned into an infinite loss.
        let narrow = try NPE(prior: npe.prior, observationLength: 2)
        Self.configureSmall(narrow, epochs: 1)
        narrow.architecture.parameterSupport = ParameterSupport(intervals: [0 ... 0.5, nil])
        try narrow.appendSimulations(parameters: npe.parameters, data: npe.data)
        #expect(throws: FlowError.self) { try narrow.train() }
    }

    @Test func throwsWhenTooFewSamplesAreAccepted() throws {
        let posterior = try Self.trainedBoxNPE().posterior
        posterior.minimumAcceptanceRate = 0.9
        posterior.minimumProposalsBeforeGivingUp = 1000
        #expect {
            try posterior.sample(count: 5000, given: [1, 1], seed: 6)
        } throws: { error in
            guard case EstimatorError.acceptanceRateTooLow(let rate, _, _)? = error as? EstimatorError else { return false }
            return rate < 0.9
        }
    }

    @Test func logProbabilityIsTheFlowsInsideTheSupportAndMinusInfinityOutside() throws {
        let npe = try Self.trainedBoxNPE()
        let posterior = try npe.posterior
        let theta = try SampleMatrix(stacking: [[0.5, 0.5], [1.5, 0.5], [0.9, 0.2]])
        let values = try posterior.logProbability(of: theta, given: [0.6, 0.4])
        #expect(values[1] == -.infinity)
        let flow = try #require(npe.flow)
        let direct = try flow.logProbability(of: Tensor(shape: [3, 2], scalars: theta.floatStorage),
                                             given: Tensor(shape: [1, 2], scalars: [0.6, 0.4]))
        #expect(values[0] == Double(direct.scalars[0]) && values[2] == Double(direct.scalars[2]))
        // The posterior mean near x = (0.6, 0.4) is close to x (noise 0.3, flat prior): not a flat density.
        #expect(values[0] > values[2] - 10 && values[0].isFinite)
    }

    @Test func misuseGivesClearErrors() throws {
        let prior = try JointPrior([("a", Uniform(0, 1))])
        let npe = try NPE(prior: prior, observationLength: 3)
        #expect(throws: EstimatorError.noSimulations) { try npe.train() }
        #expect(throws: EstimatorError.notTrained) { try npe.posterior }
        #expect(throws: EstimatorError.noModel) { try npe.appendSimulations(count: 10, seed: 1) }
        #expect(throws: EstimatorError.self) {
            try npe.appendSimulations(parameters: SampleMatrix(rows: 2, columns: 2), data: SampleMatrix(rows: 2, columns: 3))
        }
        #expect(throws: EstimatorError.self) {
            try npe.appendSimulations(parameters: SampleMatrix(rows: 2, columns: 1), data: SampleMatrix(rows: 3, columns: 3))
        }
        #expect(throws: EstimatorError.self) { try NPE(prior: prior, observationLength: 0) }
        let trained = try Self.trainedBoxNPE()
        #expect(throws: EstimatorError.self) { try trained.posterior.sample(count: 10, given: [1, 2, 3], seed: 1) }
        #expect(EstimatorError.noModel.description.contains("appendSimulations(parameters:data:)"))
    }

    @Test func theNeuralSplineFlowIsOneLineAway() throws {
        let npe = NPE(model: try Self.boxModel())
        Self.configureSmall(npe, epochs: 2)
        npe.architecture.kind = .neuralSpline
        try npe.appendSimulations(count: 300, seed: 9)
        try npe.train()
        #expect(npe.flow?.architecture.kind == .neuralSpline)
        #expect(try npe.posterior.sample(count: 10, given: [0.5, 0.5], seed: 1).rows == 10)
    }
}
