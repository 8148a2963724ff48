/// The record of a finished training run: the loss curves and where it stopped.
///
/// `trainingLoss[k]` and `validationLoss[k]` belong to epoch `k + 1`; the weights kept are those
/// of ``bestEpoch``.
public struct TrainingHistory: Codable, Sendable, Equatable {
    /// Mean training negative log-likelihood of each epoch.
    public var trainingLoss: [Double]
    /// Validation negative log-likelihood after each epoch.
    public var validationLoss: [Double]
    /// The (1-based) epoch with the lowest validation loss, whose weights were restored.
    public var bestEpoch: Int
    /// Whether training ended by early stopping rather than reaching the epoch limit.
    public var stoppedEarly: Bool
    /// Wall-clock seconds the run took.
    public var elapsedSeconds: Double
    /// Simulations left out of training because θ or x contained NaN or infinite values
    /// (filled in by estimators; 0 from ``FlowTrainer`` itself).
    public var discardedSimulationCount: Int
    /// Warnings for the user (e.g. discarded simulations), in the order they arose.
    public var warnings: [String]

    /// Creates a history.
    public init(trainingLoss: [Double], validationLoss: [Double], bestEpoch: Int, stoppedEarly: Bool,
                elapsedSeconds: Double = 0, discardedSimulationCount: Int = 0, warnings: [String] = []) {
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.bestEpoch = bestEpoch
        self.stoppedEarly = stoppedEarly
        self.elapsedSeconds = elapsedSeconds
        self.discardedSimulationCount = discardedSimulationCount
        self.warnings = warnings
    }

    /// The number of epochs run.
    public var epochCount: Int { trainingLoss.count }

    /// The validation loss of the kept weights (`nil` before any epoch).
    public var bestValidationLoss: Double? {
        bestEpoch >= 1 && bestEpoch <= validationLoss.count ? validationLoss[bestEpoch - 1] : nil
    }
}
