/// Errors from the GNPE estimator and its Gibbs sampler, each naming the problem.
public enum GNPEError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The model declares no ``Equivariance``; GNPE needs one (use ``NPE`` otherwise).
    case noEquivariance
    /// The model declares more than one equivariance.
    case multipleEquivariances(Int)
    /// A Gibbs run was asked for no chains (samples).
    case noChains
    /// A negative number of samples (chains) was asked for.
    case invalidCount(Int)
    /// The number of Gibbs iterations is not positive.
    case invalidIterations(Int)
    /// The initial poses have the wrong shape.
    case initialPoseShape(expected: Int, found: Int)
    /// An observation has the wrong length or non-finite values.
    case invalidObservation(String)
    /// Too few of the conditional's draws fall inside the prior's support.
    case lowAcceptance(rate: Double, draws: Int)
    /// A saved GNPE does not fit the model it is loaded with.
    case modelMismatch(String)
    /// An option does not fit the model or the estimator (e.g. an embedding for an approximate
    /// equivariance that cannot take the proxies).
    case invalidOption(String)

    /// A one-line description naming the problem.
    public var description: String {
        switch self {
        case .noEquivariance:
            return "GNPE needs a model that declares an Equivariance (which parameters form the pose, the group and the kernel); use NPE for a model without one"
        case let .multipleEquivariances(n):
            return "the model declares \(n) equivariances; GNPE handles one: put all pose parameters in one group (e.g. TimeTranslation(grid:channels:))"
        case .noChains:
            return "GNPE sampling needs at least one chain (one chain per wanted sample); count was 0"
        case let .invalidCount(n):
            return "the number of samples (chains) must be ≥ 0, got \(n)"
        case let .invalidIterations(n):
            return "the number of Gibbs iterations must be at least 1, got \(n)"
        case let .initialPoseShape(expected, found):
            return "initial poses must have \(expected) column(s) (one per pose parameter), got \(found)"
        case let .invalidObservation(reason):
            return "observation: \(reason)"
        case let .lowAcceptance(rate, draws):
            return "only a fraction \(rate) of \(draws) draws fell inside the prior's support; the estimator is far off for this observation (train longer, or check that the observation fits the model)"
        case let .modelMismatch(reason):
            return "the saved GNPE does not fit this model: \(reason)"
        case let .invalidOption(reason):
            return "GNPE option: \(reason)"
        }
    }
}
