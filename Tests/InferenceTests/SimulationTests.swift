import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct SimulationTests {
    static func noisyModel() throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Parameter("b", Normal(0, 1))
            Simulator(outputLength: 5) { θ, rng in (0 ..< 5).map { θ[0] * Double($0) + θ[1] + 0.01 * rng.nextNormal() } }
            NoiseModel.gaussian(sigma: 0.5)
        }
    }

    @Test func batchSimulationIsReproducibleAndIndependentOfScheduling() throws {
        let model = try Self.noisyModel()
        var rng = RandomSource(seed: 99)
        let theta = model.prior.sample(count: 1000, using: &rng)
        var r1 = RandomSource(seed: 5), r2 = RandomSource(seed: 5)
        let a = try model.simulate(theta, using: &r1)
        let b = try model.simulate(theta, using: &r2)
        #expect(a.data == b.data)
        // Row i is the sequential simulation with stream i: no dependence on which thread ran it.
        var r3 = RandomSource(seed: 5)
        let base = RandomSource(seed: r3.next())
        for i in stride(from: 0, to: 1000, by: 37) {
            var s = base.stream(i)
            #expect(try model.simulate(theta.row(i), using: &s) == a.data.row(i))
        }
        // Different seeds give different noise.
        var r4 = RandomSource(seed: 6)
        #expect(try model.simulate(theta, using: &r4).data != a.data)
    }

    @Test func noiseModelsCanBeLeftOut() throws {
        let model = try Self.noisyModel()
        var rng = RandomSource(seed: 1)
        let theta = SampleMatrix(rows: 4000, columns: 2, repeating: 0.5)
        let noisy = try model.simulate(theta, using: &rng).data.storage
        let clean = try model.simulate(theta, using: &rng, includeNoise: false).data.storage
        let signal = (0 ..< 4000).flatMap { _ in (0 ..< 5).map { 0.5 * Double($0) + 0.5 } }
        let sd = { (v: [Double]) in (zip(v, signal).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(v.count)).squareRoot() }
        #expect(abs(sd(clean) - 0.01) < 0.001)
        #expect(abs(sd(noisy) - (0.25 + 0.0001).squareRoot()) < 0.01)
    }

    static func faultyModel() throws -> SimulationModel {
        try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 3) { θ, _ in
                if θ[0] > 0.9 { return [1, 2] }
                return θ[0] > 0.7 ? [0, .nan, 1] : [θ[0], 1, 2]
            }
        }
    }

    @Test func invalidSimulationsThrowWithTheOffendingParameters() throws {
        let model = try Self.faultyModel()
        let theta = try SampleMatrix(rows: 4, columns: 1, storage: [0.1, 0.8, 0.2, 0.95])
        var rng = RandomSource(seed: 2)
        #expect(throws: ModelError.self) {
            try model.simulate(theta, using: &rng)
        }
        do {
            _ = try model.simulate(theta, using: &rng)
            Issue.record("no error thrown")
        } catch let e as ModelError {
            guard case let .nonFiniteOutput(index, t, _) = e else { Issue.record("\(e)"); return }
            #expect(index == 1 && t == [0.8])
            #expect(e.description.contains("0.8"))
        }
        let single = try SampleMatrix(rows: 1, columns: 1, storage: [0.95])
        #expect(throws: ModelError.wrongOutputLength(expected: 3, found: 2, theta: [0.95])) { try model.simulate(single, using: &rng) }
    }

    @Test func invalidSimulationsCanBeDroppedAndCounted() throws {
        let model = try Self.faultyModel()
        let theta = try SampleMatrix(rows: 5, columns: 1, storage: [0.1, 0.8, 0.2, 0.95, 0.3])
        var rng = RandomSource(seed: 2)
        let result = try model.simulate(theta, using: &rng, invalid: .drop)
        #expect(result.droppedCount == 2)
        #expect(result.dropped.map(\.row) == [1, 3])
        #expect(result.parameters.column(0) == [0.1, 0.2, 0.3])
        #expect(result.data.column(0) == [0.1, 0.2, 0.3])
        #expect(result.warning?.contains("2 simulation(s) dropped") == true)
    }

    @Test func wrongParameterWidthIsRejected() throws {
        let model = try Self.noisyModel()
        var rng = RandomSource(seed: 1)
        #expect(throws: ModelError.wrongParameterCount(expected: 2, found: 3)) {
            try model.simulate(SampleMatrix(rows: 2, columns: 3), using: &rng)
        }
    }
}

@Suite struct BatchSimulatorTests {
    static func model(wrongWidth: Bool = false) throws -> SimulationModel {
        try SimulationModel {
            Parameter("mu", Normal(0, 1))
            Simulator.batched(outputLength: 3) { θ, rng in
                var x = SampleMatrix(rows: θ.rows, columns: wrongWidth ? 2 : 3)
                for i in 0 ..< θ.rows { for j in 0 ..< x.columns { x[i, j] = θ[i, 0] + Double(j) + 0.001 * rng.nextNormal() } }
                return x
            }
            NoiseModel.gaussian(sigma: 0.1)
        }
    }

    @Test func batchSimulatorsRunInChunksAndAreReproducible() throws {
        let model = try Self.model()
        var rng = RandomSource(seed: 3)
        let theta = model.prior.sample(count: 1000, using: &rng)
        var r1 = RandomSource(seed: 8), r2 = RandomSource(seed: 8)
        let a = try model.simulate(theta, using: &r1), b = try model.simulate(theta, using: &r2)
        #expect(a.data == b.data && a.data.rows == 1000)
        let clean = try model.simulate(theta, using: &r1, includeNoise: false)
        for i in 0 ..< 1000 {
            for j in 0 ..< 3 { #expect(abs(clean.data[i, j] - theta[i, 0] - Double(j)) < 0.01) }
        }
        // One θ through the batch function.
        var r3 = RandomSource(seed: 1)
        #expect(try model.simulate([0.5], using: &r3, includeNoise: false).count == 3)
    }

    @Test func batchSimulatorsWithTheWrongWidthAreReported() throws {
        let model = try Self.model(wrongWidth: true)
        var rng = RandomSource(seed: 3)
        let theta = try SampleMatrix(rows: 2, columns: 1, storage: [0.25, 0.5])
        #expect(throws: ModelError.wrongOutputLength(expected: 3, found: 2, theta: [0.25])) { try model.simulate(theta, using: &rng) }
        let dropped = try model.simulate(theta, using: &rng, invalid: .drop)
        #expect(dropped.droppedCount == 2 && dropped.data.rows == 0)
    }
}
