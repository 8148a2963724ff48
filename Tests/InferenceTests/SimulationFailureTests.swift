import Foundation
import Synchronization
import TensorCore
import Testing

@testable import Inference

/// `appendSimulations(count:seed:)` with simulators that fail: wrong lengths, NaN, thrown
/// errors, requests too large for memory, interrupts.
@Suite struct SimulationFailureTests {
    struct InvalidParameters: Error, CustomStringConvertible {
        var value: Double
        var description: String { "invalid parameters (a = \(value))" }
    }

    @Test func wrongOutputLengthStopsTheRunAndKeepsTheSimulationsBefore() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Parameter("b", Normal(0, 1))
            Simulator(outputLength: 3) { θ, _ in θ[0] > 0.9 ? [θ[0]] : [θ[0], θ[1], 1] }
        }
        let npe = NPE(model: model)
        var rng = RandomSource(seed: 1)
        let theta = model.prior.sample(count: 2000, using: &rng)
        let firstBad = try #require((0..<2000).first { theta[$0, 0] > 0.9 })
        do {
            try npe.appendSimulations(count: 2000, seed: 1)
            Issue.record("no error")
        } catch let error as SimulationError {
            guard
                case .wrongOutputLength(let expected, let found, let named, let simulation, let count, let kept) = error
            else {
                Issue.record("\(error)")
                return
            }
            #expect(expected == 3 && found == 1 && count == 2000)
            #expect(simulation == firstBad + 1)
            #expect(named.names == ["a", "b"] && named.values == theta.row(firstBad))
            #expect(kept == firstBad && npe.simulationCount == firstBad)
            let samePrefix = npe.parameters.storage == Array(theta.storage[..<(firstBad * 2)])
            #expect(samePrefix)
            let message = error.description
            #expect(message.contains("a = ") && message.contains("b = ") && message.contains("expected 3"))
            #expect(message.contains("kept \(Count.grouped(firstBad)) simulations made before the failure"))
        }
    }

    @Test func nonFiniteSimulationsAreDroppedCountedAndNamed() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in θ[0] > 0.7 ? [1, .nan] : [θ[0], 1] }
        }
        let npe = NPE(model: model)
        var rng = RandomSource(seed: 4)
        let theta = model.prior.sample(count: 3000, using: &rng)
        let bad = (0..<3000).filter { theta[$0, 0] > 0.7 }
        let kept = try npe.appendSimulations(count: 3000, seed: 4)
        #expect(kept == 3000 - bad.count && npe.simulationCount == kept)
        #expect(npe.discardedSimulationCount == bad.count)
        let warning = try #require(npe.warnings.last)
        #expect(warning.contains("\(Count.grouped(bad.count)) of 3,000 simulations were dropped"))
        #expect(warning.contains("a = \(Count.short(theta[bad[0], 0]))"))
        #expect(warning.contains("nan at output index 1"))
    }

    @Test func thrownErrorsAreDroppedAndReported() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in
                guard θ[0] < 0.5 else { throw InvalidParameters(value: θ[0]) }
                return [θ[0], 1]
            }
        }
        let npe = NPE(model: model)
        var rng = RandomSource(seed: 5)
        let theta = model.prior.sample(count: 1000, using: &rng)
        let bad = (0..<1000).filter { theta[$0, 0] >= 0.5 }
        #expect(try npe.appendSimulations(count: 1000, seed: 5) == 1000 - bad.count)
        #expect(npe.discardedSimulationCount == bad.count)
        let warning = try #require(npe.warnings.last)
        #expect(warning.contains("\(bad.count) threw") && warning.contains("invalid parameters (a = "))
        // The non-throwing form of the DSL still works alongside (the closure above throws).
        let plain = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 1) { θ, _ in [θ[0]] }
        }
        var r = RandomSource(seed: 1)
        #expect(try plain.simulate([0.25], using: &r) == [0.25])
    }

    @Test func theMatrixInterfaceReportsThrownErrorsAsModelErrors() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 1) { θ, _ in
                guard θ[0] < 0.5 else { throw InvalidParameters(value: θ[0]) }
                return [θ[0]]
            }
        }
        let theta = try SampleMatrix(rows: 3, columns: 1, storage: [0.1, 0.75, 0.2])
        var rng = RandomSource(seed: 1)
        #expect(throws: ModelError.simulatorThrew(theta: [0.75], error: "invalid parameters (a = 0.75)")) {
            try model.simulate(theta, using: &rng)
        }
        let dropped = try model.simulate(theta, using: &rng, invalid: .drop)
        #expect(dropped.dropped.map(\.row) == [1] && dropped.data.column(0) == [0.1, 0.2])
    }

    @Test(arguments: [false, true])
    func appendSimulationsGivesTheMatrixEnginesSimulations(batched: Bool) throws {
        let model = batched ? try BatchSimulatorTests.model() : try SimulationTests.noisyModel()
        var rng = RandomSource(seed: 21)
        let expected = try model.simulateFromPrior(count: 2500, using: &rng)
        let npe = NPE(model: model)
        try npe.appendSimulations(count: 2500, seed: 21)
        // x is stored as Float32.
        let identical = npe.parameters == expected.parameters && npe.data.storage == expected.data.storage.map { Double(Float($0)) }
        #expect(identical)
    }

    @Test func aSimulatorThatAlwaysThrowsStopsEarly() throws {
        final class Counter: Sendable { let value = Atomic<Int>(0) }
        let calls = Counter()
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in
                calls.value.add(1, ordering: .relaxed)
                throw InvalidParameters(value: θ[0])
            }
        }
        let npe = NPE(model: model)
        #expect {
            try npe.appendSimulations(count: 100_000, seed: 2)
        } throws: { error in
            guard let e = error as? SimulationError,
                case .everySimulationThrew(let attempts, let theta, let message, _) = e
            else { return false }
            return attempts >= 100 && theta.names == ["a"] && message.contains("invalid parameters")
        }
        #expect(calls.value.load(ordering: .relaxed) < 10_000)
        #expect(npe.simulationCount == 0)
    }

    @Test func requestsThatCannotFitInMemoryAreRefusedBeforeAllocating() throws {
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 200) { _, _ in [Double](repeating: 0, count: 200) }
        }
        let npe = NPE(model: model)
        let required = SimulationMemory.requiredBytes(
            count: 100_000_000, existing: 0, parameterCount: 1, outputLength: 200)
        #expect(required > 2 * 4 * 100_000_000 * 200)  // x (Float32) in the run and in the store
        guard let (available, _) = SimulationMemory.available() else { return }
        #expect(available > 0)
        // 10¹³ simulations of 200 values: petabytes, more than any machine here has.
        #expect {
            try npe.appendSimulations(count: 10_000_000_000_000, seed: 1)
        } throws: { error in
            guard let e = error as? SimulationError, case .insufficientMemory(let shortfall) = e else { return false }
            return shortfall.requiredBytes > shortfall.availableBytes && e.description.contains("need about")
                && e.description.contains("are available")
        }
        #expect(npe.simulationCount == 0)
    }

    @Test func anInterruptKeepsTheFinishedSimulationsAndTheSameCallContinues() throws {
        let model = try SessionTests.model()
        let reference = NPE(model: model)
        try reference.appendSimulations(count: 3000, seed: 9)
        let npe = NPE(model: model)
        do {
            try SimulationRun.$interruptionRowForTesting.withValue(1234) {
                try npe.appendSimulations(count: 3000, seed: 9)
            }
            Issue.record("no interruption")
        } catch let error as InterruptedError {
            #expect(error.description.contains("kept the \(Count.grouped(npe.simulationCount)) simulations"))
        }
        #expect(npe.simulationCount > 0 && npe.simulationCount <= 1234)
        let samePrefix = npe.parameters.storage == Array(reference.parameters.storage[..<(npe.simulationCount * 3)])
        #expect(samePrefix)
        #expect(try npe.appendSimulations(count: 3000, seed: 9) == 3000)
        let identical = npe.parameters == reference.parameters && npe.data == reference.data
        #expect(identical)
    }
}
