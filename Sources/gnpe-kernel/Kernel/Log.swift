import Foundation

/// The kernel's log: one line per event on standard error (front ends show it in their console).
enum Log {
    private static let lock = NSLock()

    /// Writes `message` as one `gnpe-kernel:` line to standard error.
    /// - Parameter message: The event.
    static func write(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data("gnpe-kernel: \(message)\n".utf8))
    }
}
