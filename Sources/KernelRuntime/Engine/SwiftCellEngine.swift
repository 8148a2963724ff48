import CellCompiler
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Compiles each cell into a shared library and runs it in a supervised `gnpe-worker` process,
/// keeping state from cell to cell (see DESIGN.md, "Executing Swift cells").
///
/// - Each execution becomes a module `Cell_N` compiled with `swiftc -O -wmo` against
///   `libGNPE.so` and the earlier cells (``CellCompiler``); the worker `dlopen`s it and calls its
///   `cell_entry`. Globals, functions, types and objects persist; a later definition of a name
///   replaces the earlier one.
/// - Output streams to the sink while the cell runs; `execute` returns after all of it.
/// - A crash (a trap, SIGSEGV …) ends the worker: the cell fails with ename `Crash`, naming the
///   signal and the last lines of standard error, and a new worker starts. Values and objects are
///   lost, the definitions are kept: later cells still see earlier cells' functions, types and
///   globals, and a global gets its initial value again (its initialiser reruns when first used);
///   statements of earlier cells do not rerun. Re-run cells to rebuild state.
/// - ``interrupt()`` sends SIGINT: library loops that poll `Interruption.checkpoint` throw
///   `InterruptedError` and the state is kept. A cell that has not stopped after
///   ``EngineConfiguration/interruptGracePeriod`` seconds is killed and the worker restarted,
///   with the same loss of values as a crash.
/// - `readLine()` in a cell asks the front end through ``ExecutionSink/requestInput(prompt:password:)``.
///
/// `execute` calls are serialised; `interrupt`, `complete`, `inspect` and `isComplete` may be
/// called from other threads meanwhile.
public final class SwiftCellEngine: ExecutionEngine, @unchecked Sendable {
    /// The configuration the engine was created with.
    public let configuration: EngineConfiguration
    let compiler: CellCompiler
    let installer: PackageInstaller
    private let cellsDirectory: String
    private let ownsCellsDirectory: Bool
    private let executeLock = NSLock()
    private let stateLock = NSLock()
    private var worker: WorkerProcess?
    private var phase: Phase = .idle
    private var runSerial = 0
    private var killedByInterrupt = false
    /// Set by ``interrupt()`` while a cell is being executed (waiting for the engine, compiling
    /// or running); checked before the compiled cell is started, so an interrupt that lands
    /// between two phases is never lost.
    private var interruptRequested = false
    /// True from the moment `execute` is entered until it returns.
    private var executing = false
    private var isShutDown = false
    private let completionLock = NSLock()
    private var completionService: SourceKitService?
    private var completionServiceFailed = false

    private enum Phase { case idle, compiling, running }

    /// Creates an engine and starts its worker; warms the compiler's module cache in the
    /// background (the first compile after a cold start takes ~1 s longer).
    /// - Parameter configuration: Where the compiler, library and worker are
    ///   (``EngineConfiguration/besideExecutable()``).
    /// - Throws: When the worker cannot start or load the library.
    public init(configuration: EngineConfiguration) throws {
        self.configuration = configuration
        if let directory = configuration.cellsDirectory {
            cellsDirectory = directory
            ownsCellsDirectory = false
        } else if let session = configuration.sessionDirectory {
            cellsDirectory = session + "/cells"
            ownsCellsDirectory = false  // the kernel removes the session directory
        } else {
            cellsDirectory = NSTemporaryDirectory() + "gnpe-cells-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            ownsCellsDirectory = true
        }
        try FileManager.default.createDirectory(
            atPath: cellsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        compiler = CellCompiler(configuration: CellCompilerConfiguration(
            compiler: configuration.compiler, modulesDirectory: configuration.modulesDirectory,
            libraryDirectory: URL(fileURLWithPath: configuration.libraryPath).deletingLastPathComponent().path,
            cellsDirectory: cellsDirectory, extraFlags: configuration.extraCompilerFlags,
            selectsImports: !configuration.importsAllCells))
        installer = PackageInstaller(
            cacheDirectory: configuration.packageCacheDirectory ?? PackageInstaller.defaultCacheDirectory(),
            swift: configuration.swiftDriver
                ?? URL(fileURLWithPath: configuration.compiler).deletingLastPathComponent().appendingPathComponent("swift").path,
            compiler: configuration.compiler, libraryPath: configuration.libraryPath,
            modulesDirectory: configuration.modulesDirectory, libraryFlags: configuration.extraCompilerFlags,
            librarySourceRoot: configuration.librarySourceRoot)
        worker = try Self.startWorker(configuration)
        // Warm the module cache (a cold one adds ~1 s to the first cell). The warm-up cell
        // declares nothing; whichever of it and the first real cell takes the lock first runs first.
        DispatchQueue.global().async { [compiler, executeLock] in
            executeLock.lock()
            _ = compiler.compile("()")
            executeLock.unlock()
        }
    }

    deinit { shutdown() }

    // MARK: - Executing

    /// Compiles and runs `code` (see ``ExecutionEngine/execute(code:executionCount:sink:)``).
    public func execute(code: String, executionCount: Int, sink: ExecutionSink) -> ExecutionOutcome {
        // `%include` and `%install` lines first (see ``ExpandedCell``).
        let expanded: ExpandedCell
        do {
            expanded = try ExpandedCell(expanding: code, workingDirectory: FileManager.default.currentDirectoryPath)
        } catch let error as CellDirectiveError {
            return .error(name: "DirectiveError", value: error.message, traceback: [error.description])
        } catch {
            return .error(name: "DirectiveError", value: "\(error)", traceback: ["error: \(error)"])
        }
        let code = expanded.text
        // A cell of only whitespace and comments has nothing to compile.
        let hasCode = !SplitCell(parsing: code).items.isEmpty
        if !hasCode && expanded.installations.isEmpty && !isShutDownNow { return .ok }
        stateLock.withLock {
            executing = true
            interruptRequested = false
        }
        defer { stateLock.withLock { executing = false } }
        executeLock.lock()
        defer { executeLock.unlock() }
        guard setPhase(.compiling) else {
            return .error(name: "KernelShutDown", value: "The kernel was shut down.", traceback: ["The kernel was shut down."])
        }
        defer { _ = setPhase(.idle) }
        if stateLock.withLock({ interruptRequested }) {
            return .error(name: "Interrupted", value: "The cell was interrupted before it started.",
                          traceback: ["Interrupted before the cell started; nothing ran."])
        }
        for installation in expanded.installations {
            if let failure = install(installation, sink: sink) { return failure }
        }
        if !hasCode { return .ok }
        let compiled: CellCompiler.CompiledCell
        switch compiler.compile(code) {
        case .success(let cell): compiled = cell
        case .failure(let failure):
            if failure.wasCancelled {
                return .error(name: "Interrupted", value: "Compilation was interrupted.",
                              traceback: ["Interrupted while compiling the cell; nothing ran."])
            }
            let located = expanded.hasDirectives ? failure.relocated(to: expanded) : failure
            let first = located.diagnostics.first { $0.severity == .error }
            return .error(
                name: "CompileError", value: first?.message ?? "the cell did not compile",
                traceback: located.formattedLines)
        }
        guard let current = ensureWorker(sink: sink) else {
            return .error(name: "WorkerError", value: "The worker process could not be started.",
                          traceback: ["The worker process could not be started; see the kernel's log."])
        }
        stateLock.lock()
        if interruptRequested {
            stateLock.unlock()
            return .error(name: "Interrupted", value: "The cell was interrupted before it started.",
                          traceback: ["Interrupted before the cell started; nothing ran."])
        }
        phase = .running
        runSerial += 1
        killedByInterrupt = false
        stateLock.unlock()
        var stderrTail: [String] = []
        let status = current.run(libraryPath: compiled.libraryPath, sink: sink, stderrTail: &stderrTail)
        compiler.removeLibrary(of: compiled)
        stateLock.lock()
        let wasKilled = killedByInterrupt
        stateLock.unlock()
        return outcome(of: status, module: compiled.module, stderrTail: stderrTail, killedByInterrupt: wasKilled)
    }

    private func outcome(of status: WorkerStatus, module: String, stderrTail: [String], killedByInterrupt: Bool)
        -> ExecutionOutcome
    {
        switch status {
        case .ok:
            return .ok
        case .thrown(let reported, let message):
            // `Type\u{1}name`: the initialiser of the top-level `let name = try …` threw.
            let parts = reported.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            let type = parts.first ?? reported
            var traceback = ["\(type): \(message)"]
            if parts.count == 2 {
                compiler.forgetGlobal(parts[1], declaredIn: module)
                traceback.append("`\(parts[1])` is not defined: its initialiser threw.")
            }
            return .error(name: type, value: message, traceback: traceback)
        case .loadError(let message):
            return .error(name: "LoadError", value: message, traceback: ["The cell's library did not load: \(message)"])
        case .fatal(let message):
            replaceWorker()
            return .error(name: "WorkerError", value: message, traceback: ["The worker failed: \(message)"] + crashReport())
        case .exited(let waitStatus):
            replaceWorker()
            if killedByInterrupt {
                let text = "The cell did not stop within \(Self.seconds(configuration.interruptGracePeriod)) after the interrupt (it does not poll Interruption.checkpoint), so the worker was killed and restarted."
                return .error(name: "Interrupted", value: text, traceback: [text] + crashReport())
            }
            let signal = (waitStatus & 0x7F) != 0 && (waitStatus & 0x7F) != 0x7F ? waitStatus & 0x7F : 0
            let summary = signal != 0
                ? "The worker crashed with \(Self.signalName(signal)) (\(Self.signalMeaning(signal)))."
                : "The worker exited with status \((waitStatus >> 8) & 0xFF)."
            var traceback = [summary]
            let tail = stderrTail.suffix(10).filter { !$0.isEmpty }
            if !tail.isEmpty { traceback += ["Last lines on standard error:"] + tail.map { "    " + $0 } }
            traceback += crashReport()
            return .error(name: "Crash", value: summary, traceback: traceback)
        }
    }

    /// What the library left in the session directory (what was running, the kept items),
    /// then what the new worker has lost.
    private func crashReport() -> [String] {
        guard let session = configuration.sessionDirectory else { return [SessionRecords.restartNote] }
        return SessionRecords(directory: session).crashReport()
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: return "SIGILL"
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(signal)"
        }
    }

    static func signalMeaning(_ signal: Int32) -> String {
        switch signal {
        case SIGILL, SIGTRAP: return "a trap: fatalError, precondition, arithmetic overflow, index out of range, force-unwrapped nil"
        case SIGSEGV, SIGBUS: return "invalid memory access"
        case SIGABRT: return "aborted"
        case SIGFPE: return "arithmetic error"
        case SIGKILL: return "killed, possibly for using too much memory"
        default: return String(cString: strsignal(signal))
        }
    }

    // MARK: - Worker lifecycle

    private var isShutDownNow: Bool { stateLock.withLock { isShutDown } }

    /// Sets the phase unless the engine was shut down.
    private func setPhase(_ new: Phase) -> Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        if isShutDown { return false }
        phase = new
        return true
    }

    func ensureWorker(sink: ExecutionSink) -> WorkerProcess? {
        stateLock.lock()
        let existing = worker
        stateLock.unlock()
        if let existing { return existing }
        do {
            let started = try Self.startWorker(configuration)
            stateLock.lock()
            worker = started
            stateLock.unlock()
            return started
        } catch {
            sink.standardError("gnpe: \(error)\n")
            return nil
        }
    }

    private static func startWorker(_ configuration: EngineConfiguration) throws -> WorkerProcess {
        try WorkerProcess(
            executable: configuration.workerPath, libraryPath: configuration.libraryPath,
            sessionDirectory: configuration.sessionDirectory)
    }

    /// Drops the current worker and starts a new one (a new worker costs a few milliseconds).
    func replaceWorker() {
        stateLock.lock()
        let old = worker
        worker = nil
        let shutDown = isShutDown
        stateLock.unlock()
        old?.terminate()
        guard !shutDown else { return }
        if let started = try? Self.startWorker(configuration) {
            stateLock.lock()
            worker = started
            stateLock.unlock()
        }
    }

    /// Interrupts the running cell: SIGINT now, and a kill and restart of the worker if the cell
    /// is still running after the grace period. Interrupting a compilation stops the compiler.
    public func interrupt() {
        stateLock.lock()
        let current = worker
        let serial = runSerial
        let currentPhase = phase
        if executing { interruptRequested = true }
        stateLock.unlock()
        switch currentPhase {
        case .idle: return
        case .compiling:
            compiler.cancel()
            installer.cancel()
        case .running:
            current?.signal(SIGINT)
            DispatchQueue.global().asyncAfter(deadline: .now() + configuration.interruptGracePeriod) { [weak self] in
                guard let self else { return }
                self.stateLock.lock()
                let stillRunning = self.phase == .running && self.runSerial == serial && self.worker === current
                if stillRunning { self.killedByInterrupt = true }
                self.stateLock.unlock()
                if stillRunning { current?.signal(SIGKILL) }
            }
        }
    }

    /// Restarts the worker and forgets every cell.
    public func restart() {
        interruptAndWaitForIdle()
        executeLock.lock()
        defer { executeLock.unlock() }
        compiler.reset()
        replaceWorker()
    }

    /// Stops the worker for good and removes the compiled cells.
    public func shutdown() {
        stateLock.lock()
        if isShutDown {
            stateLock.unlock()
            return
        }
        isShutDown = true
        let old = worker
        worker = nil
        stateLock.unlock()
        compiler.cancel()
        installer.cancel()
        old?.terminate()
        completionLock.lock()
        completionService?.shutdown()
        completionService = nil
        completionLock.unlock()
        if ownsCellsDirectory {
            executeLock.lock()
            try? FileManager.default.removeItem(atPath: cellsDirectory)
            executeLock.unlock()
        }
    }

    private func interruptAndWaitForIdle() {
        stateLock.lock()
        let current = worker
        let running = phase != .idle
        stateLock.unlock()
        if running {
            compiler.cancel()
            installer.cancel()
            current?.signal(SIGKILL)
        }
    }

    // MARK: - Completion, inspection, completeness

    /// Completions from `sourcekit-lsp` for `code` at `cursor` as the next cell.
    public func complete(code: String, cursor: Int) -> CompletionResult {
        guard let service = sourceKit() else { return CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor) }
        return service.complete(query(code: code, cursor: cursor))
    }

    /// The declaration and documentation of the symbol at `cursor`, from `sourcekit-lsp`.
    public func inspect(code: String, cursor: Int, detailLevel: Int) -> String? {
        sourceKit()?.inspect(query(code: code, cursor: cursor))
    }

    /// Lexical completeness (brackets, strings, comments), in microseconds.
    public func isComplete(code: String) -> (status: CompletenessStatus, indent: String) {
        switch LexicalCompleteness.check(code) {
        case .complete: return (.complete, "")
        case .incomplete(let indent): return (.incomplete, indent)
        case .invalid: return (.invalid, "")
        }
    }

    private func query(code: String, cursor: Int) -> SourceKitQuery {
        // Does not wait for a running cell: the tables are those of the last compiled cell.
        let context = compiler.completionContext(for: code, cursor: cursor)
        return SourceKitQuery(
            source: context.source, compilerArguments: context.compilerArguments,
            cursorOffset: context.cursorOffset, cellCursor: cursor)
    }

    private func sourceKit() -> SourceKitService? {
        completionLock.lock()
        defer { completionLock.unlock() }
        if let completionService { return completionService }
        if completionServiceFailed { return nil }
        do {
            let service = try SourceKitService(configuration: .init(compiler: configuration.compiler))
            completionService = service
            return service
        } catch {
            completionServiceFailed = true
            return nil
        }
    }
}
