import Foundation
import Plotting

/// Where a live progress display shows its state.
public enum ProgressOutput: Sendable {
    /// The notebook when a front end is connected (``DisplayChannel/isConnected``), else one
    /// updating line on standard error.
    case automatic
    /// Rich display messages: `display_data` with a display id, then `update_display_data`.
    case notebook
    /// A single line on standard error, rewritten in place with `\r`.
    case console
    /// A custom sink, called with each shown MIME bundle and whether it replaces an earlier one.
    case custom(@Sendable (_ bundle: [String: String], _ isUpdate: Bool) -> Void)
}

/// The machinery shared by the progress displays: a display id, the throttle, and the output.
/// Callers hold no lock; every method is thread-safe.
final class LiveDisplay<Snapshot: Plot & RichDisplayable>: @unchecked Sendable {
    let displayID: String
    private(set) var state: Snapshot
    private var throttle: UpdateThrottle
    private let output: ProgressOutput
    private var shown = false
    private var finished = false
    private var lastLineLength = 0
    private let lock = NSLock()
    let clock: @Sendable () -> Double
    let start: Double

    init(state: Snapshot, minimumInterval: Double, output: ProgressOutput, clock: @escaping @Sendable () -> Double) {
        self.state = state
        throttle = UpdateThrottle(minimumInterval: minimumInterval)
        self.output = output
        self.clock = clock
        start = clock()
        displayID =
            "gnpe-progress-\(getpid())-\(LiveDisplayCounter.next())-\(UInt64(Date().timeIntervalSince1970 * 1000))"
    }

    var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    /// Changes the state and shows it when the throttle allows (always when `isFinal`).
    func modify(isFinal: Bool = false, finishing: Bool = false, _ change: (inout Snapshot, _ elapsed: Double) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        let now = clock()
        change(&state, now - start)
        if finishing { finished = true }
        if throttle.shouldSend(at: now, isFinal: isFinal || finishing) { emit() }
        if finishing, case .console = resolvedOutput { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private var resolvedOutput: ProgressOutput {
        if case .automatic = output { return DisplayChannel.isConnected ? .notebook : .console }
        return output
    }

    private func emit() {
        let isUpdate = shown
        shown = true
        switch resolvedOutput {
        case .notebook, .automatic:
            if isUpdate { updateDisplay(state, id: displayID) } else { display(state, id: displayID) }
        case .console:
            let line = state.textDescription
            let padding = max(0, lastLineLength - line.count)
            lastLineLength = line.count
            FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: padding)).utf8))
        case .custom(let sink):
            sink(state.mimeBundle, isUpdate)
        }
    }
}

/// Numbers the progress displays of this process.
enum LiveDisplayCounter {
    nonisolated(unsafe) static var value = 0
    private static let lock = NSLock()
    static func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// The clock progress displays use by default.
public enum ProgressClock {
    /// Seconds from a monotonic clock (unaffected by changes of the wall clock).
    @Sendable public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
