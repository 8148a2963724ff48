/// The state of a training run after one epoch, passed to a progress callback.
public struct EpochReport: Sendable {
    /// The finished epoch (1-based).
    public var epoch: Int
    /// The planned upper bound on epochs (``TrainingSettings/maximumEpochs``).
    public var maximumEpochs: Int
    /// The mean negative log-likelihood over this epoch's training batches.
    public var trainingLoss: Double
    /// The negative log-likelihood of the validation examples after this epoch.
    public var validationLoss: Double
    /// The lowest validation loss so far.
    public var bestValidationLoss: Double
    /// The (1-based) epoch that reached ``bestValidationLoss``.
    public var bestEpoch: Int
    /// Seconds since training started.
    public var elapsedSeconds: Double
    /// Adam's learning rate in this epoch's last step (see ``TrainingSettings/learningRateSchedule``).
    public var learningRate: Double

    /// Creates a report.
    public init(epoch: Int, maximumEpochs: Int, trainingLoss: Double, validationLoss: Double,
                bestValidationLoss: Double, bestEpoch: Int, elapsedSeconds: Double, learningRate: Double = 0) {
        self.epoch = epoch
        self.maximumEpochs = maximumEpochs
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.bestValidationLoss = bestValidationLoss
        self.bestEpoch = bestEpoch
        self.elapsedSeconds = elapsedSeconds
        self.learningRate = learningRate
    }
}
