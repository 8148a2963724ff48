import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A running `gnpe-worker` process and the pipes connecting it to the kernel.
///
/// The worker gets six pipes: standard output and error, the display channel (rich output as
/// JSON lines, fd in `GNPE_DISPLAY_FD`), the status pipe (one line per finished cell,
/// `GNPE_STATUS_FD`), the command pipe (`run <library>`, `GNPE_COMMAND_FD`) and the input pipe
/// (answers to `readLine()`, `GNPE_INPUT_FD`). It runs in its own process group, so a Ctrl-C
/// in the kernel's terminal does not reach it; the kernel interrupts it with SIGINT.
final class WorkerProcess: @unchecked Sendable {
    /// Environment defaults the worker starts with unless the kernel's environment sets them
    /// (measured on the 2-core machine; a user's own settings win):
    /// - one BLAS thread: the library spreads work over the cores above BLAS (training parts,
    ///   sampling parts, simulations), and BLAS's own threads competed with them (10⁴ GW draws
    ///   0.52–0.56 s with one BLAS thread, 0.73–0.79 s with two; an SVD gains 5 % from two);
    /// - glibc malloc keeping its arenas (allocations up to 32 MB from the arenas, up to 64 MB
    ///   free kept per arena, 16 MB padding when one grows): by default it gives memory back as
    ///   soon as an arena's free top passes 128 KB, so the threads of every parallel loop faulted
    ///   fresh zeroed pages in for each step (10⁴ GW draws 0.50–0.52 s against 0.39–0.41 s with
    ///   the settings; IMRPhenomD batches on 2 cores 1.0× one core against 1.7×). The cost is at
    ///   most that much memory kept per arena (`mallopt(3)`).
    static let environmentDefaults = [
        "OPENBLAS_NUM_THREADS": "1",
        "MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "67108864", "MALLOC_TOP_PAD_": "16777216",
    ]

    /// The worker's process id.
    let pid: pid_t
    let stdoutFD: Int32
    let stderrFD: Int32
    let displayFD: Int32
    let statusFD: Int32
    let commandFD: Int32
    let inputFD: Int32
    private var reaped = false
    private var exitStatus: Int32 = 0
    private let lock = NSLock()

    /// Why the worker could not start.
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a worker and waits for its `ready` line.
    /// - Parameters:
    ///   - executable: Path of `gnpe-worker`.
    ///   - libraryPath: Path of `libGNPE.so`.
    ///   - sessionDirectory: The kernel's session directory, passed as `GNPE_SESSION_DIR`.
    ///   - timeout: Seconds to wait for the worker to load the library.
    init(executable: String, libraryPath: String, sessionDirectory: String? = nil, timeout: Double = 60) throws {
        // Child end, parent end for each pipe; all close-on-exec and numbered ≥ 10 so that the
        // dup2 calls into 1…6 cannot overwrite one another.
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw StartError(description: "pipe: \(String(cString: strerror(errno)))") }
            let read = fcntl(fds[0], F_DUPFD_CLOEXEC, 10)
            let write = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[0])
            close(fds[1])
            return (read, write)
        }
        let out = try makePipe(), err = try makePipe(), display = try makePipe()
        let status = try makePipe(), command = try makePipe(), input = try makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        posix_spawn_file_actions_adddup2(&actions, display.write, 3)
        posix_spawn_file_actions_adddup2(&actions, status.write, 4)
        posix_spawn_file_actions_adddup2(&actions, command.read, 5)
        posix_spawn_file_actions_adddup2(&actions, input.read, 6)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["GNPE_LIBRARY"] = libraryPath
        environment["GNPE_SESSION_DIR"] = sessionDirectory
        // A crash reports the runtime's one-line message; the full backtrace would push it out
        // of the stderr tail the kernel shows (and takes a while to print).
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        for (name, value) in Self.environmentDefaults where environment[name] == nil { environment[name] = value }
        environment["GNPE_DISPLAY_FD"] = "3"
        environment["GNPE_STATUS_FD"] = "4"
        environment["GNPE_COMMAND_FD"] = "5"
        environment["GNPE_INPUT_FD"] = "6"
        let environmentStrings = environment.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environmentStrings.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for fd in [out.write, err.write, display.write, status.write, command.read, input.read] { close(fd) }
        guard result == 0 else {
            for fd in [out.read, err.read, display.read, status.read, command.write, input.write] { close(fd) }
            throw StartError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        stdoutFD = out.read
        stderrFD = err.read
        displayFD = display.read
        statusFD = status.read
        commandFD = command.write
        inputFD = input.write
        for fd in [stdoutFD, stderrFD, displayFD, statusFD] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        try waitUntilReady(timeout: timeout)
    }

    deinit {
        terminate()
        for fd in [stdoutFD, stderrFD, displayFD, statusFD, commandFD, inputFD] { close(fd) }
    }

    /// Reads the `ready` line (or the reason the worker could not start).
    private func waitUntilReady(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var line: [UInt8] = []
        var errorText: [UInt8] = []
        while Date() < deadline {
            var fds = [pollfd(fd: statusFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, 100)
            _ = readAvailable(stderrFD, into: &errorText)
            let open = readAvailable(statusFD, into: &line)
            if let newline = line.firstIndex(of: 0x0A) {
                let text = String(decoding: line[..<newline], as: UTF8.self)
                if text == "ready" { return }
                terminate()
                throw StartError(description: "the worker did not start: \(WorkerStatus.unescape(String(text.drop { $0 != " " }.dropFirst())))")
            }
            if !open {
                terminate()
                throw StartError(description: "the worker exited at start: \(String(decoding: errorText, as: UTF8.self))")
            }
        }
        terminate()
        throw StartError(description: "the worker did not load the library within \(Int(timeout)) s")
    }

    /// Appends what can be read from `fd` now; false at end of file.
    func readAvailable(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer += chunk[..<n]
                continue
            }
            if n == 0 { return false }
            if errno == EINTR { continue }
            return true  // EAGAIN: nothing more for now
        }
    }

    /// Writes a line to the command or input pipe; false when the worker is gone.
    @discardableResult
    func writeLine(_ text: String, to fd: Int32) -> Bool {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Sends a signal to the worker (unless it was already reaped).
    func signal(_ number: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if !reaped { kill(pid, number) }
    }

    /// Waits for the worker to exit and returns its wait status.
    func waitForExit() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if !reaped {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = status
            reaped = true
        }
        return exitStatus
    }

    /// Kills the worker and reaps it.
    func terminate() {
        signal(SIGKILL)
        _ = waitForExit()
    }
}
