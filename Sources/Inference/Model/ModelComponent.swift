/// One declaration inside a ``SimulationModel`` block, as the builder collects it.
public enum ModelDeclaration: Sendable {
    /// A parameter and its prior.
    case parameter(Parameter)
    /// The simulator.
    case simulator(Simulator)
    /// A named noise model applied after the simulator.
    case noise(NoiseModel)
    /// A group equivariance.
    case equivariance(Equivariance)
    /// The model's exact likelihood, when it is not the simulator plus Gaussian noise.
    case likelihood(Likelihood)
}

/// A value that contributes declarations to a ``SimulationModel``.
///
/// ``Parameter``, ``Simulator``, ``NoiseModel`` and ``Equivariance`` conform; so can a user's
/// type that bundles several declarations (e.g. all parameters of one detector):
///
/// ```swift
/// struct Detector: ModelComponent {
///     var name: String
///     var declarations: [ModelDeclaration] {
///         [.parameter(Parameter("t_\(name)", Uniform(-0.1, 0.1)))]
///     }
/// }
/// ```
public protocol ModelComponent {
    /// The declarations this component contributes, in order.
    var declarations: [ModelDeclaration] { get }
}

/// The result builder behind `SimulationModel { … }`: collects ``ModelDeclaration``s from
/// components, `if`/`else`, optional blocks and `for` loops (STYLE item 5).
@resultBuilder
public enum ModelBuilder {
    /// A parameter declaration.
    public static func buildExpression(_ parameter: Parameter) -> [ModelDeclaration] { [.parameter(parameter)] }
    /// The simulator.
    public static func buildExpression(_ simulator: Simulator) -> [ModelDeclaration] { [.simulator(simulator)] }
    /// A noise model.
    public static func buildExpression(_ noise: NoiseModel) -> [ModelDeclaration] { [.noise(noise)] }
    /// An equivariance.
    public static func buildExpression(_ equivariance: Equivariance) -> [ModelDeclaration] { [.equivariance(equivariance)] }
    /// The model's exact likelihood.
    public static func buildExpression(_ likelihood: Likelihood) -> [ModelDeclaration] { [.likelihood(likelihood)] }
    /// Any other component.
    public static func buildExpression<C: ModelComponent>(_ component: C) -> [ModelDeclaration] { component.declarations }
    /// A list of declarations built elsewhere.
    public static func buildExpression(_ declarations: [ModelDeclaration]) -> [ModelDeclaration] { declarations }

    /// The statements of a block, in order.
    public static func buildBlock(_ parts: [ModelDeclaration]...) -> [ModelDeclaration] { parts.flatMap { $0 } }
    /// A `for` loop.
    public static func buildArray(_ parts: [[ModelDeclaration]]) -> [ModelDeclaration] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [ModelDeclaration]?) -> [ModelDeclaration] { part ?? [] }
    /// The `if` branch of `if`/`else`.
    public static func buildEither(first part: [ModelDeclaration]) -> [ModelDeclaration] { part }
    /// The `else` branch of `if`/`else`.
    public static func buildEither(second part: [ModelDeclaration]) -> [ModelDeclaration] { part }
    /// `if #available`.
    public static func buildLimitedAvailability(_ part: [ModelDeclaration]) -> [ModelDeclaration] { part }
}
