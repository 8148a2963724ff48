import Foundation
import KernelRuntime

/// An ExecutionSink that records everything, with the time each piece arrived.
final class RecordingSink: ExecutionSink, @unchecked Sendable {
    enum Event: Equatable {
        case stdout(String), stderr(String), rich(type: String, text: String)
    }

    private let lock = NSLock()
    private var recorded: [(event: Event, time: Date)] = []
    /// Answers for `readLine()`, in order; nil answers "stdin not allowed".
    var inputs: [String?] = []
    private(set) var prompts: [String] = []

    var events: [Event] { lock.withLock { recorded.map(\.event) } }
    var times: [Date] { lock.withLock { recorded.map(\.time) } }
    var stdout: String { events.compactMap { if case .stdout(let t) = $0 { t } else { nil } }.joined() }
    var stderr: String { events.compactMap { if case .stderr(let t) = $0 { t } else { nil } }.joined() }
    var results: [String] {
        events.compactMap { if case .rich("execute_result", let t) = $0 { t } else { nil } }
    }

    /// Called (off the lock) with each chunk of standard output as it arrives.
    var onStandardOutput: (@Sendable (String) -> Void)?

    func standardOutput(_ text: String) {
        lock.withLock { recorded.append((.stdout(text), Date())) }
        onStandardOutput?(text)
    }
    func standardError(_ text: String) { lock.withLock { recorded.append((.stderr(text), Date())) } }
    func richOutput(_ message: [String: any Sendable]) {
        let type = message["type"] as? String ?? "?"
        let data = message["data"] as? [String: any Sendable]
        let text = data?["text/plain"] as? String ?? ""
        lock.withLock { recorded.append((.rich(type: type, text: text), Date())) }
    }
    func requestInput(prompt: String, password: Bool) -> String? {
        lock.withLock {
            prompts.append(prompt)
            return inputs.isEmpty ? nil : inputs.removeFirst()
        }
    }
}
