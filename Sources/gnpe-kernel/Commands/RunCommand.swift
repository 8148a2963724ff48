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
            Front ends run this through kernel.json. The kernel exits on shutdown_request, or when \
            the process that started it (JPY_PARENT_PID, else the parent process) goes away.
            """)

    @Option(help: ArgumentHelp("The JSON connection file written by the front end.", valueName: "file"))
    var connectionFile: String

    @Flag(help: .hidden)
    var fakeEngine = false

    func run() throws {
        let connection: ConnectionInfo
        do {
            connection = try ConnectionInfo(contentsOf: connectionFile)
        } catch let error as ConnectionFileError {
            Log.write(error.description)
            throw ExitCode.failure
        }
        let useFake = fakeEngine
        let engine = DeferredEngine { useFake ? FakeEngine() : try EngineFactory.makeDefault() }
        let kernel = try Kernel(connection: connection, engine: engine)
        kernel.serve()
    }
}
