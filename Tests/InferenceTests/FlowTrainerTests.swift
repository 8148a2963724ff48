import Flows
import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct FlowTrainerTests {
    /// θ | x ~ 𝒩(2x, 0.5²) with x ~ 𝒩(0, 1): `[n, 1]` each.
    static func conditionalGaussian(count: Int, seed: UInt64) -> (theta: Tensor, x: Tensor) {
        var rng = RandomSource(seed: seed)
        var theta = [Float](), x = [Float]()
        for _ in 0..<count {
            let xi = rng.nextNormal()
            x.append(Float(xi))
            theta.append(Float(2 * xi + 0.5 * rng.nextNormal()))
        }
        return (Tensor(shape: [count, 1], scalars: theta), Tensor(shape: [count, 1], scalars: x))
    }

    static func smallFlow(seed: UInt64 = 0) throws -> ConditionalFlow {
        try ConditionalFlow(architecture: FlowArchitecture(
            kind: .maskedAutoregressive, parameterFeatures: 1, embedding: .identity(features: 1),
            transformCount: 2, hiddenFeatures: 16, seed: seed))
    }

    @Test func learnsAConditionalGaussianAndRestoresTheBestWeights() throws {
        let data = Self.conditionalGaussian(count: 2000, seed: 1)
        let flow = try Self.smallFlow()
        var validationRows = [Int]()
        let trainer = FlowTrainer(settings: TrainingSettings(batchSize: 100, learningRate: 5e-3, maximumEpochs: 40))
        let history = try trainer.train(flow, exampleCount: 2000) { rows, _, _ in
            if rows.count == 200 { validationRows = rows }
            return (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
        }
        // The entropy of 𝒩(·, 0.5²) is the lowest achievable expected loss.
        let entropy = 0.5 * log(2 * Double.pi * 0.25) + 0.5
        let best = try #require(history.bestValidationLoss)
        #expect(abs(best - entropy) < 0.1, "best validation loss \(best), analytic \(entropy)")
        #expect(history.validationLoss.first! > best)
        // The flow holds the best epoch's weights: its validation loss is the best one.
        let final = try flow.loss(of: data.theta.gatheringRows(validationRows), given: data.x.gatheringRows(validationRows))
        #expect(abs(Double(final) - best) < 1e-5)
        #expect(history.trainingLoss.count == history.validationLoss.count)
        #expect(history.stoppedEarly == (history.epochCount < 40))
    }

    @Test func asksForFixedDisjointRowsEveryEpochAndIsReproducible() throws {
        let data = Self.conditionalGaussian(count: 300, seed: 2)
        var calls = [(rows: [Int], epoch: Int)]()
        var draws = [Double]()
        func run() throws -> TrainingHistory {
            let trainer = FlowTrainer(settings: TrainingSettings(batchSize: 50, maximumEpochs: 3, seed: 7))
            return try trainer.train(try Self.smallFlow(), exampleCount: 300) { rows, epoch, rng in
                calls.append((rows, epoch))
                draws.append(rng.nextUniform())
                return (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
            }
        }
        let first = try run()
        #expect(calls.map(\.epoch) == [1, 1, 2, 2, 3, 3])
        let training = Set(calls[0].rows), validation = Set(calls[1].rows)
        #expect(validation.count == 30 && training.count == 270)
        #expect(training.isDisjoint(with: validation) && training.union(validation) == Set(0..<300))
        #expect(calls[2].rows == calls[0].rows && calls[5].rows == calls[1].rows)
        #expect(Set(draws).count == draws.count, "the closure's generator advances across calls")
        calls.removeAll()
        let second = try run()
        #expect(first.trainingLoss == second.trainingLoss && first.validationLoss == second.validationLoss)
    }

    @Test func stopsEarlyAfterThePatienceRunsOut() throws {
        // θ independent of x on few examples with a large step: the validation loss soon stops improving.
        var rng = RandomSource(seed: 3)
        let theta = Tensor(randomNormal: [60, 1], using: &rng), x = Tensor(randomNormal: [60, 1], using: &rng)
        let settings = TrainingSettings(batchSize: 10, learningRate: 2e-2, validationFraction: 0.2,
                                        stopAfterEpochsWithoutImprovement: 3, maximumEpochs: 200)
        let history = try FlowTrainer(settings: settings).train(try Self.smallFlow(), exampleCount: 60) { rows, _, _ in
            (theta.gatheringRows(rows), x.gatheringRows(rows))
        }
        #expect(history.stoppedEarly)
        #expect(history.epochCount == history.bestEpoch + 3)
        let best = try #require(history.bestValidationLoss)
        #expect(history.validationLoss.allSatisfy { $0 >= best })
    }

    @Test func stopsAtItsTimeLimitKeepingTheBestWeights() throws {
        let data = Self.conditionalGaussian(count: 400, seed: 4)
        var settings = TrainingSettings(batchSize: 50, learningRate: 5e-3, maximumEpochs: 500)
        settings.maximumTrainingSeconds = 1e-6  // past after the first epoch
        let history = try FlowTrainer(settings: settings).train(try Self.smallFlow(), exampleCount: 400) { rows, _, _ in
            (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
        }
        #expect(history.epochCount == 1)
        #expect(history.stoppedEarly)
        #expect(history.warnings.contains { $0.contains("time limit") })
        // The limit round-trips through the settings' encoding; an absent one stays absent.
        let decoded = try JSONDecoder().decode(TrainingSettings.self, from: JSONEncoder().encode(settings))
        #expect(decoded.maximumTrainingSeconds == 1e-6)
        let plain = String(decoding: try JSONEncoder().encode(TrainingSettings()), as: UTF8.self)
        #expect(!plain.contains("maximumTrainingSeconds"))
        for bad in [0, -5, Double.nan] {
            settings.maximumTrainingSeconds = bad
            #expect(throws: TrainingError.self) { try settings.validate() }
        }
    }

    @Test func cosineScheduleAnnealsOverTheTimeLimitWhenItComesFirst() throws {
        let data = Self.conditionalGaussian(count: 400, seed: 4)
        var settings = TrainingSettings(batchSize: 50, learningRate: 5e-3, maximumEpochs: 500,
                                        learningRateSchedule: .cosine(minimumFraction: 0.1))
        var rates = [Double]()
        func run() throws {
            rates = []
            _ = try FlowTrainer(settings: settings).train(
                try Self.smallFlow(), exampleCount: 400,
                examples: { rows, _, _ in (data.theta.gatheringRows(rows), data.x.gatheringRows(rows)) },
                progress: { rates.append($0.learningRate) })
        }
        // Without a time limit, one epoch of 500 barely moves the rate.
        settings.maximumEpochs = 500
        settings.stopAfterEpochsWithoutImprovement = 1
        try run()
        #expect(rates[0] > 0.99 * 5e-3)
        // With a limit already past, the schedule is at its end: the minimum rate.
        settings.maximumTrainingSeconds = 1e-6
        try run()
        #expect(rates.count == 1)
        #expect(abs(rates[0] - 5e-4) < 1e-9)
        // The state itself: the later of step and time progress wins.
        let state = ScheduleState(.cosine(minimumFraction: 0), initial: 1, maximumEpochs: 10, stepsPerEpoch: 10)
        #expect(abs(state.learningRate(atStep: 0, elapsedFraction: 0.5) - 0.5) < 1e-6)
        #expect(abs(state.learningRate(atStep: 50, elapsedFraction: 0.1) - 0.5) < 1e-6)
        #expect(state.learningRate(atStep: 0, elapsedFraction: nil) == 1)
    }

    @Test func reportsProgressEveryEpoch() throws {
        let data = Self.conditionalGaussian(count: 200, seed: 4)
        var reports = [EpochReport]()
        let history = try FlowTrainer(settings: TrainingSettings(maximumEpochs: 4)).train(
            try Self.smallFlow(), exampleCount: 200,
            examples: { rows, _, _ in (data.theta.gatheringRows(rows), data.x.gatheringRows(rows)) },
            progress: { reports.append($0) })
        #expect(reports.map(\.epoch) == Array(1...history.epochCount))
        #expect(reports.map(\.validationLoss) == history.validationLoss)
        #expect(reports.last!.bestValidationLoss == history.bestValidationLoss)
        #expect(reports.allSatisfy { $0.maximumEpochs == 4 })
    }

    @Test func rejectsBadInputWithClearErrors() throws {
        let data = Self.conditionalGaussian(count: 100, seed: 5)
        let flow = try Self.smallFlow()
        let examples: ([Int], Int, inout RandomSource) throws -> (parameters: Tensor, context: Tensor) = { rows, _, _ in
            (data.theta.gatheringRows(rows), data.x.gatheringRows(rows))
        }
        #expect(throws: TrainingError.tooFewExamples(count: 9, validationFraction: 0.1)) {
            try FlowTrainer().train(flow, exampleCount: 9, examples: examples)
        }
        #expect(throws: TrainingError.self) {
            try FlowTrainer(settings: TrainingSettings(batchSize: 0)).train(flow, exampleCount: 100, examples: examples)
        }
        #expect(throws: TrainingError.self) {
            try FlowTrainer().train(flow, exampleCount: 100) { rows, _, _ in
                (Tensor(zeros: [rows.count, 2]), data.x.gatheringRows(rows))
            }
        }
        // NaN parameters without z-scoring make the loss NaN in the first epoch.
        #expect(throws: TrainingError.nonFiniteLoss(epoch: 1)) {
            try FlowTrainer().train(flow, exampleCount: 100, fitStandardization: false) { rows, _, _ in
                (Tensor(repeating: .nan, shape: [rows.count, 1]), data.x.gatheringRows(rows))
            }
        }
        #expect(TrainingError.tooFewExamples(count: 9, validationFraction: 0.1).description.contains("9 examples"))
    }

    @Test func reduceOnPlateauHalvesTheRateAfterThePatienceRunsOut() throws {
        // θ independent of x with a large step: the validation loss stalls early and often.
        var rng = RandomSource(seed: 8)
        let theta = Tensor(randomNormal: [100, 1], using: &rng), x = Tensor(randomNormal: [100, 1], using: &rng)
        let settings = TrainingSettings(batchSize: 20, learningRate: 1e-2, validationFraction: 0.2,
                                        stopAfterEpochsWithoutImprovement: 1_000, maximumEpochs: 60,
                                        learningRateSchedule: .reduceOnPlateau(factor: 0.5, patience: 2, minimumFraction: 0.1))
        var reports = [EpochReport]()
        _ = try FlowTrainer(settings: settings).train(
            try Self.smallFlow(), exampleCount: 100,
            examples: { rows, _, _ in (theta.gatheringRows(rows), x.gatheringRows(rows)) },
            progress: { reports.append($0) })
        #expect(reports.first!.learningRate == Double(Float(1e-2)))
        // Replay the rule on the reported losses: the rate halves (not below 10⁻³) once more than
        // 2 epochs in a row brought no relative improvement of 10⁻⁴.
        var expected = Float(1e-2), best = Float.infinity, stale = 0
        for (k, report) in reports.enumerated() {
            #expect(abs(report.learningRate - Double(expected)) < 1e-9, "epoch \(k + 1)")
            let loss = Float(report.validationLoss)
            if loss < best - abs(best) * 1e-4 || best == .infinity { best = loss; stale = 0 } else {
                stale += 1
                if stale > 2 { expected = max(expected * 0.5, Float(1e-3)); stale = 0 }
            }
        }
        #expect(reports.last!.learningRate < 1e-2, "the loss never stalled for 3 epochs in 60")
        #expect(reports.map(\.learningRate).min()! >= Double(Float(1e-3)) - 1e-12)
    }

    @Test func cosineScheduleFallsToItsMinimumOverTheRun() throws {
        let data = Self.conditionalGaussian(count: 500, seed: 9)
        let settings = TrainingSettings(batchSize: 100, learningRate: 1e-3, stopAfterEpochsWithoutImprovement: 1_000,
                                        maximumEpochs: 10, learningRateSchedule: .cosine(minimumFraction: 0.1))
        var reports = [EpochReport]()
        _ = try FlowTrainer(settings: settings).train(
            try Self.smallFlow(), exampleCount: 500,
            examples: { rows, _, _ in (data.theta.gatheringRows(rows), data.x.gatheringRows(rows)) },
            progress: { reports.append($0) })
        // 450 training examples in batches of 100: 5 steps per epoch, 50 in all.
        for report in reports {
            let t = Double(report.epoch * 5 - 1) / 50
            let expected = 1e-4 + 0.5 * (1e-3 - 1e-4) * (1 + cos(Double.pi * t))
            #expect(abs(report.learningRate - expected) < 1e-8, "epoch \(report.epoch)")
        }
        #expect(reports.map(\.learningRate) == reports.map(\.learningRate).sorted(by: >))
    }

    @Test func scheduleAndWeightDecaySettingsAreCheckedAndStored() throws {
        #expect(throws: TrainingError.invalidSettings("reduceOnPlateau factor must be strictly between 0 and 1, got 1.5")) {
            try TrainingSettings(learningRateSchedule: .reduceOnPlateau(factor: 1.5)).validate()
        }
        #expect(throws: TrainingError.invalidSettings("reduceOnPlateau patience must be ≥ 1, got 0")) {
            try TrainingSettings(learningRateSchedule: .reduceOnPlateau(patience: 0)).validate()
        }
        #expect(throws: TrainingError.invalidSettings("cosine minimumFraction must be in [0, 1], got -0.5")) {
            try TrainingSettings(learningRateSchedule: .cosine(minimumFraction: -0.5)).validate()
        }
        #expect(throws: TrainingError.invalidSettings("weightDecay must be a non-negative number, got -0.1")) {
            try TrainingSettings(weightDecay: -0.1).validate()
        }
        // Round trip, and settings written before the schedule existed still decode (as constant).
        let settings = TrainingSettings(maximumEpochs: 7, learningRateSchedule: .reduceOnPlateau(factor: 0.3, patience: 4),
                                        weightDecay: 0.01)
        let decoded = try JSONDecoder().decode(TrainingSettings.self, from: JSONEncoder().encode(settings))
        #expect(decoded == settings)
        let old = #"{"batchSize":200,"learningRate":0.0005,"validationFraction":0.1,"stopAfterEpochsWithoutImprovement":20,"maximumEpochs":1000,"gradientClipNorm":5,"seed":0}"#
        let legacy = try JSONDecoder().decode(TrainingSettings.self, from: Data(old.utf8))
        #expect(legacy == TrainingSettings())
    }
}
