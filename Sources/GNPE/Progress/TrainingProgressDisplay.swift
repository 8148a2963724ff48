import Foundation
import Plotting

/// A live progress display for a training run: shown once, then updated in place at most about
/// four times a second, always including the final state.
///
/// In a notebook it is a `display_data` output with a display id, replaced by
/// `update_display_data` messages, showing the epoch, the losses, a small loss curve and the
/// estimated time left (``TrainingProgress``). Without a front end (``DisplayChannel/isConnected``
/// is false) it is one text line on standard error, rewritten with `\r`.
///
/// ```swift
/// let progress = TrainingProgressDisplay(title: "NPE", totalEpochs: 50)
/// for epoch in 1...50 {
///     let (train, validation) = try runEpoch()
///     progress.update(epoch: epoch, trainingLoss: train, validationLoss: validation)
/// }
/// progress.finish()
/// ```
/// Safe to call from any thread (a trainer's callback).
public final class TrainingProgressDisplay: @unchecked Sendable {
    private let live: LiveDisplay<TrainingProgress>

    /// The display id that `update_display_data` messages refer to.
    public var displayID: String { live.displayID }

    /// The latest state, including updates not yet shown.
    public var snapshot: TrainingProgress { live.snapshot }

    /// Creates a progress display; nothing is shown until ``show()`` or the first
    /// ``update(epoch:trainingLoss:validationLoss:)``.
    /// - Parameters:
    ///   - title: The run's title.
    ///   - totalEpochs: The number of epochs planned.
    ///   - minimumInterval: Seconds between shown updates (default 0.25: at most four a second).
    ///   - theme: The card's theme.
    ///   - output: Where to show progress (default: notebook if connected, else stderr).
    ///   - clock: A monotonic clock in seconds (tests inject their own).
    public init(
        title: String, totalEpochs: Int, minimumInterval: Double = 0.25, theme: Theme = .default,
        output: ProgressOutput = .automatic, clock: @escaping @Sendable () -> Double = ProgressClock.monotonicSeconds
    ) {
        live = LiveDisplay(
            state: TrainingProgress(title: title, totalEpochs: totalEpochs, theme: theme),
            minimumInterval: minimumInterval, output: output, clock: clock)
    }

    /// Shows the display now, before the first epoch.
    public func show() {
        live.modify(isFinal: true) { state, elapsed in state.elapsedSeconds = elapsed }
    }

    /// Records a finished epoch; shows it unless an update was shown less than
    /// `minimumInterval` ago (the last planned epoch is always shown).
    /// - Parameters:
    ///   - epoch: The finished epoch (1-based).
    ///   - trainingLoss: Its mean training loss.
    ///   - validationLoss: Its validation loss, or `nil`.
    public func update(epoch: Int, trainingLoss: Double, validationLoss: Double? = nil) {
        let isLast = epoch >= snapshot.totalEpochs
        live.modify(isFinal: isLast) { state, elapsed in
            state.epoch = epoch
            state.trainingLoss.append(trainingLoss)
            if let validationLoss { state.validationLoss.append(validationLoss) }
            state.elapsedSeconds = elapsed
        }
    }

    /// Shows a finished run at once — an estimator restored from the session directory instead
    /// of trained again — with its whole loss history, its title followed by `note`.
    /// - Parameters:
    ///   - trainingLoss: The mean training loss of every epoch, `[epochs]`.
    ///   - validationLoss: The validation loss of every epoch, `[epochs]` (or empty).
    ///   - note: What happened, e.g. "restored, not retrained".
    public func showFinishedRun(trainingLoss: [Double], validationLoss: [Double], note: String) {
        live.modify(finishing: true) { state, elapsed in
            state.title += " · \(note)"
            state.epoch = trainingLoss.count
            state.trainingLoss = trainingLoss
            state.validationLoss = validationLoss
            state.isFinished = true
            state.elapsedSeconds = elapsed
        }
    }

    /// Marks the run finished and shows the final state. Call it when training ends, also after
    /// early stopping or an error; later calls do nothing.
    public func finish() {
        live.modify(finishing: true) { state, elapsed in
            state.isFinished = true
            state.elapsedSeconds = elapsed
        }
    }
}
