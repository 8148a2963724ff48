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
    /// The display id that `update_display_data` messages refer to.
    public let displayID: String
    private var state: TrainingProgress
    private var throttle: UpdateThrottle
    private let start: Double
    private let clock: @Sendable () -> Double
    private let output: Output
    private var shown = false
    private var finished = false
    private var lastLineLength = 0
    private let lock = NSLock()
    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    /// Where the progress goes.
    public enum Output: Sendable {
        /// The notebook when a front end is connected, else standard error.
        case automatic
        /// Rich display messages (`display` / `updateDisplay`).
        case notebook
        /// A single updating line on standard error.
        case console
        /// A custom sink, called with each shown snapshot and whether it replaces an earlier one.
        case custom(@Sendable (TrainingProgress, _ isUpdate: Bool) -> Void)
    }

    /// Creates a progress display; nothing is shown until the first ``update(epoch:trainingLoss:validationLoss:)``
    /// (or ``show()``).
    /// - Parameters:
    ///   - title: The run's title.
    ///   - totalEpochs: The number of epochs planned.
    ///   - minimumInterval: Seconds between shown updates (default 0.25).
    ///   - theme: The card's theme.
    ///   - output: Where to show progress.
    ///   - clock: A monotonic clock in seconds (tests inject their own).
    public init(
        title: String, totalEpochs: Int, minimumInterval: Double = 0.25, theme: Theme = .light,
        output: Output = .automatic, clock: @escaping @Sendable () -> Double = TrainingProgressDisplay.monotonicSeconds
    ) {
        state = TrainingProgress(title: title, totalEpochs: totalEpochs, theme: theme)
        throttle = UpdateThrottle(minimumInterval: minimumInterval)
        self.clock = clock
        self.output = output
        start = clock()
        Self.counterLock.lock()
        Self.counter += 1
        let number = Self.counter
        Self.counterLock.unlock()
        displayID = "gnpe-progress-\(getpid())-\(number)-\(UInt64(Date().timeIntervalSince1970 * 1000))"
    }

    /// The latest state (including updates not yet shown).
    public var snapshot: TrainingProgress {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    /// Shows the display now (before the first epoch).
    public func show() {
        lock.lock()
        defer { lock.unlock() }
        state.elapsedSeconds = clock() - start
        _ = throttle.shouldSend(at: clock(), isFinal: true)
        emit()
    }

    /// Records a finished epoch and shows it unless an update was shown less than
    /// `minimumInterval` ago (the last epoch is always shown).
    /// - Parameters:
    ///   - epoch: The finished epoch (1-based).
    ///   - trainingLoss: Its mean training loss.
    ///   - validationLoss: Its validation loss, or `nil`.
    public func update(epoch: Int, trainingLoss: Double, validationLoss: Double? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        state.epoch = epoch
        state.trainingLoss.append(trainingLoss)
        if let validationLoss { state.validationLoss.append(validationLoss) }
        let now = clock()
        state.elapsedSeconds = now - start
        if throttle.shouldSend(at: now, isFinal: epoch >= state.totalEpochs) { emit() }
    }

    /// Marks the run finished and shows the final state (call once training ends, also after
    /// early stopping or an error); later calls do nothing.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        state.isFinished = true
        state.elapsedSeconds = clock() - start
        _ = throttle.shouldSend(at: clock(), isFinal: true)
        emit()
        if case .console = resolvedOutput { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private var resolvedOutput: Output {
        if case .automatic = output { return DisplayChannel.isConnected ? .notebook : .console }
        return output
    }

    /// Shows the current state (caller holds the lock).
    private func emit() {
        let isUpdate = shown
        shown = true
        switch resolvedOutput {
        case .notebook, .automatic:
            if isUpdate {
                updateDisplay(state, id: displayID)
            } else {
                display(state, id: displayID)
            }
        case .console:
            let line = state.textLine
            let padding = max(0, lastLineLength - line.count)
            lastLineLength = line.count
            FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: padding)).utf8))
        case .custom(let sink):
            sink(state, isUpdate)
        }
    }

    /// Seconds from a monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
