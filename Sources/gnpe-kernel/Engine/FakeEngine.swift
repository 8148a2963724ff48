import Foundation
import KernelRuntime

/// A tiny line interpreter standing in for the Swift cell engine in protocol tests
/// (`gnpe-kernel run --fake-engine`). It is not Swift: it understands one command per line.
///
/// `print("t")`, `eprint("t")` (stderr), `let x = 1` / `var x = "t"`, a final literal or known
/// name (execute result), `display("t")`, `display("t", id: "d")`, `update("t", id: "d")`,
/// `clear()`, `readLine()`, `sleep(s)` (interruptible), `fail("message")` (an error),
/// `crash()` (loses the state). Anything else is an error naming the line.
final class FakeEngine: ExecutionEngine, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    private var interrupted = false

    func execute(code: String, executionCount: Int, sink: ExecutionSink) -> ExecutionOutcome {
        lock.lock()
        interrupted = false
        lock.unlock()
        let lines = code.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            if let outcome = run(line, number: index + 1, isLast: isLast, sink: sink) { return outcome }
        }
        return .ok
    }

    /// Runs one line; a non-nil result ends the cell.
    private func run(_ line: String, number: Int, isLast: Bool, sink: ExecutionSink) -> ExecutionOutcome? {
        func argument(_ name: String) -> String? {
            guard line.hasPrefix(name + "("), line.hasSuffix(")") else { return nil }
            return String(line.dropFirst(name.count + 1).dropLast())
        }
        func failure(_ name: String, _ value: String) -> ExecutionOutcome {
            .error(name: name, value: value, traceback: ["\(number): error: \(value)", "    \(line)"])
        }
        if let text = argument("print") {
            sink.standardOutput(evaluate(text) + "\n")
        } else if let text = argument("eprint") {
            sink.standardError(evaluate(text) + "\n")
        } else if let text = argument("fail") {
            return failure("FakeError", evaluate(text))
        } else if argument("crash") != nil {
            lock.lock()
            values = [:]
            lock.unlock()
            return failure("Crash", "the worker crashed (signal 4); state was lost")
        } else if argument("clear") != nil {
            sink.richOutput(["type": "clear_output", "wait": false])
        } else if let args = argument("display") ?? argument("update") {
            let parts = args.components(separatedBy: ", id: ")
            var message: [String: any Sendable] = [
                "type": line.hasPrefix("display") ? "display_data" : "update_display_data",
                "data": ["text/plain": evaluate(parts[0])], "metadata": [String: String](),
            ]
            if parts.count > 1 { message["transient"] = ["display_id": evaluate(parts[1])] }
            sink.richOutput(message)
        } else if argument("readLine") != nil {
            let answer = sink.requestInput(prompt: "? ", password: false)
            sink.standardOutput("read: \(answer ?? "nil")\n")
        } else if let text = argument("sleep"), let seconds = Double(text) {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                usleep(5_000)
                lock.lock()
                let stop = interrupted
                lock.unlock()
                if stop { return failure("Interrupted", "the cell was interrupted") }
            }
        } else if line.hasPrefix("let ") || line.hasPrefix("var ") {
            let parts = line.dropFirst(4).components(separatedBy: " = ")
            guard parts.count == 2 else { return failure("SyntaxError", "expected 'let name = value'") }
            let value = evaluate(parts[1])
            lock.lock()
            values[parts[0].trimmingCharacters(in: .whitespaces)] = value
            lock.unlock()
        } else if isLast, isLiteral(line) || lookup(line) != nil {
            sink.richOutput(["type": "execute_result", "data": ["text/plain": evaluate(line)],
                             "metadata": [String: String]()])
        } else {
            return failure("CompileError", "cannot run '\(line)'")
        }
        return nil
    }

    private func isLiteral(_ text: String) -> Bool {
        Double(text) != nil || (text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2)
    }

    private func lookup(_ name: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return values[name]
    }

    private func evaluate(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("\""), trimmed.hasSuffix("\""), trimmed.count >= 2 {
            return String(trimmed.dropFirst().dropLast())
        }
        return lookup(trimmed) ?? trimmed
    }

    func interrupt() {
        lock.lock()
        interrupted = true
        lock.unlock()
    }

    func restart() {
        lock.lock()
        values = [:]
        lock.unlock()
    }

    func shutdown() {}

    func complete(code: String, cursor: Int) -> CompletionResult {
        let scalars = Array(code.unicodeScalars.prefix(cursor))
        var start = scalars.count
        while start > 0, CharacterSet.alphanumerics.contains(scalars[start - 1]) || scalars[start - 1] == "_" {
            start -= 1
        }
        let prefix = String(String.UnicodeScalarView(scalars[start...]))
        lock.lock()
        let names = Array(values.keys) + ["print", "eprint", "display", "sleep", "fail"]
        lock.unlock()
        return CompletionResult(
            matches: names.filter { $0.hasPrefix(prefix) }.sorted(), cursorStart: start, cursorEnd: cursor)
    }

    func inspect(code: String, cursor: Int, detailLevel: Int) -> String? {
        let name = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if let value = lookup(name) { return "let \(name) = \(value)" }
        return name == "print" ? "func print(_ text: String)\nWrites text and a newline to stdout." : nil
    }

    func isComplete(code: String) -> (status: CompletenessStatus, indent: String) {
        var depth = 0
        var inString = false
        for character in code {
            if character == "\"" { inString.toggle() }
            if inString { continue }
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            if depth < 0 { return (.invalid, "") }
        }
        return inString || depth > 0 ? (.incomplete, String(repeating: "    ", count: max(depth, 0))) : (.complete, "")
    }
}
