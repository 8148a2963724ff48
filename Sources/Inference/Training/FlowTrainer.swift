import Dispatch
import Flows
import Foundation
import TensorCore

/// Trains a ``ConditionalFlow`` by maximum likelihood on (θ, x) pairs, as sbi's `SNPE.train`:
/// Adam, mini-batches, a held-out validation set, early stopping and best-weights restore.
///
/// The trainer does not own the data: it asks a closure for the training pairs of a set of
/// example rows every epoch, so a caller can draw fresh randomness per epoch (GNPE re-blurs its
/// pose proxies every epoch; Dax et al., ICLR 2022, sec. 3) while NPE simply gathers rows.
///
/// ```swift
/// let trainer = FlowTrainer(settings: TrainingSettings(maximumEpochs: 200))
/// let history = try trainer.train(flow, exampleCount: theta.rows) { rows, epoch, rng in
///     (theta.gatheringRows(rows), x.gatheringRows(rows))
/// } progress: { report in print(report.epoch, report.validationLoss) }
/// ```
public struct FlowTrainer: Sendable {
    /// The optimisation settings.
    public var settings: TrainingSettings

    /// Creates a trainer.
    /// - Parameter settings: The optimisation settings (sbi's defaults).
    public init(settings: TrainingSettings = .init()) {
        self.settings = settings
    }

    /// The number of validation examples out of `exampleCount` (sbi's
    /// `int(validation_fraction * num_examples)`).
    /// - Parameter exampleCount: The number of examples.
    /// - Returns: The validation count; 0 for a fraction outside (0, 1) (which ``train(_:exampleCount:fitStandardization:examples:progress:)``
    ///   refuses) or a negative count.
    public func validationCount(of exampleCount: Int) -> Int {
        let fraction = settings.validationFraction
        guard exampleCount > 0, fraction > 0, fraction < 1 else { return 0 }
        return Int(fraction * Double(exampleCount))  // < exampleCount, so it fits in Int
    }

    /// Trains `flow` by maximum likelihood.
    ///
    /// `examples(rows, epoch, &rng)` returns the training pairs for the given example rows:
    /// parameters `[rows.count, P]` and flow context `[rows.count, C...]` — called every epoch,
    /// once for the training rows and once for the validation rows, so a caller can re-draw
    /// randomness per epoch. `epoch` is 1-based; `rng` is one generator carried across the whole
    /// run (seeded from ``TrainingSettings/seed``). The split into training and validation rows
    /// is random (seeded) and fixed. The flow's z-scoring is fitted on the first epoch's
    /// training examples unless `fitStandardization` is false. The best validation weights are
    /// restored at the end — also when the run is interrupted or fails, before the error is
    /// rethrown. ``Interruption/checkpoint(_:)`` is polled every batch; the `InterruptedError`
    /// then carries the ``TrainingHistory`` of the completed epochs as its `partialResult` (with a
    /// warning saying where the run stopped), so that the caller can keep it. Every gradient step
    /// and validation loss runs on ``TrainingSettings/threadCount`` threads (one per core by
    /// default): the batch is cut into parts whose gradients are computed at once on copies of
    /// the flow and averaged, with one BLAS thread each for the duration of the run.
    ///
    /// - Parameters:
    ///   - flow: The flow to train in place.
    ///   - exampleCount: The number of examples (rows `0..<exampleCount`).
    ///   - fitStandardization: Whether to fit the flow's z-scoring first (true).
    ///   - examples: Returns `(parameters: [rows.count, P], context: [rows.count, C...])`.
    ///   - progress: Called after every epoch, on the calling thread.
    ///   - prepare: Called once before the first step, after the z-scoring is fitted, with the
    ///     flow and the first epoch's training examples (e.g. to initialise a
    ///     ``ReducedBasisEmbedding`` from data as the flow will see it).
    /// - Returns: The loss curves, the best epoch and whether training stopped early.
    /// - Throws: ``TrainingError/invalidSettings(_:)``, ``TrainingError/tooFewExamples(count:validationFraction:)``,
    ///   ``TrainingError/shapeMismatch(_:)``, ``TrainingError/nonFiniteLoss(epoch:)``,
    ///   ``FlowError/nonFiniteData(_:)`` if z-scoring sees NaN, ``FlowError/outsideSupport(_:)``
    ///   if a parameter lies outside the flow's ``FlowArchitecture/parameterSupport``,
    ///   `InterruptedError`, and any
    ///   error `examples` throws.
    public func train(
        _ flow: ConditionalFlow, exampleCount: Int, fitStandardization: Bool = true,
        examples: (_ rows: [Int], _ epoch: Int, _ rng: inout RandomSource) throws -> (parameters: Tensor, context: Tensor),
        progress: ((EpochReport) -> Void)? = nil,
        prepare: ((_ flow: ConditionalFlow, _ training: (parameters: Tensor, context: Tensor)) throws -> Void)? = nil
    ) throws -> TrainingHistory {
        try settings.validate()
        let validationCount = validationCount(of: exampleCount)
        let trainingCount = exampleCount - validationCount
        guard validationCount >= 1, trainingCount >= 1 else {
            throw TrainingError.tooFewExamples(count: exampleCount, validationFraction: settings.validationFraction)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        let root = RandomSource(seed: settings.seed)
        var splitRNG = root.stream(0)
        var exampleRNG = root.stream(1)
        var batchRNG = root.stream(2)
        let stepRoot = root.stream(3)

        let permutation = Array(0..<exampleCount).shuffled(using: &splitRNG)
        let trainingRows = Array(permutation[validationCount...]).sorted()
        let validationRows = Array(permutation[..<validationCount]).sorted()

        let parameters = flow.parameters
        let optimizer = Adam(parameters: parameters, learningRate: Float(settings.learningRate),
                             weightDecay: Float(settings.weightDecay), decoupledWeightDecay: true)
        // Not `(n + batchSize - 1) / batchSize`: that overflows for batchSize = Int.max.
        let stepsPerEpoch = trainingCount / settings.batchSize + (trainingCount % settings.batchSize == 0 ? 0 : 1)
        var schedule = ScheduleState(settings.learningRateSchedule, initial: settings.learningRate,
                                     maximumEpochs: settings.maximumEpochs, stepsPerEpoch: stepsPerEpoch)
        let clip = settings.gradientClipNorm.map { Float($0) }

        var history = TrainingHistory(trainingLoss: [], validationLoss: [], bestEpoch: 0, stoppedEarly: false)
        var bestLoss = Double.infinity
        var bestWeights: [Tensor]? = nil
        var step = 0
        // No more parts than a batch has rows for (at least 16 each), nor than 256 copies of the flow.
        let threads = min(settings.threadCount ?? ProcessInfo.processInfo.activeProcessorCount,
                          max(1, min(settings.batchSize, trainingCount) / DataParallelGradients.minimumRowsPerPart), 256)
        /// Built after the first epoch's z-scoring and `prepare`, so that the replicas copy them.
        var parallel: DataParallelGradients? = nil
        // Parts on several threads each call BLAS: one BLAS thread each instead of BLAS's own
        // threads competing for the same cores; restored when training ends.
        let blasThreads = BLAS.threadCount
        defer { if parallel != nil { BLAS.setThreadCount(blasThreads) } }

        func restoreBest() {
            if let bestWeights { try? flow.setWeights(bestWeights) }
        }

        do {
            for epoch in 1...settings.maximumEpochs {
                try Interruption.checkpoint("training, epoch \(epoch)")
                let training = try checked(examples(trainingRows, epoch, &exampleRNG), rows: trainingCount, flow: flow)
                let validation = try checked(examples(validationRows, epoch, &exampleRNG), rows: validationCount, flow: flow)
                if epoch == 1 {
                    // Fitting the z-scoring checks the training parameters against the support.
                    if fitStandardization {
                        try flow.fitStandardization(parameters: training.parameters, observations: training.context)
                    } else {
                        try flow.checkSupport(training.parameters)
                    }
                    try flow.checkSupport(validation.parameters)
                    try prepare?(flow, training)
                    parallel = DataParallelGradients(flow: flow, parts: threads)
                    if parallel != nil { BLAS.setThreadCount(1) }
                }

                // One pass over the training examples in a fresh random order.
                let order = Array(0..<trainingCount).shuffled(using: &batchRNG)
                var lossSum = 0.0
                for batchStart in stride(from: 0, to: trainingCount, by: settings.batchSize) {
                    try Interruption.checkpoint("training, epoch \(epoch)")
                    let batchRows = Array(order[batchStart..<min(batchStart + settings.batchSize, trainingCount)])
                    let theta = training.parameters.gatheringRows(batchRows)
                    let context = flow.observationFeatures == 0 ? training.context : training.context.gatheringRows(batchRows)
                    parameters.zeroGradients()
                    let loss = try parallel?.lossAndGradients(of: theta, given: context, random: stepRoot.stream(step))
                        ?? flow.lossAndGradients(of: theta, given: context, random: stepRoot.stream(step))
                    step += 1
                    guard loss.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch) }
                    if let clip { parameters.clipGradientNorm(to: clip) }
                    optimizer.learningRate = schedule.learningRate(
                        atStep: step - 1, elapsedFraction: settings.maximumTrainingSeconds.map { elapsed() / $0 })
                    optimizer.step()
                    lossSum += Double(loss) * Double(batchRows.count)
                }
                let trainingLoss = lossSum / Double(trainingCount)
                let validationLoss = Double(
                    try parallel?.loss(of: validation.parameters, given: validation.context)
                        ?? flow.loss(of: validation.parameters, given: validation.context))

                schedule.record(validationLoss: validationLoss)
                history.trainingLoss.append(trainingLoss)
                history.validationLoss.append(validationLoss)
                if validationLoss < bestLoss {
                    bestLoss = validationLoss
                    bestWeights = flow.weights
                    history.bestEpoch = epoch
                }
                progress?(EpochReport(
                    epoch: epoch, maximumEpochs: settings.maximumEpochs, trainingLoss: trainingLoss,
                    validationLoss: validationLoss, bestValidationLoss: bestLoss, bestEpoch: history.bestEpoch,
                    elapsedSeconds: elapsed(), learningRate: Double(optimizer.learningRate)))
                if epoch - history.bestEpoch >= settings.stopAfterEpochsWithoutImprovement {
                    history.stoppedEarly = epoch < settings.maximumEpochs
                    break
                }
                if let limit = settings.maximumTrainingSeconds, elapsed() >= limit, epoch < settings.maximumEpochs {
                    history.stoppedEarly = true
                    history.warnings.append(String(
                        format: "training stopped at its time limit (%.0f s) after %d epoch(s); the weights of epoch %d (the best) are kept",
                        limit, epoch, history.bestEpoch))
                    break
                }
            }
        } catch let error as InterruptedError {
            restoreBest()
            history.elapsedSeconds = elapsed()
            history.warnings.append(
                "training was interrupted after \(history.epochCount) complete epoch(s); "
                    + (history.bestEpoch > 0 ? "the weights of epoch \(history.bestEpoch) (the best so far) are kept"
                                            : "no epoch completed, so the weights are barely trained"))
            throw error.keeping(history)
        } catch {
            restoreBest()
            throw error
        }
        restoreBest()
        history.elapsedSeconds = elapsed()
        return history
    }

    private func checked(_ pair: (parameters: Tensor, context: Tensor), rows: Int, flow: ConditionalFlow) throws
        -> (parameters: Tensor, context: Tensor)
    {
        guard pair.parameters.rows == rows, pair.parameters.columns == flow.parameterFeatures,
              pair.parameters.count == rows * flow.parameterFeatures else {
            throw TrainingError.shapeMismatch(
                "parameters must be [\(rows), \(flow.parameterFeatures)], got \(pair.parameters.shape)")
        }
        if flow.observationFeatures > 0 {
            guard pair.context.rows == rows, pair.context.columns == flow.observationFeatures else {
                throw TrainingError.shapeMismatch(
                    "context must be [\(rows), \(flow.observationFeatures)] (or [\(rows), …] with that many features), got \(pair.context.shape)")
            }
        }
        return pair
    }
}
