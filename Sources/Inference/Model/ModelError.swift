/// Errors in a model declaration or in its simulations. Each message names the parameter,
/// component or simulation at fault.
public enum ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The model declares no parameter.
    case noParameters
    /// Two parameters share a name.
    case duplicateParameter(String)
    /// A parameter name is empty.
    case invalidParameterName(String)
    /// A prior's own parameters are invalid (e.g. a uniform with low ≥ high).
    case invalidPrior(parameter: String, reason: String)
    /// The model declares no simulator, or more than one.
    case simulatorCount(Int)
    /// The model declares more than one ``Likelihood``.
    case likelihoodCount(Int)
    /// The simulator's declared output length is not positive.
    case invalidOutputLength(Int)
    /// Two noise models share a name, or a noise model is invalid.
    case invalidNoiseModel(name: String, reason: String)
    /// An equivariance names a parameter the model does not declare.
    case unknownPoseParameter(String, known: [String])
    /// An equivariance's pose has a different size than its group's dimension.
    case poseDimensionMismatch(pose: [String], groupDimension: Int)
    /// A parameter is the pose of two equivariances.
    case poseParameterReused(String)
    /// A computed pose's names are invalid (none, an empty one, or one given twice).
    case invalidPoseNames(String)
    /// ``Equivariance/ExactPart/commonTranslation(moving:)`` names a parameter the model does not declare.
    case unknownMovedParameter(String, known: [String])
    /// A computed pose returned the wrong number of values at θ.
    case computedPoseLength(pose: [String], found: Int, theta: [Double])
    /// A computed pose returned NaN or ±∞ for component `name` at θ.
    case nonFinitePose(name: String, value: Double, theta: [Double])
    /// A blurring kernel's width or σ is invalid.
    case invalidKernel(String)
    /// A group's declaration is invalid (e.g. an empty time grid).
    case invalidGroup(String)
    /// A simulation returned the wrong number of values.
    case wrongOutputLength(expected: Int, found: Int, theta: [Double])
    /// A simulation returned NaN or ±∞.
    case nonFiniteOutput(index: Int, theta: [Double], value: Double)
    /// A parameter vector has the wrong length.
    case wrongParameterCount(expected: Int, found: Int)
    /// The simulator threw an error at θ (its description is kept).
    case simulatorThrew(theta: [Double], error: String)
    /// A parameter vector holds NaN or ±∞ at `index` (parameter `name`).
    case nonFiniteParameter(index: Int, name: String, value: Double)

    /// A one-line description naming the problem.
    public var description: String {
        switch self {
        case .noParameters: return "the model declares no parameter; add e.g. Parameter(\"mu\", Normal(0, 1))"
        case let .duplicateParameter(name): return "parameter '\(name)' is declared twice"
        case let .invalidParameterName(name): return "invalid parameter name '\(name)'"
        case let .invalidPrior(parameter, reason): return "prior of parameter '\(parameter)': \(reason)"
        case let .simulatorCount(n):
            return n == 0 ? "the model declares no Simulator" : "the model declares \(n) Simulators; declare exactly one"
        case let .likelihoodCount(n): return "the model declares \(n) Likelihoods; declare at most one"
        case let .invalidOutputLength(n): return "Simulator(outputLength: \(n)): the output length must be positive"
        case let .invalidNoiseModel(name, reason): return "noise model '\(name)': \(reason)"
        case let .unknownPoseParameter(name, known):
            return "equivariance pose '\(name)' is not a declared parameter (declared: \(known.joined(separator: ", ")))"
        case let .poseDimensionMismatch(pose, dim):
            return "equivariance pose [\(pose.joined(separator: ", "))] has \(pose.count) parameters but its group has dimension \(dim)"
        case let .poseParameterReused(name): return "parameter '\(name)' is the pose of more than one equivariance"
        case let .invalidPoseNames(reason): return "computed pose: \(reason)"
        case let .unknownMovedParameter(name, known):
            return "equivariance exactPart .commonTranslation(moving: \"\(name)\"): '\(name)' is not a declared parameter (declared: \(known.joined(separator: ", ")))"
        case let .computedPoseLength(pose, found, theta):
            return "the pose function of [\(pose.joined(separator: ", "))] returned \(found) values, expected \(pose.count), at θ = \(theta)"
        case let .nonFinitePose(name, value, theta):
            return "the pose function returned \(value) for pose component '\(name)' at θ = \(theta); it must return finite values"
        case let .invalidKernel(reason): return "blurring kernel: \(reason)"
        case let .invalidGroup(reason): return "group: \(reason)"
        case let .wrongOutputLength(expected, found, theta):
            return "the simulator returned \(found) values, expected \(expected), at θ = \(theta)"
        case let .nonFiniteOutput(index, theta, value):
            return "the simulator returned \(value) at output index \(index), at θ = \(theta)"
        case let .wrongParameterCount(expected, found): return "θ has \(found) values, expected \(expected)"
        case let .simulatorThrew(theta, error): return "the simulator threw at θ = \(theta): \(error)"
        case let .nonFiniteParameter(index, name, value):
            return "θ[\(index)] (parameter '\(name)') is \(value); parameter values must be finite"
        }
    }
}
