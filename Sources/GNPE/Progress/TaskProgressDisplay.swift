import Foundation
import Plotting

/// A live progress display for a counted task such as running simulations or drawing samples:
/// shown once, then updated in place at most about four times a second, always including the
/// final state; one updating stderr line without a front end.
///
/// ```swift
/// let progress = TaskProgressDisplay(title: "Simulating", total: 100_000, unit: "simulations")
/// for batch in batches {
///     try simulate(batch)
///     progress.advance(by: batch.count)
/// }
/// progress.finish()
/// ```
/// Safe to call from any thread.
public final class TaskProgressDisplay: @unchecked Sendable {
    private let live: LiveDisplay<TaskProgress>

    /// The display id that `update_display_data` messages refer to.
    public var displayID: String { live.displayID }

    /// The latest state, including updates not yet shown.
    public var snapshot: TaskProgress { live.snapshot }

    /// Creates a progress display; nothing is shown until the first update.
    /// - Parameters:
    ///   - title: The task's title.
    ///   - total: The number of items planned.
    ///   - unit: The plural noun for an item (default "items").
    ///   - minimumInterval: Seconds between shown updates (default 0.25).
    ///   - theme: The card's theme.
    ///   - output: Where to show progress.
    ///   - clock: A monotonic clock in seconds.
    public init(
        title: String, total: Int, unit: String = "items", minimumInterval: Double = 0.25, theme: Theme = .default,
        output: ProgressOutput = .automatic, clock: @escaping @Sendable () -> Double = ProgressClock.monotonicSeconds
    ) {
        live = LiveDisplay(
            state: TaskProgress(title: title, total: total, unit: unit, theme: theme), minimumInterval: minimumInterval,
            output: output, clock: clock)
    }

    /// Sets the number of items done (shown when the throttle allows, always when all are done).
    /// - Parameter completed: Items done so far.
    public func update(completed: Int) {
        let isLast = completed >= snapshot.total
        live.modify(isFinal: isLast) { state, elapsed in
            state.completed = completed
            state.elapsedSeconds = elapsed
        }
    }

    /// Adds `count` items to the number done.
    /// - Parameter count: Items just finished.
    public func advance(by count: Int = 1) {
        update(completed: snapshot.completed + count)
    }

    /// Marks the task finished and shows the final state; later calls do nothing.
    public func finish() {
        live.modify(finishing: true) { state, elapsed in
            state.isFinished = true
            state.elapsedSeconds = elapsed
        }
    }
}
