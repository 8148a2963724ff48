import Foundation
import Testing
import TensorCore
@testable import Flows

@Suite struct FlowAPITests {
    @Test(arguments: flowCases)
    func stateRoundTripsThroughJSON(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 2, seed: 21)
        try flow.fitStandardization(parameters: randomTensor([50, 2], seed: 1, scale: 3),
                                    observations: randomTensor([50, 2], seed: 2, scale: 2))
        let data = try JSONEncoder().encode(try flow.state())
        let copy = try ConditionalFlow(state: try JSONDecoder().decode(ConditionalFlow.State.self, from: data))
        let theta = randomTensor([5, 2], seed: 3), x = randomTensor([5, 2], seed: 4)
        #expect(try copy.logProbability(of: theta, given: x) == flow.logProbability(of: theta, given: x))
        #expect(copy.parameters.map(\.name) == flow.parameters.map(\.name))
    }

    @Test(arguments: flowCases)
    func sameSeedSameSamples(_ c: FlowCase) throws {
        let a = try c.makeFlow(features: 2, seed: 5), b = try c.makeFlow(features: 2, seed: 5)
        var r1 = RandomSource(seed: 9), r2 = RandomSource(seed: 9)
        let obs = Tensor(shape: [2], scalars: [0.1, 0.2])
        #expect(try a.sample(count: 10, given: obs, using: &r1) == b.sample(count: 10, given: obs, using: &r2))
    }

    @Test func batchSamplingUsesEachRowsObservation() throws {
        let flow = try flowCases[0].makeFlow(features: 2)
        var rng = RandomSource(seed: 1)
        let x = randomTensor([6, 2], seed: 2)
        let s = try flow.sample(given: x, using: &rng)
        #expect(s.shape == [6, 2])
        // Same base draw through the per-row path equals the shared-context path row by row.
        var r1 = RandomSource(seed: 3)
        let z = Tensor(randomNormal: [1, 2], using: &r1)
        for r in 0..<6 {
            let xr = x.slicingRows(r..<r + 1)
            let single = try flow.inverse(z, given: xr)
            let batch = try flow.inverse(Tensor(shape: [6, 2], scalars: Array(repeating: z.scalars, count: 6).flatMap { $0 }), given: x)
            #expect(abs(single[0, 0] - batch[r, 0]) < 1e-5 && abs(single[0, 1] - batch[r, 1]) < 1e-5)
        }
    }

    @Test func badShapesThrowNamedErrors() throws {
        let flow = try flowCases[0].makeFlow(features: 2)
        #expect(throws: FlowError.self) { try flow.logProbability(of: Tensor(zeros: [3, 5]), given: Tensor(zeros: [3, 2])) }
        #expect(throws: FlowError.self) { try flow.logProbability(of: Tensor(zeros: [3, 2]), given: Tensor(zeros: [2, 2])) }
        var rng = RandomSource(seed: 1)
        #expect(throws: FlowError.self) { try flow.sample(count: 3, given: Tensor(zeros: [7]), using: &rng) }
        #expect(throws: FlowError.self) {
            try ConditionalFlow(architecture: FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: 0,
                                                               embedding: .identity(features: 1)))
        }
        #expect(throws: FlowError.self) { try flow.setWeights([]) }
    }

    /// A tempered flow (base 𝒩(0, τ²I)) is a proper density that its sampler draws from:
    /// τ = 1 is the flow draw for draw; log q_τ − log q₁ = ½|z|²(1 − 1/τ²) − d log τ at the
    /// forward image z; and the importance identities E_{q_τ}[q₁/q_τ] = 1 and E_{q₁}[q_τ/q₁] = 1
    /// (τ = 1.4 and 0.8, where the ratios are bounded) hold within five standard errors.
    @Test(arguments: flowCases)
    func temperedFlowIsADensityItsSamplerDrawsFrom(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 3)
        let x = Tensor(shape: [1, 2], scalars: [0.4, -0.7])
        let n = 20_000
        let xs = Tensor(shape: [n, 2], scalars: Array(repeating: x.scalars, count: n).flatMap { $0 })
        var a = RandomSource(seed: 4), b = RandomSource(seed: 4)
        let plain = try flow.sample(given: xs.slicingRows(0..<50), using: &a)
        #expect(try flow.sample(given: xs.slicingRows(0..<50), temperature: 1, using: &b) == plain)
        #expect(try flow.logProbability(of: plain, given: x, temperature: 1) == flow.logProbability(of: plain, given: x))

        let d = Float(3)
        for tau: Float in [1.4, 0.8] {
            var rng = RandomSource(seed: 11)
            let (draws, sampler) = tau > 1
                ? (try flow.sample(given: xs, temperature: tau, using: &rng), tau)
                : (try flow.sample(given: xs, using: &rng), 1)
            let logTempered = try flow.logProbability(of: draws, given: x, temperature: tau).scalars
            let logPlain = try flow.logProbability(of: draws, given: x).scalars
            let (z, _) = try flow.forward(draws.slicingRows(0..<200), given: xs.slicingRows(0..<200))
            for i in 0..<200 {
                let norm = (0..<3).reduce(Float(0)) { $0 + z[i, $1] * z[i, $1] }
                let expected = 0.5 * norm * (1 - 1 / (tau * tau)) - d * Float.log(tau)
                #expect(abs((logTempered[i] - logPlain[i]) - expected) < 2e-3 * max(1, abs(expected)))
            }
            // The ratio of the other density to the sampler's, averaged over the sampler's draws.
            let ratios = (0..<n).map { i in
                Foundation.exp(Double(sampler == 1 ? logTempered[i] - logPlain[i] : logPlain[i] - logTempered[i]))
            }
            let mean = ratios.reduce(0, +) / Double(n)
            let se = (ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1) / Double(n)).squareRoot()
            #expect(abs(mean - 1) < 5 * se + 1e-3, "τ = \(tau): E[ratio] = \(mean) ± \(se)")
        }
        var rng = RandomSource(seed: 1)
        for bad: Float in [0, -1, .nan, .infinity] {
            #expect(throws: FlowError.self) { try flow.sample(given: xs.slicingRows(0..<2), temperature: bad, using: &rng) }
            #expect(throws: FlowError.self) { try flow.logProbability(of: plain, given: x, temperature: bad) }
        }
    }

    @Test func parametersHaveStableUniqueNames() throws {
        let flow = try flowCases[0].makeFlow(features: 3)
        let names = flow.parameters.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.first!.hasPrefix("embedding."))
        #expect(flow.parameters.scalarCount == flow.weights.reduce(0) { $0 + $1.count })
    }
}

@Suite struct SharedContextSamplingTests {
    /// Sampling many points for one observation (which computes the context-only first pass
    /// once) equals inverting the same base points with the observation repeated per row.
    @Test(arguments: flowCases)
    func sharedContextMatchesRepeatedContext(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 3)
        let z = randomTensor([7, 3], seed: 12)
        let one = Tensor(shape: [1, 2], scalars: [0.3, -1.1])
        let repeated = Tensor(shape: [7, 2], scalars: Array(repeating: one.scalars, count: 7).flatMap { $0 })
        let shared = try flow.inverse(z, given: one), perRow = try flow.inverse(z, given: repeated)
        #expect(zip(shared.scalars, perRow.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        let (back, _) = try flow.forward(shared, given: repeated)
        #expect(zip(back.scalars, z.scalars).allSatisfy { abs($0 - $1) < 1e-3 })
    }
}

@Suite struct ChunkingTests {
    /// Chunked density evaluation and sampling (beyond 32,768 rows) agree with the unchunked
    /// computation.
    /// Batches beyond ``ConditionalFlow/parallelRows`` are inverted in parts on all cores: every
    /// row equals the same row inverted in a small batch alone, with per-row and shared contexts.
    @Test(arguments: flowCases)
    func partsOnAllCoresEqualRowsAlone(_ c: FlowCase) throws {
        let flow = try c.makeFlow(features: 2, seed: 8)
        let n = 2 * ConditionalFlow.parallelRows + 37   // three parts, the last one short
        let z = randomTensor([n, 2], seed: 5), x = randomTensor([n, 2], seed: 6)
        let shared = Tensor(shape: [1, 2], scalars: [0.3, -0.4])
        let whole = try flow.inverse(z, given: x), wholeShared = try flow.inverse(z, given: shared)
        #expect(whole.shape == [n, 2] && wholeShared.shape == [n, 2])
        for rows in [0..<5, ConditionalFlow.parallelRows - 2..<ConditionalFlow.parallelRows + 3, n - 6..<n] {
            let alone = try flow.inverse(z.slicingRows(rows), given: x.slicingRows(rows))
            let aloneShared = try flow.inverse(z.slicingRows(rows), given: shared)
            #expect(zip(whole.slicingRows(rows).scalars, alone.scalars).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) },
                    "rows \(rows), per-row context")
            #expect(zip(wholeShared.slicingRows(rows).scalars, aloneShared.scalars).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) },
                    "rows \(rows), shared context")
        }
        // Sampling with one observation per row goes through the same parts.
        var r1 = RandomSource(seed: 2), r2 = RandomSource(seed: 2)
        let samples = try flow.sample(given: x, using: &r1)
        let base = Tensor(randomNormal: [n, 2], using: &r2)
        let last = try flow.inverse(base.slicingRows(n - 6..<n), given: x.slicingRows(n - 6..<n))
        #expect(zip(samples.slicingRows(n - 6..<n).scalars, last.scalars).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    }

    @Test func largeBatchesMatchSmallOnes() throws {
        let flow = try FlowCase(kind: .maskedAutoregressive, mixing: .reversePermutation).makeFlow(features: 2, transforms: 1)
        let n = ConditionalFlow.chunkSize + 100
        let theta = randomTensor([n, 2], seed: 1)
        let obs = Tensor(shape: [1, 2], scalars: [0.2, 0.1])
        let all = try flow.logProbability(of: theta, given: obs)
        let tail = try flow.logProbability(of: theta.slicingRows(n - 100..<n), given: obs)
        #expect(all.shape == [n])
        #expect(Array(all.scalars.suffix(100)) == tail.scalars)
        var r1 = RandomSource(seed: 4), r2 = RandomSource(seed: 4)
        let big = try flow.sample(count: n, given: obs, using: &r1)
        let z = Tensor(randomNormal: [n, 2], using: &r2)
        let direct = try flow.inverse(z.slicingRows(n - 100..<n), given: obs)
        #expect(zip(big.slicingRows(n - 100..<n).scalars, direct.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}

@Suite struct InputValidationTests {
    @Test func nonFiniteTrainingDataIsRejected() throws {
        let flow = try flowCases[0].makeFlow(features: 2)
        var theta = randomTensor([10, 2], seed: 1)
        theta.scalars[3] = .nan
        #expect(throws: FlowError.self) { try flow.fitStandardization(parameters: theta, observations: randomTensor([10, 2], seed: 2)) }
        var x = randomTensor([10, 2], seed: 2)
        x.scalars[0] = .infinity
        #expect(throws: FlowError.self) { try flow.fitStandardization(parameters: randomTensor([10, 2], seed: 1), observations: x) }
    }

    @Test func singleVectorsAreOneRowBatches() throws {
        let flow = try flowCases[0].makeFlow(features: 2)
        let theta = Tensor([0.3, -0.2]), x = Tensor([1.0, 0.5])
        let a = try flow.logProbability(of: theta, given: x)
        let b = try flow.logProbability(of: theta.reshaped(to: [1, 2]), given: x.reshaped(to: [1, 2]))
        #expect(a.shape == [1] && a == b)
    }
}
