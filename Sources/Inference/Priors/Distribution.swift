import TensorCore

/// A univariate probability distribution: a prior for one named parameter.
///
/// Distributions are values (STYLE item 7): they know how to draw samples and evaluate their log
/// density. Built in: ``Uniform``, ``Normal``, ``LogUniform``, ``Sine``, ``Cosine``, ``PowerLaw``,
/// ``UniformInComponentsChirpMass`` and ``UniformInComponentsMassRatio`` (all saved by value in
/// estimator files). Any other prior is a type that conforms (and is saved by its description):
///
/// ```swift
/// struct Exponential: Distribution {
///     var rate: Double
///     func sample(using rng: inout RandomSource) -> Double { -Double.log(1 - rng.nextUniform()) / rate }
///     func logDensity(of x: Double) -> Double { x < 0 ? -.infinity : Double.log(rate) - rate * x }
///     var support: ClosedRange<Double> { 0 ... .infinity }
///     func validate(parameter: String) throws {
///         guard rate > 0, rate.isFinite else { throw ModelError.invalidPrior(parameter: parameter, reason: "rate must be positive") }
///     }
/// }
/// ```
public protocol Distribution: Sendable, CustomStringConvertible {
    /// Draws one value.
    /// - Parameter rng: The random source to draw from.
    func sample(using rng: inout RandomSource) -> Double

    /// The natural logarithm of the density at `x`; `-.infinity` outside the support.
    func logDensity(of x: Double) -> Double

    /// The closed interval outside which the density is zero (`-∞ ... ∞` if unbounded).
    var support: ClosedRange<Double> { get }

    /// The mean, where known in closed form.
    var mean: Double? { get }

    /// The variance, where known in closed form.
    var variance: Double? { get }

    /// Checks the distribution's own parameters (bounds ordered and finite, scales positive).
    /// - Parameter parameter: The name of the model parameter this prior belongs to, for the message.
    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)``.
    func validate(parameter: String) throws
}

extension Distribution {
    /// Whether `x` lies in the support (a prior rejects samples outside it).
    public func contains(_ x: Double) -> Bool { support.contains(x) && logDensity(of: x) > -.infinity }

    /// Draws `count` values (none for a count ≤ 0).
    public func sample(count: Int, using rng: inout RandomSource) -> [Double] {
        (0 ..< max(count, 0)).map { _ in sample(using: &rng) }
    }

    /// Unbounded by default.
    public var support: ClosedRange<Double> { -Double.infinity ... Double.infinity }
    /// Unknown by default.
    public var mean: Double? { nil }
    /// Unknown by default.
    public var variance: Double? { nil }
    /// No checks by default.
    public func validate(parameter: String) throws {}
    /// The type's name.
    public var description: String { String(describing: Self.self) }
}
