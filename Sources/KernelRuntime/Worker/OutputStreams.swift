import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
