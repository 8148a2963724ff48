/// Decides which of a stream of progress updates to show, so that a front end gets at most one
/// update per `minimumInterval` seconds while the final state is never dropped.
///
/// ```swift
/// var throttle = UpdateThrottle(minimumInterval: 0.25)
/// if throttle.shouldSend(at: now, isFinal: epoch == total) { send() }
/// ```
public struct UpdateThrottle: Equatable, Sendable {
    /// The least time between two sent updates, in seconds.
    public var minimumInterval: Double
    /// When the last update was sent, or `nil` before the first.
    public private(set) var lastSent: Double?
    /// Whether an update was held back since the last one sent.
    public private(set) var hasPending = false

    /// Creates a throttle.
    /// - Parameter minimumInterval: Seconds between updates (0.25: at most four per second).
    public init(minimumInterval: Double = 0.25) {
        self.minimumInterval = max(0, minimumInterval)
    }

    /// Whether to send the update that arrives at `time`; records it as sent if so.
    /// - Parameters:
    ///   - time: A monotonic time in seconds.
    ///   - isFinal: A final update is always sent.
    /// - Returns: `true` to send now, `false` to skip (the update stays pending).
    public mutating func shouldSend(at time: Double, isFinal: Bool = false) -> Bool {
        if isFinal || lastSent == nil || time - lastSent! >= minimumInterval {
            lastSent = time
            hasPending = false
            return true
        }
        hasPending = true
        return false
    }
}
