// A JSON-RPC 2.0 connection to a language server child process over its standard input and
// output, with the Language Server Protocol's `Content-Length` framing.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors of the language-server connection.
public enum LanguageServerError: Error, CustomStringConvertible, Equatable {
    /// The server executable could not be started.
    case launchFailed(path: String, reason: String)
    /// The server process is not running (it exited or was never started).
    case notRunning
    /// The server did not answer `method` within the time allowed.
    case timedOut(method: String, seconds: Double)
    /// The server answered `method` with a JSON-RPC error.
    case responseError(method: String, code: Int, message: String)

    /// A sentence naming the failure, for the kernel's log.
    public var description: String {
        switch self {
        case let .launchFailed(path, reason):
            return "could not start the language server at \(path): \(reason)"
        case .notRunning:
            return "the language server is not running"
        case let .timedOut(method, seconds):
            return "the language server did not answer \(method) within \(seconds) s"
        case let .responseError(method, code, message):
            return "the language server answered \(method) with error \(code): \(message)"
        }
    }
}

/// A running language server process and the JSON-RPC messages exchanged with it.
///
/// Requests may be sent from any thread; each waits for its own response (or a timeout). Requests
/// that the server sends to the client (`client/registerCapability`,
/// `window/workDoneProgress/create`, …) are answered with a `null` result; notifications from the
/// server (diagnostics, logs) are dropped.
///
/// When the process exits, every pending request fails with ``LanguageServerError/notRunning``
/// and ``isRunning`` becomes false; the owner decides whether to start a new one.
final class LanguageServerConnection: @unchecked Sendable {
    /// One request waiting for its response.
    private final class PendingResponse {
        let semaphore = DispatchSemaphore(value: 0)
        var result: Result<Any, LanguageServerError>?
    }

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let state = NSLock()
    private let writeLock = NSLock()
    private var nextID = 1
    private var pending: [Int: PendingResponse] = [:]
    private var running = true

    /// Starts `executable` with `arguments` and begins reading its output.
    ///
    /// - Parameters:
    ///   - executable: Path of the server executable (e.g. the toolchain's `sourcekit-lsp`).
    ///   - arguments: Command-line arguments for the server.
    ///   - environment: Variables added to this process's environment for the server.
    ///   - workingDirectory: The server's current directory.
    /// - Throws: ``LanguageServerError/launchFailed(path:reason:)`` if the process does not start.
    init(executable: String, arguments: [String], environment: [String: String] = [:], workingDirectory: URL) throws {
        // A write to a server that has just died must fail with EPIPE, not kill the kernel.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.currentDirectoryURL = workingDirectory
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LanguageServerError.launchFailed(path: executable, reason: "\(error)")
        }
        self.process = process
        self.input = stdinPipe.fileHandleForWriting
        self.output = stdoutPipe.fileHandleForReading
        let reader = Thread { [weak self, output] in
            LanguageServerConnection.readMessages(from: output) { self?.handle($0) }
            self?.didReachEndOfOutput()
        }
        reader.name = "sourcekit-lsp reader"
        reader.start()
    }

    deinit {
        terminate()
    }

    /// Whether the server process is still running.
    var isRunning: Bool {
        state.lock()
        defer { state.unlock() }
        return running && process.isRunning
    }

    /// The server's process identifier.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends a request and waits for its result.
    ///
    /// - Parameters:
    ///   - method: The JSON-RPC method, e.g. `textDocument/completion`.
    ///   - parameters: The request's `params` (JSON-serialisable).
    ///   - timeout: Seconds to wait; on timeout the request is cancelled (`$/cancelRequest`).
    /// - Returns: The response's `result` (`NSNull` for `null`).
    /// - Throws: ``LanguageServerError`` on timeout, error response or a dead server.
    func request(_ method: String, _ parameters: Any, timeout: Double) throws -> Any {
        let waiter = PendingResponse()
        state.lock()
        guard running else {
            state.unlock()
            throw LanguageServerError.notRunning
        }
        let id = nextID
        nextID += 1
        pending[id] = waiter
        state.unlock()

        do {
            try send(["jsonrpc": "2.0", "id": id, "method": method, "params": parameters])
        } catch {
            state.lock()
            pending[id] = nil
            state.unlock()
            throw error
        }
        if waiter.semaphore.wait(timeout: .now() + timeout) == .timedOut {
            state.lock()
            pending[id] = nil
            state.unlock()
            try? notify("$/cancelRequest", ["id": id])
            throw LanguageServerError.timedOut(method: method, seconds: timeout)
        }
        switch waiter.result {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw LanguageServerError.notRunning
        }
    }

    /// Sends a notification (no response expected).
    ///
    /// - Parameters:
    ///   - method: The JSON-RPC method, e.g. `textDocument/didOpen`.
    ///   - parameters: The notification's `params` (JSON-serialisable).
    /// - Throws: ``LanguageServerError/notRunning`` if the server's input is closed.
    func notify(_ method: String, _ parameters: Any) throws {
        try send(["jsonrpc": "2.0", "method": method, "params": parameters])
    }

    /// Ends the server process (SIGTERM, then SIGKILL if it lingers) and fails pending requests.
    func terminate() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(1)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? input.close()
        didReachEndOfOutput()
    }

    /// Waits up to `timeout` seconds for the process to exit by itself.
    ///
    /// - Returns: Whether it exited.
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        return !process.isRunning
    }

    // MARK: - Wire format

    private func send(_ message: [String: Any]) throws {
        let body = try JSONSerialization.data(withJSONObject: message, options: [])
        var frame = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(body)
        writeLock.lock()
        defer { writeLock.unlock() }
        let written: Bool = frame.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(input.fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        if !written { throw LanguageServerError.notRunning }
    }

    /// Reads framed messages until end of file, handing each decoded JSON object to `deliver`.
    private static func readMessages(from handle: FileHandle, deliver: ([String: Any]) -> Void) {
        let fd = handle.fileDescriptor
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            // Decode every complete message in the buffer.
            while let headerEnd = buffer.firstRange(of: separator) {
                let header = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self)
                var length: Int?
                for line in header.split(separator: "\r\n") {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        length = Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }
                }
                guard let length else {
                    buffer.removeSubrange(..<headerEnd.upperBound)  // malformed header: skip it
                    continue
                }
                guard buffer.count - headerEnd.upperBound >= length else { break }
                let body = Data(buffer[headerEnd.upperBound..<(headerEnd.upperBound + length)])
                buffer.removeSubrange(..<(headerEnd.upperBound + length))
                if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
                    deliver(object)
                }
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    private func handle(_ message: [String: Any]) {
        let id = message["id"]
        if let method = message["method"] as? String {
            // A request from the server: answer it so that the server does not wait on us.
            if let id, !method.isEmpty {
                try? send(["jsonrpc": "2.0", "id": id, "result": NSNull()])
            }
            return
        }
        guard let id = jsonInteger(id) else { return }
        state.lock()
        let waiter = pending.removeValue(forKey: id)
        state.unlock()
        guard let waiter else { return }
        if let error = message["error"] as? [String: Any] {
            waiter.result = .failure(.responseError(
                method: "request \(id)",
                code: jsonInteger(error["code"]) ?? 0,
                message: error["message"] as? String ?? ""))
        } else {
            waiter.result = .success(message["result"] ?? NSNull())
        }
        waiter.semaphore.signal()
    }

    private func didReachEndOfOutput() {
        state.lock()
        running = false
        let waiters = pending.values
        pending.removeAll()
        state.unlock()
        for waiter in waiters {
            waiter.result = .failure(.notRunning)
            waiter.semaphore.signal()
        }
    }
}
