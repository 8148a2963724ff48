import Foundation
import JupyterProtocol
import KernelRuntime

extension Kernel {
    /// The version of Swift the cells compile with, shown in `kernel_info_reply`.
    static let swiftVersion = "6.3.1"

    /// Handles one verified request from shell or control, publishing busy before and idle after.
    func dispatch(_ request: Message, socket: ZMQSocket, channel: String) {
        let type = request.header.messageType
        if type == "execute_request" {
            execute(request, socket: socket)
            return
        }
        if type == "shutdown_request" {
            shutdown(request, socket: socket)
        }
        publishStatus("busy", parent: request)
        defer { publishStatus("idle", parent: request) }
        switch type {
        case "kernel_info_request":
            reply(request, "kernel_info_reply", kernelInfo, on: socket)
        case "interrupt_request":
            engine.interrupt()
            reply(request, "interrupt_reply", ["status": "ok"], on: socket)
        case "is_complete_request":
            let code = request.content["code"] as? String ?? ""
            let answer = engine.isComplete(code: code)
            var content: [String: Any] = ["status": answer.status.rawValue]
            if answer.status == .incomplete { content["indent"] = answer.indent }
            reply(request, "is_complete_reply", content, on: socket)
        case "complete_request":
            let code = request.content["code"] as? String ?? ""
            let cursor = request.content["cursor_pos"] as? Int ?? code.unicodeScalars.count
            let result = engine.complete(code: code, cursor: cursor)
            reply(
                request, "complete_reply",
                [
                    "status": "ok", "matches": result.matches, "cursor_start": result.cursorStart,
                    "cursor_end": result.cursorEnd, "metadata": [String: Any](),
                ], on: socket)
        case "inspect_request":
            let code = request.content["code"] as? String ?? ""
            let cursor = request.content["cursor_pos"] as? Int ?? code.unicodeScalars.count
            let level = request.content["detail_level"] as? Int ?? 0
            let text = engine.inspect(code: code, cursor: cursor, detailLevel: level)
            reply(
                request, "inspect_reply",
                [
                    "status": "ok", "found": text != nil,
                    "data": text.map { ["text/plain": $0] } ?? [String: Any](),
                    "metadata": [String: Any](),
                ], on: socket)
        case "history_request":
            let entries = history.entries(for: request.content)
            reply(request, "history_reply", ["status": "ok", "history": entries], on: socket)
        case "comm_info_request":
            reply(request, "comm_info_reply", ["status": "ok", "comms": [String: Any]()], on: socket)
        case "comm_open":
            // No comm targets: close every comm a front end opens.
            if let id = request.content["comm_id"] as? String {
                publish("comm_close", ["comm_id": id, "data": [String: Any]()], parent: request)
            }
        case "comm_msg", "comm_close":
            break
        default:
            Log.write("ignored an unknown \(channel) message '\(type)'")
        }
    }

    /// Sends the reply to `request` on `socket`.
    func reply(_ request: Message, _ type: String, _ content: [String: Any], on socket: ZMQSocket) {
        send(request.response(type: type, content: content, session: session), on: socket)
    }

    /// The content of `kernel_info_reply`.
    var kernelInfo: [String: Any] {
        [
            "status": "ok",
            "protocol_version": MessageHeader.protocolVersion,
            "implementation": "gnpe-kernel",
            "implementation_version": "0.1.0",
            "language_info": [
                "name": "swift", "version": Self.swiftVersion, "mimetype": "text/x-swift",
                "file_extension": ".swift", "pygments_lexer": "swift", "codemirror_mode": "swift",
            ],
            "banner": "Swift \(Self.swiftVersion) with GNPE (neural posterior estimation); "
                + "the library is imported in every cell.",
            "help_links": [[String: Any]](),
            "debugger": false,
        ]
    }

    /// Replies to `shutdown_request` and exits (a restart is the front end starting a new process).
    private func shutdown(_ request: Message, socket: ZMQSocket) -> Never {
        let restart = request.content["restart"] as? Bool ?? false
        publishStatus("busy", parent: request)
        reply(request, "shutdown_reply", ["status": "ok", "restart": restart], on: socket)
        publishStatus("idle", parent: request)
        terminate(
            status: 0, reason: restart ? "restart requested; exiting (kept items stay for the next kernel)" : "shutdown requested",
            restarting: restart)
    }
}
