import TensorCore

/// A posterior that draws samples given an observation: what simulation-based calibration needs.
///
/// ``NPEPosterior`` and ``GNPEPosterior`` conform; so can any sampler (an MCMC run, an exact
/// posterior, another library's estimator) through ``CustomPosterior`` or a conformance of its
/// own. A posterior with a density (``providesDensity``) also gets highest-density coverage.
///
/// ```swift
/// let calibration = try SimulationBasedCalibration(testCases: 200, posteriorSamples: 200)
///     .run(try npe.posterior, model: model)
/// ```
public protocol PosteriorSampling {
    /// The parameter names, in the column order of the samples.
    var parameterNames: [String] { get }

    /// Draws samples for one observation.
    /// - Parameters:
    ///   - count: The number of samples (≥ 2 in a calibration).
    ///   - observation: x, `[observationLength]`.
    ///   - seed: Seeds the draw: the same seed must give the same samples.
    /// - Returns: θ, `[count, parameterCount]`.
    /// - Throws: Whatever the sampler throws; `InterruptedError` when the user interrupts.
    func sample(count: Int, given observation: [Double], seed: UInt64) throws -> SampleMatrix

    /// Whether ``logProbability(of:given:)`` is available (default `false`).
    var providesDensity: Bool { get }

    /// log q(θ | x) for a batch of parameter vectors.
    /// - Parameters:
    ///   - theta: `[n, parameterCount]`.
    ///   - observation: x, `[observationLength]`.
    /// - Returns: `[n]` log densities (−∞ where q vanishes).
    /// - Throws: ``CalibrationError/densityUnavailable(_:)`` by default; a conforming type's own
    ///   errors for bad input.
    func logProbability(of theta: SampleMatrix, given observation: [Double]) throws -> [Double]

    /// A posterior that samples exactly like this one and can sample on another thread at the
    /// same time as this one (a calibration gives one to each worker).
    ///
    /// The default returns `self`, which suits value types and thread-safe samplers; a class
    /// that records state while sampling (``NPEPosterior/lastAcceptanceRate``) returns a copy.
    /// - Returns: An independent sampler with the same settings.
    func concurrentCopy() -> Self

    /// A warning about the last ``sample(count:given:seed:)`` call (chains that had not
    /// settled), or `nil` (the default).
    var lastSamplingWarning: String? { get }

    /// Whether one ``sample(count:given:seed:)`` call already runs on all cores (default
    /// `false`). A calibration then samples one test case at a time unless told otherwise
    /// (``SimulationBasedCalibration/maximumConcurrency``): running cases side by side would only
    /// make the cores contend.
    var samplesOnAllCores: Bool { get }
}

extension PosteriorSampling {
    /// `false`: a sampler has no density unless it says so.
    public var providesDensity: Bool { false }

    /// Throws ``CalibrationError/densityUnavailable(_:)``.
    /// - Parameters:
    ///   - theta: `[n, parameterCount]`.
    ///   - observation: x.
    /// - Returns: Never returns.
    /// - Throws: ``CalibrationError/densityUnavailable(_:)``.
    public func logProbability(of theta: SampleMatrix, given observation: [Double]) throws -> [Double] {
        throw CalibrationError.densityUnavailable("\(type(of: self)) gives samples but no density q(θ | x)")
    }

    /// `self`.
    public func concurrentCopy() -> Self { self }

    /// `nil`.
    public var lastSamplingWarning: String? { nil }

    /// `false`.
    public var samplesOnAllCores: Bool { false }
}

/// A posterior made of closures: a sampler and, optionally, a density — for exact posteriors in
/// tests, samplers from other libraries, or a tempered SMC run per observation.
///
/// The closures are called from several threads at once and must not share mutable state.
///
/// ```swift
/// // The exact posterior of a Gaussian-mean model, x ~ 𝒩(θ, 1), θ ~ 𝒩(0, 1): 𝒩(x/2, 1/2).
/// let exact = CustomPosterior(parameterNames: ["θ"]) { count, x, seed in
///     var rng = RandomSource(seed: seed)
///     return try SampleMatrix(rows: count, columns: 1,
///                             storage: (0 ..< count).map { _ in x[0] / 2 + 0.5.squareRoot() * rng.nextNormal() })
/// }
/// ```
public struct CustomPosterior: PosteriorSampling, Sendable {
    /// The sampler: (count, observation, seed) → `[count, parameterCount]`.
    public typealias Sampler = @Sendable (_ count: Int, _ observation: [Double], _ seed: UInt64) throws -> SampleMatrix
    /// The density: (θ `[n, parameterCount]`, observation) → `[n]` log densities.
    public typealias LogDensity = @Sendable (_ theta: SampleMatrix, _ observation: [Double]) throws -> [Double]

    /// The parameter names, in column order.
    public let parameterNames: [String]
    private let sampler: Sampler
    private let logDensity: LogDensity?

    /// Creates a posterior from closures.
    /// - Parameters:
    ///   - parameterNames: One name per column of the samples.
    ///   - logProbability: log q(θ | x), or `nil` if there is no density (default).
    ///   - sample: Draws `count` samples given x; the same seed must give the same samples.
    public init(parameterNames: [String], logProbability: LogDensity? = nil, sample: @escaping Sampler) {
        self.parameterNames = parameterNames
        self.sampler = sample
        self.logDensity = logProbability
    }

    /// Calls the sampler.
    /// - Parameters:
    ///   - count: The number of samples.
    ///   - observation: x.
    ///   - seed: The seed.
    /// - Returns: `[count, parameterCount]`.
    /// - Throws: What the sampler throws.
    public func sample(count: Int, given observation: [Double], seed: UInt64) throws -> SampleMatrix {
        try sampler(count, observation, seed)
    }

    /// Whether a density closure was given.
    public var providesDensity: Bool { logDensity != nil }

    /// Calls the density closure.
    /// - Parameters:
    ///   - theta: `[n, parameterCount]`.
    ///   - observation: x.
    /// - Returns: `[n]` log densities.
    /// - Throws: ``CalibrationError/densityUnavailable(_:)`` without a density closure; what the
    ///   closure throws.
    public func logProbability(of theta: SampleMatrix, given observation: [Double]) throws -> [Double] {
        guard let logDensity else {
            throw CalibrationError.densityUnavailable("this CustomPosterior was created without a logProbability closure")
        }
        return try logDensity(theta, observation)
    }
}
