// gnpe-worker: the process that runs notebook cells for the kernel.
//
// It depends on no GNPE module on purpose (an executable that depends on the dynamic library's
// targets gets their code linked in statically, and a cell would then see a second copy of every
// global and type). It `dlopen`s `libGNPE.so` once with RTLD_NOW | RTLD_GLOBAL, then loads each
// cell's library and calls its `cell_entry`.
//
// Environment (set by the kernel's `WorkerProcess`):
//   GNPE_LIBRARY      path of libGNPE.so
//   GNPE_COMMAND_FD   commands, one per line: `run <path of libCell_N.so>`, or `load <path>`
//                     (dlopen a library of an installed package, RTLD_NOW | RTLD_GLOBAL; replies
//                     `ok` or `loaderror`)
//   GNPE_STATUS_FD    replies, one per line: `ready`, `ok`, `error <type>\t<message>`,
//                     `loaderror <message>`, `fatal <message>` (tabs, newlines and backslashes
//                     in the fields escaped as \t, \n, \\)
//   GNPE_DISPLAY_FD   rich output (written by libGNPE's DisplayChannel)
//   GNPE_INPUT_FD     answers to input requests (read by libGNPE's readLine)

#if canImport(Glibc)
    import Glibc
#endif

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

func descriptor(_ name: String) -> Int32? {
    environment(name).flatMap { Int32($0) }
}

func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

guard let statusFD = descriptor("GNPE_STATUS_FD"), let commandFD = descriptor("GNPE_COMMAND_FD") else {
    fputs("gnpe-worker: run by the gnpe-kernel only (GNPE_STATUS_FD and GNPE_COMMAND_FD are not set)\n", stderr)
    exit(2)
}

func report(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(statusFD, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { exit(3) }
        offset += n
    }
}

func lastLoaderError() -> String {
    dlerror().map { String(cString: $0) } ?? "unknown error"
}

// Close descriptors inherited from the kernel beyond the six pipes (its sockets must not stay
// open in the worker).
let descriptorLimit = min(Int32(sysconf(Int32(_SC_OPEN_MAX))), 65536)
if descriptorLimit > 7 {
    for fd in 7..<descriptorLimit { close(fd) }
}

// Until libGNPE installs its handler, an interrupt must not end the worker.
signal(SIGINT, SIG_IGN)
setvbuf(stdout, nil, _IOLBF, 0)

// Exit when the kernel goes away (this process is reparented).
let parent = getppid()
var watchdog = pthread_t()
pthread_create(&watchdog, nil, { _ in
    while true {
        sleep(1)
        if getppid() != parent { _exit(0) }
    }
}, nil)

guard let libraryPath = environment("GNPE_LIBRARY") else {
    report("fatal \(escaped("GNPE_LIBRARY is not set"))")
    exit(2)
}
guard dlopen(libraryPath, RTLD_NOW | RTLD_GLOBAL) != nil else {
    report("fatal \(escaped("cannot load \(libraryPath): \(lastLoaderError())"))")
    exit(2)
}
typealias Hook = @convention(c) () -> Void
func callHook(_ name: String) {
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) {
        unsafeBitCast(symbol, to: Hook.self)()
    }
}
callHook("gnpe_worker_did_load")
report("ready")

typealias Reporter = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void
typealias CellEntry = @convention(c) (Reporter) -> Int32
nonisolated(unsafe) var failure: (type: String, message: String)?

/// Reads one line from the command pipe; nil at end of file.
func readCommand() -> String? {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
        let n = read(commandFD, &byte, 1)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
        if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
        line.append(byte)
    }
}

while let command = readCommand() {
    if command.hasPrefix("load ") {
        let path = String(command.dropFirst(5))
        if dlopen(path, RTLD_NOW | RTLD_GLOBAL) != nil {
            report("ok")
        } else {
            report("loaderror \(escaped(lastLoaderError()))")
        }
        continue
    }
    guard command.hasPrefix("run ") else {
        report("fatal \(escaped("unknown command: \(command)"))")
        continue
    }
    let path = String(command.dropFirst(4))
    callHook("gnpe_will_run_cell")
    guard let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
        report("loaderror \(escaped(lastLoaderError()))")
        continue
    }
    guard let symbol = dlsym(handle, "cell_entry") else {
        report("loaderror \(escaped("no cell_entry in \(path)"))")
        continue
    }
    failure = nil
    let entry = unsafeBitCast(symbol, to: CellEntry.self)
    let status = entry { type, message in
        failure = (String(cString: type), String(cString: message))
    }
    fflush(stdout)
    fflush(stderr)
    if status != 0, let failure {
        report("error \(escaped(failure.type))\t\(escaped(failure.message))")
    } else {
        report("ok")
    }
}
exit(0)
