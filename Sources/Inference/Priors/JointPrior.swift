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
    public func sample(count: Int, using rng: inout RandomSource) -> SampleMatrix {
        var m = SampleMatrix(rows: count, columns: dimension)
        for i in 0 ..< count {
            for j in 0 ..< dimension { m[i, j] = distributions[j].sample(using: &rng) }
        }
        return m
    }

    /// log π(θ); `-.infinity` outside the support.
    /// - Parameter theta: `[dimension]`.
    public func logDensity(of theta: [Double]) -> Double {
        precondition(theta.count == dimension, "JointPrior.logDensity: θ has \(theta.count) values, expected \(dimension)")
        var s = 0.0
        for j in 0 ..< dimension {
            s += distributions[j].logDensity(of: theta[j])
            if s == -.infinity { return s }
        }
        return s
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
