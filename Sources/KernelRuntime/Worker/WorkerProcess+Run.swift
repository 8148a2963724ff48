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
        perform("run \(libraryPath)", sink: sink, stderrTail: &stderrTail)
    }

    /// Loads the shared library at `libraryPath` (an installed package) into the worker with
    /// `RTLD_NOW | RTLD_GLOBAL`, so that the cells that link it use this copy.
    /// - Parameters:
    ///   - libraryPath: The library.
    ///   - sink: Where output goes.
    ///   - stderrTail: Receives the last lines written to standard error.
    /// - Returns: `.ok`, `.loadError`, or `.exited` when the worker died.
    func load(libraryPath: String, sink: ExecutionSink, stderrTail: inout [String]) -> WorkerStatus {
        perform("load \(libraryPath)", sink: sink, stderrTail: &stderrTail)
    }

    /// Sends one command and waits for its status line, streaming output meanwhile.
    private func perform(_ command: String, sink: ExecutionSink, stderrTail: inout [String]) -> WorkerStatus {
        var streams = OutputStreams(worker: self, sink: sink)
        streams.drainAvailable()  // output of background work since the last cell
        streams.errorTail = []
        guard writeLine(command, to: commandFD) else {
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
