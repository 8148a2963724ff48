import Inference

extension GNPEEstimator {
    /// Trains like ``GNPEEstimator/train(progress:initialNetworkProgress:)`` while showing two live
    /// progress displays, the GNPE flow's and then the initialisation network's, so a notebook
    /// cell needs one call (it takes precedence over the one-display version every
    /// ``PosteriorEstimator`` has).
    ///
    /// ```swift
    /// try gnpe.trainShowingProgress()
    /// ```
    /// - Parameters:
    ///   - title: The displays' title prefix (default "GNPE · N simulations").
    ///   - progress: Also called after every epoch of the GNPE flow.
    /// - Returns: The GNPE flow's training history.
    /// - Throws: As ``GNPEEstimator/train(progress:initialNetworkProgress:)``; the displays are finished either way.
    @discardableResult
    public func trainShowingProgress(title: String? = nil, progress: ((EpochReport) -> Void)? = nil) throws -> TrainingHistory {
        let prefix = title ?? "\(displayName) · \(simulationCount) simulations"
        let flowDisplay = TrainingProgressDisplay(title: "\(prefix): flow", totalEpochs: settings.maximumEpochs)
        let initialDisplay = trainsInitialNetwork
            ? TrainingProgressDisplay(title: "\(prefix): initialisation network", totalEpochs: settings.maximumEpochs) : nil
        flowDisplay.show()
        defer {
            flowDisplay.finish()
            initialDisplay?.finish()
        }
        var trained = false
        let history = try train(
            progress: { report in
                trained = true
                flowDisplay.update(epoch: report.epoch, trainingLoss: report.trainingLoss, validationLoss: report.validationLoss)
                progress?(report)
            },
            initialNetworkProgress: { report in
                if report.epoch == 1 { flowDisplay.finish() }
                initialDisplay?.update(epoch: report.epoch, trainingLoss: report.trainingLoss, validationLoss: report.validationLoss)
            })
        // No epoch ran: the estimator was restored from the session directory (see SessionStore).
        if !trained {
            flowDisplay.showFinishedRun(
                trainingLoss: history.trainingLoss, validationLoss: history.validationLoss, note: "restored, not retrained")
            if let initial = initialNetworkHistory {
                initialDisplay?.showFinishedRun(
                    trainingLoss: initial.trainingLoss, validationLoss: initial.validationLoss, note: "restored, not retrained")
            }
        }
        return history
    }
}

extension GNPEPosterior {
    /// Samples like ``GNPEPosterior/sampleWithDiagnostics(count:given:seed:progress:)`` while
    /// showing a live progress display over the Gibbs iterations.
    ///
    /// ```swift
    /// let result = try posterior.sampleShowingProgress(count: 10_000, given: x, seed: 1)
    /// try result.diagnostics.driftPlot()
    /// ```
    /// - Parameters:
    ///   - count: The number of samples (= chains).
    ///   - observation: x: `[outputLength]`.
    ///   - seed: The seed.
    /// - Returns: The samples, the last proxies and the diagnostics.
    /// - Throws: As ``GNPEPosterior/sampleWithDiagnostics(count:given:seed:progress:)``.
    public func sampleShowingProgress(count: Int, given observation: [Double], seed: UInt64) throws -> GibbsSampler.Result {
        let display = TaskProgressDisplay(title: "GNPE Gibbs sampling · \(count) chains", total: iterations, unit: "iterations")
        defer { display.finish() }
        return try sampleWithDiagnostics(count: count, given: observation, seed: seed) { iteration, _ in
            display.update(completed: iteration)
        }
    }
}
