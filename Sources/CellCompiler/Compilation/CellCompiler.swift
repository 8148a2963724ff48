import Foundation

/// Compiles notebook cells into shared libraries, one module `Cell_N` per execution, keeping
/// the ``NameTable`` and the imports that make later cells see earlier ones.
///
/// ```swift
/// let compiler = CellCompiler(configuration: configuration)
/// switch compiler.compile("let x = 1\nx + 1") {
/// case .success(let cell): // dlopen cell.libraryPath and call `cell_entry`
/// case .failure(let failure): // failure.diagnostics, in the cell's own lines
/// }
/// ```
///
/// Callers serialise ``compile(_:)`` and ``reset()``; ``generate(_:module:showingResult:)``,
/// ``completionContext(for:cursor:)`` and ``cancel()`` may run on other threads meanwhile (they
/// see the tables as of the last finished compile).
public final class CellCompiler: @unchecked Sendable {
    /// A compiled cell.
    public struct CompiledCell: Sendable {
        /// The module name.
        public var module: String
        /// The path of its shared library (a fresh path for every execution).
        public var libraryPath: String
        /// The generated source.
        public var generated: GeneratedCell
        /// The cell's split.
        public var split: SplitCell
        /// Whether it compiled with the selected imports (``NameTable/imports(referencing:)``);
        /// false when it compiled with the complete set.
        public var usedSelectedImports: Bool
    }

    /// A cell that did not compile.
    public struct CompilationFailure: Error, Sendable {
        /// The errors (and their notes), located in the cell where they point there.
        public var diagnostics: [CellDiagnostic]
        /// The compiler's raw output.
        public var compilerOutput: String
        /// Whether compilation was cancelled (an interrupt).
        public var wasCancelled: Bool

        /// The lines the user sees: each error as `line:column: error: message`, the source
        /// line and a caret.
        public var formattedLines: [String] {
            let lines = diagnostics.filter { $0.severity != .warning }.flatMap(\.formattedLines)
            return lines.isEmpty ? compilerOutput.split(separator: "\n").map(String.init) : lines
        }
    }

    /// The configuration.
    public let configuration: CellCompilerConfiguration
    /// Which cell declares each name.
    public var nameTable: NameTable { tableLock.withLock { table } }
    /// The `import` declarations of the compiled cells, repeated in every later cell.
    public var persistentImports: [String] { tableLock.withLock { imports } }
    private var table = NameTable()
    private var imports: [String] = []
    private var installedFlags: [String] = []
    private var installedPackages: Set<String> = []
    private var nextIndex = 1
    private let tableLock = NSLock()
    private let lock = NSLock()
    private var running: Process?

    /// Creates a compiler.
    /// - Parameter configuration: Where the compiler, library and cells are.
    public init(configuration: CellCompilerConfiguration) {
        self.configuration = configuration
    }

    /// The module name the next compiled cell gets.
    public var nextModuleName: String { tableLock.withLock { "Cell_\(nextIndex)" } }

    /// Forgets every cell and installed package (a kernel restart); the module numbering
    /// continues, so paths stay fresh.
    public func reset() {
        tableLock.withLock {
            table = NameTable()
            imports = []
            installedFlags = []
            installedPackages = []
        }
    }

    /// The compiler flags of the packages installed so far, passed to every later cell.
    public var packageFlags: [String] { tableLock.withLock { installedFlags } }

    /// Adds the flags of an installed package (`-I` for its modules, `-L`/`-l` and an rpath for
    /// its library, `-Xcc` flags for its C modules) to every later cell's compilation.
    /// - Parameters:
    ///   - flags: The flags.
    ///   - identifier: Names the package; a package added twice is added once.
    /// - Returns: Whether the package was new.
    @discardableResult
    public func addPackageFlags(_ flags: [String], identifier: String) -> Bool {
        tableLock.withLock {
            guard installedPackages.insert(identifier).inserted else { return false }
            installedFlags += flags
            return true
        }
    }

    /// Generates the source of `code` as the next cell.
    /// - Parameters:
    ///   - code: The cell's text.
    ///   - module: The module name; by default ``nextModuleName``.
    ///   - showingResult: Whether the final expression's value is sent as `execute_result`.
    public func generate(_ code: String, module: String? = nil, showingResult: Bool = true) -> GeneratedCell {
        let split = SplitCell(parsing: code)
        let (imports, table) = tableLock.withLock { (self.imports, self.table) }
        return CellSourceGenerator(persistentImports: imports, cellImports: table.imports())
            .generate(code: code, split: split, module: module ?? nextModuleName, showingResult: showingResult)
    }

    /// Compiles `code` as the next cell and, on success, records its names.
    /// - Parameter code: The cell's text.
    /// - Returns: The compiled cell, or the diagnostics mapped to the cell's lines.
    public func compile(_ code: String) -> Result<CompiledCell, CompilationFailure> {
        let (module, imports, table) = tableLock.withLock {
            nextIndex += 1
            return ("Cell_\(nextIndex - 1)", self.imports, self.table)
        }
        let split = SplitCell(parsing: code)
        // First with the earlier cells the cell can refer to; if that fails, once more with all
        // of them (the complete set), so that a wrong guess costs time, never correctness. A
        // cell with syntax errors fails either way: it compiles once, with the complete set
        // (whose diagnostics cannot include names the selection left out).
        let complete = table.imports()
        var attempts = [(imports: complete, usesSelection: false)]
        if configuration.selectsImports && !split.hasSyntaxErrors {
            let selected = table.imports(referencing: split.referencedNames)
            if selected.lines != complete.lines { attempts.insert((selected, true), at: 0) }
        }
        var result: Result<CompiledCell, CompilationFailure> = .failure(
            .init(diagnostics: [], compilerOutput: "", wasCancelled: false))
        for attempt in attempts {
            let generated = CellSourceGenerator(persistentImports: imports, cellImports: attempt.imports)
                .generate(code: code, split: split, module: module)
            result = build(generated, code: code, split: split, usesSelection: attempt.usesSelection)
            switch result {
            case .success(let cell):
                tableLock.withLock {
                    self.table.register(module: module, split: split, importedModules: generated.importedModules)
                    for line in split.imports where !self.imports.contains(line) { self.imports.append(line) }
                }
                removeUnneededFiles(of: cell)
                return .success(cell)
            case .failure(let failure) where failure.wasCancelled:
                return result
            case .failure:
                continue
            }
        }
        return result
    }

    /// Writes `generated` to the cells directory and compiles it.
    private func build(_ generated: GeneratedCell, code: String, split: SplitCell, usesSelection: Bool)
        -> Result<CompiledCell, CompilationFailure>
    {
        let module = generated.module
        let sourcePath = "\(configuration.cellsDirectory)/\(module).swift"
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.cellsDirectory, withIntermediateDirectories: true)
            try generated.source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        } catch {
            return .failure(.init(diagnostics: [.init(severity: .error, message: "cannot write \(sourcePath): \(error)")],
                compilerOutput: "", wasCancelled: false))
        }
        let arguments = configuration.buildArguments(
            module: module, source: sourcePath, linking: generated.importedModules, packageFlags: packageFlags)
        let (status, output, cancelled) = run(configuration.compiler, arguments)
        if status != 0 || cancelled {
            let diagnostics = CellDiagnostic.parse(
                compilerOutput: output, file: sourcePath, generated: generated, cell: code)
            return .failure(.init(diagnostics: diagnostics, compilerOutput: output, wasCancelled: cancelled))
        }
        return .success(CompiledCell(
            module: module, libraryPath: "\(configuration.cellsDirectory)/lib\(module).so",
            generated: generated, split: split, usedSelectedImports: usesSelection))
    }

    /// Deletes what no later cell needs: the source-location file of every cell, and the module
    /// files of a cell that declares nothing (no later cell imports it). The library stays until
    /// the worker has loaded it (``removeLibrary(of:)``).
    private func removeUnneededFiles(of cell: CompiledCell) {
        let base = "\(configuration.cellsDirectory)/\(cell.module)"
        var files = [base + ".swiftsourceinfo"]
        if !cell.split.hasDeclarations {
            files += [base + ".swiftmodule", base + ".swiftdoc", base + ".swift", base + ".abi.json"]
        }
        for file in files { unlink(file) }
    }

    /// Deletes the shared library of a cell that declares nothing, once the worker has loaded
    /// it: no later cell links it, and a restarted worker does not load it again.
    /// - Parameter cell: A compiled cell.
    public func removeLibrary(of cell: CompiledCell) {
        guard !cell.split.hasDeclarations else { return }
        unlink(cell.libraryPath)
    }

    /// Forgets the global `name` of cell `module` (its initialiser threw, so it has no value):
    /// later cells do not see it.
    /// - Parameters:
    ///   - name: The global's name.
    ///   - module: The cell's module name.
    public func forgetGlobal(_ name: String, declaredIn module: String) {
        tableLock.withLock { table.forget(name, declaredIn: module) }
    }

    /// Stops a running compilation (it then fails with `wasCancelled`).
    public func cancel() {
        lock.lock()
        defer { lock.unlock() }
        running?.terminate()
    }

    private func run(_ executable: String, _ arguments: [String]) -> (Int32, String, Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            lock.lock()
            try process.run()
            running = process
            lock.unlock()
        } catch {
            lock.unlock()
            return (-1, "error: cannot run \(executable): \(error)", false)
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        lock.lock()
        running = nil
        lock.unlock()
        let cancelled = process.terminationReason == .uncaughtSignal
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), cancelled)
    }
}
