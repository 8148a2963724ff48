import Foundation
import TensorCore

/// A prior over named parameters, independent across parameters: π(θ) = ∏ᵢ πᵢ(θᵢ).
///
/// The order of ``names`` is the order of θ in every parameter vector and in every
/// ``SampleMatrix`` column. Declared like a model's parameters, without a simulator:
///
/// ```swift
/// let prior = try JointPrior {
///     Parameter("inclination", Sine(0, .pi))
///     Parameter("phase", Uniform(0, 2 * .pi), periodic: true)
/// }
/// let theta = prior.sample(count: 1000, using: &rng)   // [1000, 2]
/// ```
public struct JointPrior: Sendable, CustomStringConvertible {
    /// The parameter names, in θ order.
    public let names: [String]
    /// One distribution per parameter, in θ order.
    public let distributions: [any Distribution]
    /// Whether each parameter is periodic (period: the width of its support), in θ order.
    public let periodic: [Bool]

    /// Creates a joint prior and checks every declaration.
    /// - Parameter parameters: `(name, distribution)` pairs in θ order.
    /// - Throws: ``ModelError/noParameters``, ``ModelError/duplicateParameter(_:)``,
    ///   ``ModelError/invalidParameterName(_:)`` or ``ModelError/invalidPrior(parameter:reason:)``.
    public init(_ parameters: [(name: String, distribution: any Distribution)]) throws {
        try self.init(parameters: parameters.map { Parameter($0.name, $0.distribution) })
    }

    /// Creates a joint prior from ``Parameter`` declarations, written as in a ``SimulationModel``.
    /// - Parameter content: The parameters, in θ order.
    /// - Throws: As ``init(parameters:)``.
    public init(@ParameterBuilder _ content: () throws -> [Parameter]) throws {
        try self.init(parameters: content())
    }

    /// Creates a joint prior from ``Parameter`` declarations and checks every one.
    /// - Parameter parameters: The parameters, in θ order.
    /// - Throws: ``ModelError/noParameters``, ``ModelError/duplicateParameter(_:)``,
    ///   ``ModelError/invalidParameterName(_:)`` or ``ModelError/invalidPrior(parameter:reason:)``
    ///   (also for a periodic parameter whose prior is unbounded).
    public init(parameters: [Parameter]) throws {
        guard !parameters.isEmpty else { throw ModelError.noParameters }
        var seen = Set<String>()
        for p in parameters {
            guard !p.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ModelError.invalidParameterName(p.name) }
            guard seen.insert(p.name).inserted else { throw ModelError.duplicateParameter(p.name) }
            try p.prior.validate(parameter: p.name)
            if p.isPeriodic, let period = p.period, !(period.isFinite && period > 0) {
                throw ModelError.invalidPrior(
                    parameter: p.name,
                    reason: "a periodic parameter needs a bounded prior (its period is the prior's width); \(p.prior) is unbounded")
            }
        }
        names = parameters.map(\.name)
        distributions = parameters.map(\.prior)
        periodic = parameters.map(\.isPeriodic)
    }

    /// The parameters as declarations (name, prior, periodicity), in θ order.
    public var parameters: [Parameter] {
        names.indices.map { Parameter(names[$0], distributions[$0], periodic: periodic[$0]) }
    }

    /// The period of parameter `index` (its support's width) if it is periodic, else `nil`
    /// (also for an index outside θ).
    /// - Parameter index: A position in θ.
    /// - Returns: The period or `nil`.
    public func period(ofParameterAt index: Int) -> Double? {
        guard names.indices.contains(index), periodic[index] else { return nil }
        return distributions[index].support.upperBound - distributions[index].support.lowerBound
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

    /// One line per parameter: `name ~ distribution`, with `(periodic)` after periodic ones.
    public var description: String {
        names.indices.map { "\(names[$0]) ~ \(distributions[$0])" + (periodic[$0] ? " (periodic)" : "") }
            .joined(separator: "\n")
    }
}

/// The result builder behind `JointPrior { … }`: collects ``Parameter``s from statements, `if`/`else`,
/// optional blocks and `for` loops.
@resultBuilder
public enum ParameterBuilder {
    /// A parameter.
    public static func buildExpression(_ parameter: Parameter) -> [Parameter] { [parameter] }
    /// A list of parameters built elsewhere.
    public static func buildExpression(_ parameters: [Parameter]) -> [Parameter] { parameters }
    /// The statements of a block, in order.
    public static func buildBlock(_ parts: [Parameter]...) -> [Parameter] { parts.flatMap { $0 } }
    /// A `for` loop.
    public static func buildArray(_ parts: [[Parameter]]) -> [Parameter] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [Parameter]?) -> [Parameter] { part ?? [] }
    /// The `if` branch of `if`/`else`.
    public static func buildEither(first part: [Parameter]) -> [Parameter] { part }
    /// The `else` branch of `if`/`else`.
    public static func buildEither(second part: [Parameter]) -> [Parameter] { part }
    /// `if #available`.
    public static func buildLimitedAvailability(_ part: [Parameter]) -> [Parameter] { part }
}
