import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension WorkerProcess {
    /// Runs the cell library at `libraryPath` in the worker, streaming its standard output and
    /// error and its rich output to `sink` while it runs, answering its input requests, and
    /// returns once the worker reported the outcome and every output written before it was
    /// delivered (or the worker died).
    ///
    /// - Parameters:
    ///   - libraryPath: The cell's `libCell_N.so`.
    ///   - sink: Where output goes.
    ///   - stderrTail: Receives the last lines the cell wrote to standard error.
    /// - Returns: The worker's status.
    func run(libraryPath: String, sink: ExecutionSink, stderrTail: inout [String]) -> WorkerStatus {
        var streams = OutputStreams(worker: self, sink: sink)
        streams.drainAvailable()  // output of background work since the last cell
        streams.errorTail = []
        guard writeLine("run \(libraryPath)", to: commandFD) else {
            return finishAfterExit(&streams, &stderrTail)
        }
        var statusBuffer: [UInt8] = []
        while true {
            var fds = streams.pollSet() + [pollfd(fd: statusFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready < 0 && errno != EINTR { break }
            streams.drainAvailable()
            let open = readAvailable(statusFD, into: &statusBuffer)
            if let newline = statusBuffer.firstIndex(of: 0x0A) {
                let line = String(decoding: statusBuffer[..<newline], as: UTF8.self)
                // Everything the cell wrote before its status line is in the pipes now.
                streams.drainAvailable()
                streams.flushPartial()
                stderrTail = streams.errorTail
                return WorkerStatus(line: line)
            }
            if !open { break }
        }
        return finishAfterExit(&streams, &stderrTail)
    }

    /// The worker died: collect its last output and its wait status.
    private func finishAfterExit(_ streams: inout OutputStreams, _ stderrTail: inout [String]) -> WorkerStatus {
        let deadline = Date().addingTimeInterval(0.5)
        while streams.isOpen && Date() < deadline {
            var fds = streams.pollSet()
            _ = poll(&fds, nfds_t(fds.count), 100)
            streams.drainAvailable()
        }
        streams.flushPartial()
        stderrTail = streams.errorTail
        return .exited(waitStatus: waitForExit())
    }
}

/// The worker's stdout, stderr and display pipes, decoded and forwarded to a sink.
struct OutputStreams {
    let worker: WorkerProcess
    let sink: ExecutionSink
    var pendingOut: [UInt8] = []
    var pendingErr: [UInt8] = []
    var pendingDisplay: [UInt8] = []
    var outOpen = true, errOpen = true, displayOpen = true
    /// The last lines of standard error (for crash reports).
    var errorTail: [String] = []
    private var errorLine = ""

    init(worker: WorkerProcess, sink: ExecutionSink) {
        self.worker = worker
        self.sink = sink
    }

    var isOpen: Bool { outOpen || errOpen || displayOpen }

    func pollSet() -> [pollfd] {
        var set: [pollfd] = []
        if outOpen { set.append(pollfd(fd: worker.stdoutFD, events: Int16(POLLIN), revents: 0)) }
        if errOpen { set.append(pollfd(fd: worker.stderrFD, events: Int16(POLLIN), revents: 0)) }
        if displayOpen { set.append(pollfd(fd: worker.displayFD, events: Int16(POLLIN), revents: 0)) }
        return set
    }

    /// Reads and forwards whatever the three pipes hold now.
    mutating func drainAvailable() {
        if outOpen {
            outOpen = worker.readAvailable(worker.stdoutFD, into: &pendingOut)
            if let text = Self.takeCompleteUTF8(&pendingOut) { sink.standardOutput(text) }
        }
        if errOpen {
            errOpen = worker.readAvailable(worker.stderrFD, into: &pendingErr)
            if let text = Self.takeCompleteUTF8(&pendingErr) {
                sink.standardError(text)
                remember(errorText: text)
            }
        }
        if displayOpen {
            displayOpen = worker.readAvailable(worker.displayFD, into: &pendingDisplay)
            while let newline = pendingDisplay.firstIndex(of: 0x0A) {
                let line = Array(pendingDisplay[..<newline])
                pendingDisplay.removeSubrange(...newline)
                handleDisplay(line)
            }
        }
    }

    /// Forwards bytes held back at the end (an incomplete UTF-8 sequence at the very end).
    mutating func flushPartial() {
        if !pendingOut.isEmpty { sink.standardOutput(String(decoding: pendingOut, as: UTF8.self)) }
        if !pendingErr.isEmpty {
            let text = String(decoding: pendingErr, as: UTF8.self)
            sink.standardError(text)
            remember(errorText: text)
        }
        pendingOut = []
        pendingErr = []
        if !errorLine.isEmpty {
            errorTail.append(errorLine)
            errorLine = ""
        }
    }

    private mutating func remember(errorText: String) {
        for character in errorText {
            if character == "\n" {
                errorTail.append(errorLine)
                errorLine = ""
                if errorTail.count > 20 { errorTail.removeFirst(errorTail.count - 20) }
            } else {
                errorLine.append(character)
            }
        }
    }

    private func handleDisplay(_ line: [UInt8]) {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) else { return }
        if case .string("input_request")? = object["type"] {
            var prompt = ""
            var password = false
            if case .string(let text)? = object["prompt"] { prompt = text }
            if case .bool(let flag)? = object["password"] { password = flag }
            if let answer = sink.requestInput(prompt: prompt, password: password) {
                let escaped = answer.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\n", with: "\\n")
                worker.writeLine("+" + escaped, to: worker.inputFD)
            } else {
                worker.writeLine("-", to: worker.inputFD)
            }
            return
        }
        sink.richOutput(object.mapValues(\.sendable))
    }

    /// Removes and decodes the longest prefix that ends on a whole UTF-8 character.
    static func takeCompleteUTF8(_ bytes: inout [UInt8]) -> String? {
        guard !bytes.isEmpty else { return nil }
        var end = bytes.count
        // Step back over continuation bytes to the last lead byte; keep it if its sequence is cut.
        var index = bytes.count - 1
        var continuation = 0
        while index >= 0 && bytes[index] & 0xC0 == 0x80 && continuation < 3 {
            index -= 1
            continuation += 1
        }
        if index >= 0 {
            let lead = bytes[index]
            let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if needed > continuation + 1 { end = index }
        }
        guard end > 0 else { return nil }
        let text = String(decoding: bytes[..<end], as: UTF8.self)
        bytes.removeSubrange(..<end)
        return text
    }
}

/// A JSON value decoded from the display channel.
enum JSONValue: Decodable {
    case null, bool(Bool), integer(Int), double(Double), string(String)
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The value as plain Swift values: `[String: any Sendable]`, `[any Sendable]`, `String`,
    /// `Int`, `Double`, `Bool`, or `NSNull` for null.
    var sendable: any Sendable {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .integer(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .array(let values): return values.map(\.sendable)
        case .object(let values): return values.mapValues(\.sendable)
        }
    }
}
