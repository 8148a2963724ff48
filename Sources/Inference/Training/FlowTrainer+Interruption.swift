import Flows
import TensorCore

extension FlowTrainer {
    /// Trains `flow` like ``train(_:exampleCount:fitStandardization:examples:progress:)`` and, when
    /// the user interrupts after at least one epoch, hands the history so far to `keepPartial`
    /// before rethrowing, so that an estimator can keep the flow with its best weights (the
    /// trainer has restored them) instead of losing the run.
    /// - Parameters:
    ///   - flow: The flow to train.
    ///   - exampleCount: The number of training examples.
    ///   - examples: The rows' parameters `[rows, P]` and context `[rows, C]`.
    ///   - progress: Called after every epoch.
    ///   - keepPartial: Called with the history of an interrupted run that finished an epoch.
    ///   - prepare: Called once after the z-scoring is fitted (see the full method).
    /// - Returns: The history.
    /// - Throws: As ``train(_:exampleCount:fitStandardization:examples:progress:)``.
    func train(
        _ flow: ConditionalFlow, exampleCount: Int,
        examples: (_ rows: [Int], _ epoch: Int, _ rng: inout RandomSource) throws -> (parameters: Tensor, context: Tensor),
        progress: ((EpochReport) -> Void)?, keepingPartialRun keepPartial: (TrainingHistory) -> Void,
        prepare: ((_ flow: ConditionalFlow, _ training: (parameters: Tensor, context: Tensor)) throws -> Void)? = nil
    ) throws -> TrainingHistory {
        do {
            return try train(flow, exampleCount: exampleCount, examples: examples, progress: progress, prepare: prepare)
        } catch let error as InterruptedError {
            if let partial = error.partialResult as? TrainingHistory, partial.bestEpoch > 0 { keepPartial(partial) }
            throw error
        }
    }
}
