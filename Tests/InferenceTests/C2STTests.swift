import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct C2STTests {
    /// `count` draws from 𝒩(shift, I) in `dimension` dimensions.
    static func gaussian(count: Int, dimension: Int, shift: [Double] = [], seed: UInt64) -> SampleMatrix {
        var rng = RandomSource(seed: seed)
        var m = SampleMatrix(rows: count, columns: dimension)
        for i in 0..<count {
            for j in 0..<dimension { m[i, j] = rng.nextNormal() + (j < shift.count ? shift[j] : 0) }
        }
        return m
    }

    @Test func samplesFromOneDistributionScoreAboutOneHalf() throws {
        let a = Self.gaussian(count: 2000, dimension: 3, seed: 1)
        let b = Self.gaussian(count: 2000, dimension: 3, seed: 2)
        let score = try c2st(a, b)
        #expect(abs(score - 0.5) < 0.03, "c2st \(score)")
    }

    @Test func separatedSamplesScoreNearlyOne() throws {
        let a = Self.gaussian(count: 1000, dimension: 2, seed: 3)
        let b = Self.gaussian(count: 1000, dimension: 2, shift: [5], seed: 4)
        let score = try c2st(a, b)
        #expect(score > 0.95, "c2st \(score)")
    }

    @Test func aOneSigmaShiftScoresNearTheBayesAccuracy() throws {
        // Two unit Gaussians 1σ apart: the best classifier (threshold at 0.5) is right with
        // probability Φ(0.5) ≈ 0.691; a learned one is at most that, up to sampling noise.
        let a = Self.gaussian(count: 2000, dimension: 2, seed: 5)
        let b = Self.gaussian(count: 2000, dimension: 2, shift: [1], seed: 6)
        let bayes = 0.5 * (1 + erf(0.5 / 2.0.squareRoot()))
        let score = try c2st(a, b)
        #expect(score > bayes - 0.04 && score < bayes + 0.025, "c2st \(score), Bayes accuracy \(bayes)")
    }

    @Test func isReproducibleAndRejectsBadInput() throws {
        let a = Self.gaussian(count: 300, dimension: 2, seed: 7)
        let b = Self.gaussian(count: 300, dimension: 2, shift: [0.5], seed: 8)
        #expect(try c2st(a, b, seed: 4) == (try c2st(a, b, seed: 4)))
        #expect(throws: EstimatorError.self) { try c2st(a, Self.gaussian(count: 10, dimension: 3, seed: 1)) }
        var bad = b
        bad[0, 0] = .nan
        #expect(throws: EstimatorError.self) { try c2st(a, bad) }
        #expect(throws: EstimatorError.self) { try ClassifierTwoSampleTest(folds: 1).accuracy(a, b) }
    }
}
