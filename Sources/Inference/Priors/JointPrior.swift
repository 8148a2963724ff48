import Foundation
import TensorCore

/// A prior over named parameters, independent across parameters: π(θ) = ∏ᵢ πᵢ(θᵢ).
///
/// The order of ``names`` is the order of θ in every parameter vector and in every
/// ``SampleMatrix`` column.
public struct JointPrior: Sendable, CustomStringConvertible {
    /// The parameter names, in θ order.
    public let names: [String]
    /// One distribution per parameter, in θ order.
    public let distributions: [any Distribution]

    /// Creates a joint prior and checks every declaration.
    /// - Parameter parameters: `(name, distribution)` pairs in θ order.
    /// - Throws: ``ModelError/noParameters``, ``ModelError/duplicateParameter(_:)``,
    ///   ``ModelError/invalidParameterName(_:)`` or ``ModelError/invalidPrior(parameter:reason:)``.
    public init(_ parameters: [(name: String, distribution: any Distribution)]) throws {
        guard !parameters.isEmpty else { throw ModelError.noParameters }
        var seen = Set<String>()
        for p in parameters {
            guard !p.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ModelError.invalidParameterName(p.name) }
            guard seen.insert(p.name).inserted else { throw ModelError.duplicateParameter(p.name) }
            try p.distribution.validate(parameter: p.name)
        }
        names = parameters.map(\.name)
        distributions = parameters.map(\.distribution)
    }

    /// The number of parameters (the length of θ).
    public var dimension: Int { names.count }

    /// The position of parameter `name` in θ, or `nil`.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Draws one parameter vector θ: `[dimension]`.
    public func sample(using rng: inout RandomSource) -> [Double] {
        distributions.map { $0.sample(using: &rng) }
    }

    /// Draws `count` parameter vectors: `[count, dimension]`.
    ///
    /// A negative count draws nothing (this method cannot throw; it is called where the count
    /// was checked already; entry points that take a user's count check it, and its memory, first).
    /// - Parameters:
    ///   - count: The number of vectors.
    ///   - rng: The random source.
    /// - Returns: `[max(count, 0), dimension]`.
    public func sample(count: Int, using rng: inout RandomSource) -> SampleMatrix {
        var m = SampleMatrix(rows: max(count, 0), columns: dimension)
        for i in 0 ..< max(count, 0) {
            for j in 0 ..< dimension { m[i, j] = distributions[j].sample(using: &rng) }
        }
        return m
    }

    /// log π(θ); `-.infinity` outside the support.
    /// - Parameter theta: `[dimension]`, finite values.
    /// - Returns: The log density.
    /// - Throws: ``ModelError/wrongParameterCount(expected:found:)`` for θ of another length;
    ///   ``ModelError/nonFiniteParameter(index:name:value:)`` naming the first NaN or ±∞.
    public func logDensity(of theta: [Double]) throws -> Double {
        guard theta.count == dimension else { throw ModelError.wrongParameterCount(expected: dimension, found: theta.count) }
        if let j = theta.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.nonFiniteParameter(index: j, name: names[j], value: theta[j])
        }
        return logDensityOfValidVector(theta)
    }

    /// log π(θ) for θ known to have ``dimension`` values (the samplers' own particles).
    /// - Parameter theta: `[dimension]`.
    func logDensityOfValidVector(_ theta: [Double]) -> Double {
        var s = 0.0
        for j in 0 ..< min(dimension, theta.count) {
            s += distributions[j].logDensity(of: theta[j])
            if s == -.infinity { return s }
        }
        return theta.count == dimension ? s : .nan
    }

    /// Whether every component of θ lies in its prior's support.
    public func contains(_ theta: [Double]) -> Bool {
        theta.count == dimension && zip(distributions, theta).allSatisfy { $0.contains($1) }
    }

    /// The prior means, where known: `[dimension]`.
    public var means: [Double?] { distributions.map(\.mean) }

    /// The supports: `[dimension]`.
    public var supports: [ClosedRange<Double>] { distributions.map(\.support) }

    /// One line per parameter: `name ~ distribution`.
    public var description: String {
        zip(names, distributions).map { "\($0) ~ \($1)" }.joined(separator: "\n")
    }
}
