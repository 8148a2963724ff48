import Testing
import TensorCore

@Suite struct OptimizerTests {
    /// Adam and AdamW drive a quadratic bowl to its minimum.
    @Test(arguments: [false, true])
    func adamMinimisesQuadratic(decoupled: Bool) {
        let target: [Float] = [3, -1, 0.5]
        let p = TrainableParameter(name: "p", value: Tensor(zeros: [3]))
        let adam = Adam(parameters: [p], learningRate: 0.1, weightDecay: decoupled ? 1e-4 : 0,
                        decoupledWeightDecay: decoupled)
        for _ in 0..<500 {
            p.zeroGradient()
            let tape = Tape()
            let v = tape.parameter(p)
            let d = tape.subtract(v, tape.constant(Tensor(shape: [3], scalars: target)))
            tape.backward(from: tape.sum(tape.multiply(d, d)))
            adam.step()
        }
        for i in 0..<3 { #expect(abs(p.value.scalars[i] - target[i]) < 0.02) }
    }

    @Test func clippingScalesToMaxNorm() {
        let p = TrainableParameter(name: "p", value: Tensor(zeros: [2]))
        p.gradient = Tensor(shape: [2], scalars: [30, 40])
        let before = [p].clipGradientNorm(to: 5)
        #expect(abs(before - 50) < 1e-3)
        #expect(abs([p].gradientNorm() - 5) < 1e-3)
        #expect(abs(p.gradient.scalars[0] / p.gradient.scalars[1] - 0.75) < 1e-5)
        p.gradient = Tensor(shape: [2], scalars: [0.3, 0.4])
        [p].clipGradientNorm(to: 5)
        #expect(p.gradient.scalars == [0.3, 0.4])
    }

    @Test func cosineScheduleEndpointsAndMidpoint() {
        let s = CosineSchedule(initial: 1e-3, minimum: 1e-5, totalSteps: 100)
        #expect(abs(s.learningRate(at: 0) - 1e-3) < 1e-9)
        #expect(abs(s.learningRate(at: 100) - 1e-5) < 1e-9)
        #expect(abs(s.learningRate(at: 50) - (1e-3 + 1e-5) / 2) < 1e-8)
        #expect(s.learningRate(at: 30) > s.learningRate(at: 31))
    }

    @Test func plateauReducesAfterPatience() {
        var s = PlateauSchedule(initial: 1, factor: 0.5, patience: 2)
        #expect(s.record(loss: 10) == 1)
        #expect(s.record(loss: 9) == 1)
        #expect(s.record(loss: 9.5) == 1)
        #expect(s.record(loss: 9.5) == 1)
        #expect(s.record(loss: 9.5) == 0.5)
        #expect(s.record(loss: 8) == 0.5)
    }

    @Test func flatWeightsRoundTrip() throws {
        var rng = RandomSource(seed: 3)
        let ps = [TrainableParameter(name: "a", value: Tensor(randomNormal: [2, 3], using: &rng)),
                  TrainableParameter(name: "b", value: Tensor(randomNormal: [4], using: &rng))]
        let flat = ps.flattenedValues()
        let saved = ps.values()
        for p in ps { p.value = Tensor(zeros: p.value.shape) }
        try ps.setFlattenedValues(flat)
        #expect(ps.values() == saved)
        #expect(throws: TensorError.self) { try ps.setFlattenedValues([1, 2]) }
        #expect(throws: TensorError.self) { try ps.setValues([Tensor(zeros: [3, 2]), Tensor(zeros: [4])]) }
    }
}

@Suite struct TensorConversionTests {
    @Test func conversionsRoundTrip() throws {
        let t = try Tensor(convertingRows: [[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.column(1) == [2, 5])
        #expect(t.rowArrays() == [[1, 2, 3], [4, 5, 6]])
        #expect(try Tensor(shape: [3, 2], converting: [1, 2, 3, 4, 5, 6]).transposed().scalars == [1, 3, 5, 2, 4, 6])
        #expect(throws: TensorError.self) { try Tensor(convertingRows: [[1], [1, 2]]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], converting: [1]) }
        #expect(Tensor([1, 2]).shape == [2])
        let m = Tensor(rows: [[1, 2], [3, 5]])
        #expect(m.meanAlongBatch().scalars == [2, 3.5])
        #expect(m.standardDeviationAlongBatch().scalars.map { ($0 * 1000).rounded() } == [1414, 2121])
        #expect(m.gatheringRows([1, 1, 0]).scalars == [3, 5, 3, 5, 1, 2])
    }
}
