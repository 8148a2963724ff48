import Foundation
import JupyterProtocol
import KernelRuntime

/// One running kernel: the five sockets of a connection file, the threads that serve them, and
/// the engine that runs cells.
///
/// Threads: shell requests are handled on the thread that calls ``serve()`` (one at a time, in
/// order); control (interrupt, shutdown, kernel_info) and heartbeat each have their own thread so
/// that they answer while a cell runs; a watcher thread exits the kernel when its parent goes.
/// iopub and stdin are shared and locked.
final class Kernel: @unchecked Sendable {
    let connection: ConnectionInfo
    /// The connection file's path (a restart's next kernel is started on the same file).
    let connectionFile: String
    /// The kernel's private working directory, removed when the kernel exits.
    let sessionDirectory: SessionDirectory
    let codec: WireCodec
    let engine: ExecutionEngine
    /// This kernel's session id (the `session` of every message it sends).
    let session = UUID().uuidString.lowercased()

    private let context: ZMQContext
    let shell: ZMQSocket
    let control: ZMQSocket
    let heartbeat: ZMQSocket
    let iopub: LockedSocket
    let stdin: LockedSocket

    /// The count shown as `In [n]`; incremented by cells with `store_history`. Shell thread only.
    var executionCount = 0
    /// The number given to the engine for each execution (unique, monotonic). Shell thread only.
    var cellNumber = 0
    /// The cells of this session, for `history_request`.
    let history = SessionHistory()

    private let exitLock = NSLock()
    private var exiting = false

    /// Binds every socket of `connection`.
    /// - Parameters:
    ///   - connection: The parsed connection file.
    ///   - connectionFile: Its path.
    ///   - engine: Runs the cells.
    ///   - session: The kernel's session directory.
    /// - Throws: ``ZMQError`` when a port cannot be bound.
    init(connection: ConnectionInfo, connectionFile: String, engine: ExecutionEngine, session: SessionDirectory) throws {
        self.connection = connection
        self.connectionFile = connectionFile
        self.sessionDirectory = session
        self.codec = WireCodec(signer: connection.signer)
        self.engine = engine
        context = try ZMQContext()
        shell = try ZMQSocket(context: context, kind: .router)
        control = try ZMQSocket(context: context, kind: .router)
        heartbeat = try ZMQSocket(context: context, kind: .reply)
        let iopubSocket = try ZMQSocket(context: context, kind: .publisher)
        let stdinSocket = try ZMQSocket(context: context, kind: .router)
        try shell.bind(connection.endpoint(port: connection.shellPort))
        try control.bind(connection.endpoint(port: connection.controlPort))
        try heartbeat.bind(connection.endpoint(port: connection.heartbeatPort))
        try iopubSocket.bind(connection.endpoint(port: connection.iopubPort))
        try stdinSocket.bind(connection.endpoint(port: connection.stdinPort))
        iopub = LockedSocket(iopubSocket)
        stdin = LockedSocket(stdinSocket)
    }

    /// Serves requests until shutdown; never returns.
    func serve() -> Never {
        signal(SIGINT, SIG_IGN)  // interrupts arrive as interrupt_request (interrupt_mode "message")
        signal(SIGPIPE, SIG_IGN)
        startThread(name: "heartbeat") { [self] in serveHeartbeat() }
        startThread(name: "control") { [self] in serveLoop(on: control, channel: "control") }
        startThread(name: "parent-watch") { [self] in watchParent() }
        if let signals = installSignalHandlers() {
            startThread(name: "signals") { [self] in watchSignals(readEnd: signals) }
        }
        publishStatus("starting", parent: nil)
        serveLoop(on: shell, channel: "shell")
    }

    private func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Receives, verifies and dispatches messages from `socket` forever.
    private func serveLoop(on socket: ZMQSocket, channel: String) -> Never {
        while true {
            guard socket.waitForInput(milliseconds: 500) else { continue }
            guard let frames = try? socket.receive() else { continue }
            guard let message = decode(frames, channel: channel) else { continue }
            dispatch(message, socket: socket, channel: channel)
        }
    }

    /// Decodes `frames`, logging and dropping messages that do not verify.
    func decode(_ frames: [Data], channel: String) -> Message? {
        do {
            return try codec.decode(frames)
        } catch let error as WireError {
            Log.write("dropped a \(channel) \(error)")
        } catch {
            Log.write("dropped a \(channel) message: \(error)")
        }
        return nil
    }

    /// Echoes every heartbeat frame back.
    private func serveHeartbeat() {
        while true {
            guard let frames = try? heartbeat.receive() else {
                usleep(10_000)
                continue
            }
            try? heartbeat.send(frames)
        }
    }

    // MARK: - Sending

    /// Sends `message` on a socket used only by the calling thread (shell or control).
    func send(_ message: Message, on socket: ZMQSocket) {
        do { try socket.send(codec.encode(message)) } catch { Log.write("send failed: \(error)") }
    }

    /// Publishes `type` with `content` on iopub, as a child of `parent`.
    func publish(_ type: String, _ content: [String: Any], parent: Message?, metadata: [String: Any] = [:]) {
        var message = Message(
            header: MessageHeader(messageType: type, session: session),
            parentHeader: parent?.header.json ?? [:], metadata: metadata, content: content)
        message.identities = [Data("kernel.\(session).\(type)".utf8)]
        let frames = codec.encode(message)
        iopub.withSocket { socket in
            do { try socket.send(frames) } catch { Log.write("iopub send failed: \(error)") }
        }
    }

    /// Publishes `status` with `execution_state` `state`.
    func publishStatus(_ state: String, parent: Message?) {
        publish("status", ["execution_state": state], parent: parent)
    }

    // MARK: - Leaving

    /// Stops the engine, removes the session directory (or, for a restart, leaves its kept
    /// items for the next kernel) and exits the process (once, whichever thread gets here first).
    func terminate(status: Int32, reason: String, restarting: Bool = false) -> Never {
        exitLock.lock()
        if exiting {
            exitLock.unlock()
            while true { sleep(1) }
        }
        exiting = true
        exitLock.unlock()
        Log.write(reason)
        engine.shutdown()
        if restarting {
            sessionDirectory.prepareForRestart(connectionFile: connectionFile)
        } else {
            sessionDirectory.remove()
        }
        usleep(100_000)  // let ZeroMQ's I/O thread deliver the last replies
        exit(status)
    }

    /// Exits when the front end that started the kernel is gone.
    private func watchParent() {
        let originalParent = getppid()
        let jupyterParent = ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { pid_t($0) }
        while true {
            sleep(1)
            if let jupyterParent, jupyterParent > 1, kill(jupyterParent, 0) != 0, errno == ESRCH {
                terminate(status: 0, reason: "parent process \(jupyterParent) is gone; exiting")
            }
            if originalParent > 1, getppid() != originalParent {
                terminate(status: 0, reason: "parent process \(originalParent) is gone; exiting")
            }
        }
    }

    /// Installs handlers so that the kernel exits cleanly on SIGTERM and SIGHUP (SIGINT stays ignored: interrupts arrive as
    /// `interrupt_request`). The handler only writes the signal's number to a pipe; this
    /// thread reads it and terminates. A handled signal reverts to its default in the compiler
    /// and worker processes the kernel starts, so they stay killable.
    private func installSignalHandlers() -> Int32? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        signalPipeWriteEnd = fds[1]
        for number in [SIGTERM, SIGHUP] {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
        return fds[0]
    }

    private func watchSignals(readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(readEnd, &byte, 1)
            if n == 1 {
                let name = Int32(byte) == SIGTERM ? "SIGTERM" : "SIGHUP"
                terminate(status: 128 + Int32(byte), reason: "received \(name); exiting")
            }
            if n < 0 && errno != EINTR { return }
        }
    }
}

/// The write end of the pipe the signal handler writes to (a global: a C signal handler
/// cannot capture context).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
