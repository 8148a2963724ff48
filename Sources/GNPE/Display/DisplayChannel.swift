import Foundation

/// The pipe on which rich output (display data, updates, execute results) travels from a cell
/// to the kernel, as one JSON object per line.
///
/// The kernel passes the file descriptor in the environment variable `GNPE_DISPLAY_FD` when it
/// starts a worker. Outside a kernel (a test, a command-line program) there is no channel and
/// displays fall back to printing their `text/plain` representation on standard output.
///
/// Each line is an object with the keys `"type"` (`"display_data"`, `"update_display_data"`,
/// `"execute_result"`, `"clear_output"`), `"data"` (MIME bundle), `"metadata"` and, for displays
/// with an id, `"transient": {"display_id": …}`; `clear_output` carries `"wait"` instead.
public enum DisplayChannel {
    nonisolated(unsafe) private static var handle: FileHandle? = {
        guard let text = ProcessInfo.processInfo.environment["GNPE_DISPLAY_FD"],
            let fd = Int32(text), fd >= 0
        else { return nil }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    }()
    private static let lock = NSLock()

    /// Whether rich output reaches a front end (true inside the kernel's worker).
    public static var isConnected: Bool { handle != nil }

    /// Sends one rich-output message; prints its `text/plain` when no kernel is attached.
    /// - Parameters:
    ///   - type: `"display_data"`, `"update_display_data"` or `"execute_result"`.
    ///   - bundle: MIME type → content; should contain `"text/plain"`.
    ///   - displayID: The display id for displays that are updated later.
    public static func send(type: String, bundle: [String: String], displayID: String? = nil) {
        var message: [String: Any] = ["type": type, "data": bundle, "metadata": [String: Any]()]
        if let displayID { message["transient"] = ["display_id": displayID] }
        write(message, fallback: bundle["text/plain"])
    }

    /// Asks the front end to clear the cell's output (`wait`: when the next output arrives).
    public static func clearOutput(wait: Bool) {
        write(["type": "clear_output", "wait": wait], fallback: nil)
    }

    /// Sends an arbitrary message object (e.g. `{"type": "input_request", …}`) when a kernel is
    /// attached; does nothing otherwise.
    /// - Parameter message: A JSON-serialisable object with a `"type"` key.
    public static func sendMessage(_ message: [String: Any]) {
        write(message, fallback: nil)
    }

    private static func write(_ message: [String: Any], fallback: String?) {
        guard let handle else {
            if let fallback { print(fallback) }
            return
        }
        guard var data = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
        else { return }
        data.append(0x0A)
        fflush(stdout)  // keep rich output in order with text printed before it
        lock.lock()
        defer { lock.unlock() }
        handle.write(data)
    }
}
