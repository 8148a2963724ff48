import Foundation

/// The shape shared by the neural posterior estimators (``NPE`` and GNPE): configure, train
/// with an optional per-epoch callback, save.
///
/// A notebook front end (the GNPE module's `trainShowingProgress(title:)`) is written once
/// against this protocol and serves every estimator.
public protocol PosteriorEstimator: AnyObject {
    /// The optimisation settings used by ``train(progress:)``.
    var settings: TrainingSettings { get set }
    /// The number of stored (valid) simulations.
    var simulationCount: Int { get }
    /// The history of the last training run, or `nil` before training.
    var history: TrainingHistory? { get }
    /// A short name for displays ("NPE", "GNPE").
    var displayName: String { get }
    /// Trains the estimator on the stored simulations.
    /// - Parameter progress: Called after every epoch.
    /// - Returns: The training history.
    /// - Throws: ``EstimatorError``, ``TrainingError``, `InterruptedError`.
    @discardableResult
    func train(progress: ((EpochReport) -> Void)?) throws -> TrainingHistory
    /// Saves the trained estimator to one file.
    /// - Parameter url: The destination (written atomically).
    /// - Throws: ``EstimatorError/notTrained``, ``EstimatorFileError``.
    func save(to url: URL) throws
}

/// Errors from using an estimator or its posterior wrongly; each message names the problem.
public enum EstimatorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The estimator has not been trained yet.
    case notTrained
    /// No simulations have been appended.
    case noSimulations
    /// Simulating needs a model, but the estimator was built from a prior only.
    case noModel
    /// A matrix or vector has the wrong size; the message names expected and actual sizes.
    case shapeMismatch(String)
    /// Fewer than `minimum` of the posterior samples fell inside the prior's support.
    case acceptanceRateTooLow(rate: Double, proposals: Int, minimum: Double)
    /// An argument is out of range.
    case invalidArgument(String)
    /// An input contains NaN or ±∞; the message names the first such value and its position.
    case nonFiniteValue(String)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .notTrained:
            return "The estimator is not trained yet; call train() first"
        case .noSimulations:
            return "No simulations to train on; call appendSimulations first"
        case .noModel:
            return "This estimator was built from a prior without a simulator; use appendSimulations(parameters:data:) "
                + "or build it with NPE(model:)"
        case .shapeMismatch(let m):
            return "Shape mismatch: \(m)"
        case let .acceptanceRateTooLow(rate, proposals, minimum):
            return "Only \(String(format: "%.2g", rate)) of \(proposals) posterior samples lie inside the prior's support "
                + "(minimum \(minimum)): the posterior leaks out of the prior — train on more simulations, "
                + "check the observation, or sample with rejection off"
        case .invalidArgument(let m):
            return "Invalid argument: \(m)"
        case .nonFiniteValue(let m):
            return "Non-finite value: \(m)"
        }
    }
}
