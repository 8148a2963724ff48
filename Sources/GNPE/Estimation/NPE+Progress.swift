import Inference

extension PosteriorEstimator {
    /// Trains the estimator with a live progress display (in a notebook a card with the epoch,
    /// losses, a loss curve and the time left; on a terminal one line on standard error).
    ///
    /// ```swift
    /// let history = try npe.trainShowingProgress()
    /// ```
    /// - Parameters:
    ///   - title: The display's title (default: the estimator's ``PosteriorEstimator/displayName``
    ///     and the number of simulations).
    ///   - progress: Also called after every epoch, after the display is updated.
    /// - Returns: The training history. An estimator restored instead of trained (the session
    ///   directory kept one for the same simulations and settings) shows its whole run at once.
    /// - Throws: As ``PosteriorEstimator/train(progress:)``; the display is finished either way.
    @discardableResult
    public func trainShowingProgress(title: String? = nil, progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        let display = TrainingProgressDisplay(
            title: title ?? "\(displayName) · \(simulationCount) simulations", totalEpochs: settings.maximumEpochs)
        display.show()
        defer { display.finish() }
        var trained = false
        let history = try train { report in
            trained = true
            display.update(epoch: report.epoch, trainingLoss: report.trainingLoss, validationLoss: report.validationLoss)
            progress?(report)
        }
        // No epoch ran: the estimator was restored from the session directory (see SessionStore).
        if !trained {
            display.showFinishedRun(
                trainingLoss: history.trainingLoss, validationLoss: history.validationLoss, note: "restored, not retrained")
        }
        return history
    }
}
