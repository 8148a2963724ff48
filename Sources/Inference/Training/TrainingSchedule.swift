import TensorCore

/// How ``FlowTrainer`` changes Adam's learning rate over a run.
///
/// sbi trains with a constant rate; DINGO (the production GNPE code) lowers it, with a cosine
/// schedule or when the validation loss stalls. Lowering the rate at the end of a run averages out
/// the noise of the last steps and usually buys a lower validation loss at no cost.
///
/// ```swift
/// npe.settings.learningRateSchedule = .reduceOnPlateau(factor: 0.5, patience: 5)
/// ```
public enum TrainingSchedule: Codable, Sendable, Equatable {
    /// The learning rate stays at ``TrainingSettings/learningRate`` (sbi).
    case constant
    /// The rate is multiplied by `factor` once more than `patience` epochs in a row brought no
    /// better validation loss (PyTorch's `ReduceLROnPlateau`, relative threshold 10⁻⁴), never
    /// below `minimumFraction` × the initial rate. Keep `patience` well below the early-stopping
    /// patience so the lower rates get used.
    case reduceOnPlateau(factor: Double = 0.5, patience: Int = 5, minimumFraction: Double = 0.01)
    /// The rate follows half a cosine from the initial rate down to `minimumFraction` × the
    /// initial rate over ``TrainingSettings/maximumEpochs`` (stepped per batch) — or, when
    /// ``TrainingSettings/maximumTrainingSeconds`` is set, over whichever of the two budgets
    /// runs out first, so that a time-limited run still ends at the low rate (DINGO anneals over
    /// its whole run). Progress by time makes the rates depend on the machine's speed, as the
    /// time limit's stopping epoch already does.
    case cosine(minimumFraction: Double = 0)

    /// Checks the schedule's numbers.
    /// - Throws: ``TrainingError/invalidSettings(_:)`` naming the bad field.
    public func validate() throws {
        switch self {
        case .constant:
            return
        case let .reduceOnPlateau(factor, patience, minimumFraction):
            guard factor > 0, factor < 1 else {
                throw TrainingError.invalidSettings("reduceOnPlateau factor must be strictly between 0 and 1, got \(factor)")
            }
            guard patience >= 1 else {
                throw TrainingError.invalidSettings("reduceOnPlateau patience must be ≥ 1, got \(patience)")
            }
            guard minimumFraction >= 0, minimumFraction <= 1 else {
                throw TrainingError.invalidSettings("reduceOnPlateau minimumFraction must be in [0, 1], got \(minimumFraction)")
            }
        case let .cosine(minimumFraction):
            guard minimumFraction >= 0, minimumFraction <= 1 else {
                throw TrainingError.invalidSettings("cosine minimumFraction must be in [0, 1], got \(minimumFraction)")
            }
        }
    }
}

/// The running state of a ``TrainingSchedule`` inside one training run.
struct ScheduleState {
    private var plateau: PlateauSchedule?
    private let cosine: CosineSchedule?
    private let initial: Float

    init(_ schedule: TrainingSchedule, initial: Double, maximumEpochs: Int, stepsPerEpoch: Int) {
        self.initial = Float(initial)
        switch schedule {
        case .constant:
            plateau = nil
            cosine = nil
        case let .reduceOnPlateau(factor, patience, minimumFraction):
            plateau = PlateauSchedule(initial: Float(initial), factor: Float(factor), patience: patience,
                                      minimum: Float(initial * minimumFraction))
            cosine = nil
        case let .cosine(minimumFraction):
            plateau = nil
            cosine = CosineSchedule(initial: Float(initial), minimum: Float(initial * minimumFraction),
                                    totalSteps: max(1, maximumEpochs.multipliedReportingOverflow(by: stepsPerEpoch).overflow ? Int.max : maximumEpochs * stepsPerEpoch))
        }
    }

    /// The learning rate for optimiser step `step` (0-based, counted over the whole run).
    /// - Parameters:
    ///   - step: The step.
    ///   - elapsedFraction: The fraction of the time limit used so far, if the run has one: a
    ///     cosine schedule follows the larger of the step and time fractions.
    func learningRate(atStep step: Int, elapsedFraction: Double? = nil) -> Float {
        if let cosine {
            guard let elapsedFraction, elapsedFraction.isFinite else { return cosine.learningRate(at: step) }
            let byTime = Double(cosine.totalSteps) * min(max(elapsedFraction, 0), 1)
            return cosine.learningRate(at: max(step, Int(byTime.rounded(.down))))
        }
        return plateau?.learningRate ?? initial
    }

    /// Records an epoch's validation loss (plateau schedules only).
    mutating func record(validationLoss: Double) {
        plateau?.record(loss: Float(validationLoss))
    }
}
