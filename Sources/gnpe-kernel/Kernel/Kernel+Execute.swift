import Foundation
import JupyterProtocol
import KernelRuntime

extension Kernel {
    /// Runs an `execute_request`: busy, execute_input, outputs, execute_reply, idle.
    ///
    /// With `silent`, nothing but the status and the reply is sent and the count does not change;
    /// with `store_history` (the default unless silent) the count increases and the cell is kept
    /// for `history_request`. After an error with `stop_on_error`, requests already queued
    /// behind the cell are answered with status `aborted` without running.
    func execute(_ request: Message, socket: ZMQSocket) {
        let content = request.content
        let code = content["code"] as? String ?? ""
        let silent = content["silent"] as? Bool ?? false
        let storeHistory = silent ? false : (content["store_history"] as? Bool ?? true)
        let allowStdin = content["allow_stdin"] as? Bool ?? false
        let stopOnError = content["stop_on_error"] as? Bool ?? true

        publishStatus("busy", parent: request)
        if storeHistory {
            executionCount += 1
            history.append(code, line: executionCount)
        }
        let count = executionCount
        if !silent { publish("execute_input", ["code": code, "execution_count": count], parent: request) }
        cellNumber += 1
        let sink = OutputSink(
            kernel: self, request: request, executionCount: count, silent: silent,
            allowStdin: allowStdin)
        let outcome: ExecutionOutcome
        if code.allSatisfy(\.isWhitespace) {
            outcome = .ok
        } else {
            outcome = engine.execute(code: code, executionCount: cellNumber, sink: sink)
        }
        sink.finish()

        switch outcome {
        case .ok:
            reply(
                request, "execute_reply",
                [
                    "status": "ok", "execution_count": count,
                    "user_expressions": [String: Any](), "payload": [Any](),
                ], on: socket)
            publishStatus("idle", parent: request)
        case .error(let name, let value, let traceback):
            let error: [String: Any] = ["ename": name, "evalue": value, "traceback": traceback]
            if !silent { publish("error", error, parent: request) }
            // Requests queued while the cell ran are read before the reply goes out, so that
            // a request a front end sends after seeing the reply is never aborted.
            let queued = stopOnError ? drainQueue(of: socket) : []
            var replyContent = error
            replyContent["status"] = "error"
            replyContent["execution_count"] = count
            replyContent["user_expressions"] = [String: Any]()
            replyContent["payload"] = [Any]()
            reply(request, "execute_reply", replyContent, on: socket)
            publishStatus("idle", parent: request)
            abortExecutions(in: queued, socket: socket)
        }
    }

    /// Reads every message already waiting on `socket`, without handling them.
    private func drainQueue(of socket: ZMQSocket) -> [Message] {
        var waiting: [Message] = []
        while socket.waitForInput(milliseconds: 0) {
            guard let frames = try? socket.receive(), let message = decode(frames, channel: "shell")
            else { continue }
            waiting.append(message)
        }
        return waiting
    }

    /// Answers the `execute_request`s among `messages` with `aborted`; handles the others.
    private func abortExecutions(in messages: [Message], socket: ZMQSocket) {
        for message in messages {
            guard message.header.messageType == "execute_request" else {
                dispatch(message, socket: socket, channel: "shell")
                continue
            }
            publishStatus("busy", parent: message)
            reply(
                message, "execute_reply",
                ["status": "aborted", "execution_count": executionCount,
                 "user_expressions": [String: Any](), "payload": [Any]()], on: socket)
            publishStatus("idle", parent: message)
        }
    }
}
