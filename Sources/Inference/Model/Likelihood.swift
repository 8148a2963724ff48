/// A model's exact likelihood log p(x | θ), declared with the model when it is not "the simulator
/// plus Gaussian noise" — e.g. a simulator that draws a nuisance parameter which the likelihood
/// integrates out analytically, or noise that is not Gaussian. ``SimulationModel/exactLogLikelihood(given:)``
/// returns it, so importance sampling (NPE's and GNPE-IS) needs no likelihood argument.
///
/// ```swift
/// let model = try SimulationModel {
///     Parameter("mu", Normal(0, 1))
///     Simulator(outputLength: 1) { θ, rng in [θ[0] + rng.nextNormal() * 0.5] }   // noise inside
///     Likelihood { θ, x in -0.5 * pow((x[0] - θ[0]) / 0.5, 2) - log(0.5 * (2 * Double.pi).squareRoot()) }
/// }
/// ```
///
/// The closure is called from several threads at once; a thrown error or NaN means p(x | θ) = 0.
/// It is not saved in estimator files (give the model again when loading, as for the simulator).
public struct Likelihood: ModelComponent, @unchecked Sendable {
    /// The signature: `(θ [parameterCount], x [outputLength]) throws -> log p(x | θ)`.
    public typealias Function = (_ theta: [Double], _ observation: [Double]) throws -> Double

    /// log p(x | θ).
    public let function: Function

    /// Declares the likelihood.
    /// - Parameter function: `(θ, x) throws -> log p(x | θ)`, normalised as a density of x if
    ///   log evidences are to be absolute.
    public init(_ function: @escaping Function) {
        self.function = function
    }

    /// `[.likelihood(self)]`.
    public var declarations: [ModelDeclaration] { [.likelihood(self)] }
}
