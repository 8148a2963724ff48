import ArgumentParser

/// The `gnpe-kernel` command: a Jupyter kernel for Swift cells that use the GNPE library.
struct GNPEKernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnpe-kernel",
        abstract: "A Jupyter kernel for Swift notebooks using the GNPE library.",
        discussion: """
            Install the kernelspec once with `gnpe-kernel install --user`; Jupyter front ends \
            (JupyterLab, Notebook, jupyter console, nbclient) then start the kernel with \
            `gnpe-kernel run --connection-file <file>`. `gnpe-kernel new-model NAME` creates a \
            Swift package for a model whose `simulate` executable runs simulations in shards.
            """,
        subcommands: [InstallCommand.self, RunCommand.self, NewModelCommand.self])
}
