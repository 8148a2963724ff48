import ArgumentParser
import Foundation
import JupyterProtocol
import KernelRuntime

/// `gnpe-kernel run`: serves one kernel on the sockets of a connection file until shutdown.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kernel on the sockets described by a Jupyter connection file.",
        discussion: """
            Front ends run this through kernel.json. The kernel binds only the transport and \
            address of the connection file, and refuses a connection file with an empty key \
            (unsigned messages: anyone who can reach the ports could run code) unless \
            --allow-unsigned is given. Its working files go to a private directory \
            (gnpe-kernel-<pid>-<random>, mode 0700) in the Jupyter runtime directory, removed \
            when the kernel exits; directories of kernels that are gone are removed at start. \
            The kernel exits on shutdown_request, SIGTERM or SIGHUP, or when the process that \
            started it (JPY_PARENT_PID, else the parent process) goes away.
            """)

    @Option(help: ArgumentHelp("The JSON connection file written by the front end.", valueName: "file"))
    var connectionFile: String

    @Flag(help: ArgumentHelp(
        "Accept a connection file with an empty key: messages are then neither signed nor checked, and anyone who can reach the ports can run code as you."))
    var allowUnsigned = false

    @Flag(help: .hidden)
    var fakeEngine = false

    func run() throws {
        // Everything the kernel, the compiler and the worker write is private to the user.
        umask(0o077)
        let connection: ConnectionInfo
        do {
            connection = try ConnectionInfo(contentsOf: connectionFile)
        } catch let error as ConnectionFileError {
            Log.write(error.description)
            throw ExitCode.failure
        }
        if connection.key.isEmpty && !allowUnsigned {
            Log.write(
                "refusing to start: the connection file \(connectionFile) has an empty \"key\", so messages would not be signed and anyone who can reach the ports could run code. Use a connection file with a key, or pass --allow-unsigned to accept unsigned messages.")
            throw ExitCode.failure
        }
        let runtimeDirectory = SessionDirectory.runtimeDirectory()
        for path in SessionDirectory.sweep(runtimeDirectory: runtimeDirectory) {
            Log.write("removed the session directory of a kernel that is gone: \(path)")
        }
        let session: SessionDirectory
        do {
            session = try SessionDirectory.open(runtimeDirectory: runtimeDirectory, connectionFile: connectionFile)
        } catch {
            Log.write("\(error)")
            throw ExitCode.failure
        }
        let useFake = fakeEngine
        let sessionPath = session.path
        let engine = DeferredEngine {
            useFake ? FakeEngine() : try EngineFactory.makeDefault(sessionDirectory: sessionPath)
        }
        let kernel: Kernel
        do {
            kernel = try Kernel(
                connection: connection, connectionFile: connectionFile, engine: engine, session: session)
        } catch {
            Log.write("cannot bind the connection file's ports: \(error)")
            session.remove()
            throw ExitCode.failure
        }
        let ports = [
            ("shell", connection.shellPort), ("iopub", connection.iopubPort), ("stdin", connection.stdinPort),
            ("control", connection.controlPort), ("hb", connection.heartbeatPort),
        ].map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        Log.write(
            "listening on \(connection.transport) \(connection.ip) only (\(ports)); messages "
                + (connection.key.isEmpty ? "NOT signed (--allow-unsigned)" : "signed with \(connection.signatureScheme)")
                + "; session directory \(session.path)")
        kernel.serve()
    }
}
