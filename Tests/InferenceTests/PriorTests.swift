import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct PriorTests {
    static let distributions: [any Distribution] = [Uniform(1, 5), Normal(-2, 0.5), LogUniform(0.1, 10)]

    @Test(arguments: 0 ..< 3)
    func samplingMatchesMeanAndVariance(_ index: Int) throws {
        let d = Self.distributions[index]
        var rng = RandomSource(seed: 7)
        let n = 40_000
        let xs = d.sample(count: n, using: &rng)
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let m = try #require(d.mean), v = try #require(d.variance)
        #expect(abs(mean - m) < 5 * (v / Double(n)).squareRoot(), "\(d): mean \(mean) vs \(m)")
        #expect(abs(variance / v - 1) < 0.05, "\(d): variance \(variance) vs \(v)")
        #expect(xs.allSatisfy { d.contains($0) })
    }

    @Test(arguments: 0 ..< 3)
    func densityIntegratesToOne(_ index: Int) {
        let d = Self.distributions[index]
        let lo = max(d.support.lowerBound, -10), hi = min(d.support.upperBound, 10)
        let steps = 200_000
        let h = (hi - lo) / Double(steps)
        var total = 0.0
        for k in 0 ..< steps { total += exp(d.logDensity(of: lo + (Double(k) + 0.5) * h)) * h }
        #expect(abs(total - 1) < 1e-3, "\(d) integrates to \(total)")
        #expect(d.logDensity(of: hi + 100) == -.infinity || d.support.upperBound == .infinity)
    }

    @Test(arguments: [
        (Uniform(5, 1) as any Distribution, "low < high"),
        (Uniform(1, 1), "low < high"),
        (Uniform(-.infinity, 1), "finite"),
        (Normal(0, 0), "σ > 0"),
        (Normal(0, -1), "σ > 0"),
        (Normal(.nan, 1), "finite mean"),
        (LogUniform(0, 1), "low > 0"),
        (LogUniform(2, 1), "low < high"),
    ])
    func invalidPriorsNameTheParameter(_ prior: any Distribution, _ fragment: String) {
        do {
            _ = try JointPrior([("omega0", Uniform(1, 5)), ("width", prior)])
            Issue.record("\(prior) was accepted")
        } catch let error as ModelError {
            guard case let .invalidPrior(parameter, reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(parameter == "width")
            #expect(reason.contains(fragment), "\(reason)")
            #expect(error.description.contains("'width'"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func duplicateAndEmptyNamesAreRejected() {
        #expect(throws: ModelError.duplicateParameter("a")) { try JointPrior([("a", Uniform(0, 1)), ("a", Normal(0, 1))]) }
        #expect(throws: ModelError.invalidParameterName(" ")) { try JointPrior([(" ", Uniform(0, 1))]) }
        #expect(throws: ModelError.noParameters) { try JointPrior([]) }
    }

    @Test func jointPriorDensityIsTheSumOfMarginals() throws {
        let p = try JointPrior([("a", Uniform(0, 2)), ("b", Normal(1, 2))])
        let theta = [0.5, 3.0]
        #expect(abs(try p.logDensity(of: theta) - (Uniform(0, 2).logDensity(of: 0.5) + Normal(1, 2).logDensity(of: 3))) < 1e-12)
        #expect(try p.logDensity(of: [2.5, 0]) == -.infinity)
        #expect(!p.contains([2.5, 0]) && p.contains(theta))
        var rng = RandomSource(seed: 1)
        let batch = p.sample(count: 1000, using: &rng)
        #expect(batch.rows == 1000 && batch.columns == 2)
        #expect(batch.column(0).allSatisfy { (0 ... 2).contains($0) })
    }

    /// A user-written prior by conformance.
    struct Exponential: Distribution {
        var rate: Double
        func sample(using rng: inout RandomSource) -> Double { -log(1 - rng.nextUniform()) / rate }
        func logDensity(of x: Double) -> Double { x < 0 ? -.infinity : log(rate) - rate * x }
        var support: ClosedRange<Double> { 0 ... .infinity }
        var mean: Double? { 1 / rate }
        func validate(parameter: String) throws {
            guard rate > 0 else { throw ModelError.invalidPrior(parameter: parameter, reason: "rate must be positive") }
        }
    }

    @Test func userDistributionsWorkByConformance() throws {
        let p = try JointPrior([("lifetime", Exponential(rate: 2))])
        var rng = RandomSource(seed: 3)
        let xs = p.sample(count: 20_000, using: &rng).column(0)
        #expect(abs(xs.reduce(0, +) / 20_000 - 0.5) < 0.02)
        #expect(throws: ModelError.invalidPrior(parameter: "lifetime", reason: "rate must be positive")) {
            try JointPrior([("lifetime", Exponential(rate: -1))])
        }
    }
}
