/// Errors that stop a training run; each message names the problem and a remedy.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A ``TrainingSettings`` field is out of range.
    case invalidSettings(String)
    /// Too few examples to hold out a validation set and still train.
    case tooFewExamples(count: Int, validationFraction: Double)
    /// The examples closure returned tensors of the wrong shape.
    case shapeMismatch(String)
    /// The loss became NaN or infinite at the given (1-based) epoch.
    case nonFiniteLoss(epoch: Int)
    /// There is nothing to train on (e.g. no simulations appended).
    case noTrainingData(String)

    /// " (at least N)" for a fraction in (0, 1), else "" (never converts ∞ or NaN to `Int`).
    static func minimumExamples(validationFraction f: Double) -> String {
        let smaller = min(f, 1 - f)
        guard smaller > 1e-9 else { return "" }
        return " (at least \(Int((2 / smaller).rounded(.up))))"
    }

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .invalidSettings(let m):
            return "Invalid training settings: \(m)"
        case .tooFewExamples(let n, let f):
            return "Too few examples to train: \(n) examples with validationFraction \(f) leave an empty "
                + "training or validation set; simulate more" + Self.minimumExamples(validationFraction: f)
        case .shapeMismatch(let m):
            return "Training examples have the wrong shape: \(m)"
        case .nonFiniteLoss(let epoch):
            return "The training loss became NaN or infinite in epoch \(epoch); lower the learning rate, "
                + "check the simulations for extreme values, or keep gradient clipping on"
        case .noTrainingData(let m):
            return "No training data: \(m)"
        }
    }
}
