import Foundation
import JupyterProtocol
import KernelRuntime

/// Turns a running cell's output into iopub messages for the request that started it.
///
/// Standard output and error become `stream` messages; small writes are coalesced for at most
/// ``flushInterval`` (or ``maximumChunk`` bytes) so that 10,000 `print`s do not become 10,000
/// messages, while output still appears as the cell runs. Rich output maps to `display_data`,
/// `update_display_data`, `execute_result` (with the execution count) and `clear_output`, after
/// flushing pending text so the order is kept.
final class OutputSink: ExecutionSink, @unchecked Sendable {
    /// The longest text is held before it is published.
    static let flushInterval: useconds_t = 25_000
    /// Pending text at which a stream message is sent at once.
    static let maximumChunk = 64 * 1024

    private let kernel: Kernel
    private let request: Message
    private let executionCount: Int
    private let silent: Bool
    private let allowStdin: Bool

    private let lock = NSLock()
    private var pendingName = "stdout"
    private var pendingText = ""
    private var finished = false
    private let flusherDone = DispatchSemaphore(value: 0)

    /// Creates the sink for one `execute_request` and starts its flusher thread.
    init(kernel: Kernel, request: Message, executionCount: Int, silent: Bool, allowStdin: Bool) {
        self.kernel = kernel
        self.request = request
        self.executionCount = executionCount
        self.silent = silent
        self.allowStdin = allowStdin
        let thread = Thread { [weak self] in
            while let sink = self, !sink.isFinished {
                sink.flush()
                usleep(OutputSink.flushInterval)
            }
            self?.flusherDone.signal()
        }
        thread.name = "stream-flush"
        thread.start()
    }

    private var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Publishes what is pending and stops the flusher; call once the cell has ended.
    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
        flusherDone.wait()
        flush()
    }

    func standardOutput(_ text: String) { append(text, to: "stdout") }

    func standardError(_ text: String) { append(text, to: "stderr") }

    private func append(_ text: String, to name: String) {
        guard !silent, !text.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        if name != pendingName {
            flushLocked()
            pendingName = name
        }
        pendingText += text
        if pendingText.utf8.count >= Self.maximumChunk { flushLocked() }
    }

    /// Publishes pending stream text now.
    func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        guard !pendingText.isEmpty else { return }
        kernel.publish("stream", ["name": pendingName, "text": pendingText], parent: request)
        pendingText = ""
    }

    func richOutput(_ message: [String: any Sendable]) {
        guard !silent else { return }
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
        let type = message["type"] as? String ?? "display_data"
        let data = message["data"] ?? [String: Any]()
        let metadata = message["metadata"] ?? [String: Any]()
        switch type {
        case "clear_output":
            kernel.publish("clear_output", ["wait": message["wait"] as? Bool ?? false], parent: request)
        case "execute_result":
            kernel.publish(
                "execute_result",
                ["execution_count": executionCount, "data": data, "metadata": metadata],
                parent: request)
        case "display_data", "update_display_data":
            var content: [String: Any] = ["data": data, "metadata": metadata]
            content["transient"] = message["transient"] ?? [String: Any]()
            if type == "update_display_data",
                ((content["transient"] as? [String: Any])?["display_id"] as? String) == nil
            {
                Log.write("ignored update_display_data without a display_id")
                return
            }
            kernel.publish(type, content, parent: request)
        default:
            Log.write("ignored rich output of unknown type '\(type)'")
        }
    }

    func requestInput(prompt: String, password: Bool) -> String? {
        flush()
        guard allowStdin else { return nil }
        return kernel.askForInput(prompt: prompt, password: password, parent: request)
    }
}

extension Kernel {
    /// Sends `input_request` on stdin to the front end that sent `parent` and waits for its
    /// `input_reply`.
    /// - Returns: The user's text, or nil when the front end is gone (no reply for 24 hours) or
    ///   the reply is malformed.
    func askForInput(prompt: String, password: Bool, parent: Message) -> String? {
        var request = parent.response(
            type: "input_request", content: ["prompt": prompt, "password": password], session: session)
        request.identities = parent.identities
        let frames = codec.encode(request)
        return stdin.withSocket { socket -> String? in
            // Drop stale replies to earlier requests.
            while socket.waitForInput(milliseconds: 0) { _ = try? socket.receive() }
            do { try socket.send(frames) } catch {
                Log.write("stdin send failed: \(error)")
                return nil
            }
            let deadline = Date().addingTimeInterval(24 * 3600)
            while Date() < deadline {
                guard socket.waitForInput(milliseconds: 500) else { continue }
                guard let frames = try? socket.receive(), let reply = decode(frames, channel: "stdin")
                else { continue }
                guard reply.header.messageType == "input_reply" else { continue }
                return reply.content["value"] as? String
            }
            return nil
        }
    }
}
