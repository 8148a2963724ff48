/// Where the cell compiler finds the compiler, the library and its modules, and where it writes
/// the cells.
public struct CellCompilerConfiguration: Sendable, Equatable {
    /// Path of `swiftc`.
    public var compiler: String
    /// The folder with GNPE's `.swiftmodule` files (`.build/release/Modules`).
    public var modulesDirectory: String
    /// The folder with `libGNPE.so`.
    public var libraryDirectory: String
    /// The folder the cells' sources, modules and libraries go to.
    public var cellsDirectory: String
    /// Further compiler flags the library's modules need (`-Xcc -fmodule-map-file=…` for the C
    /// modules they import).
    public var extraFlags: [String]
    /// Whether cells compile with `-O -wmo` (default; -Onone code runs loops ~14× slower).
    public var optimize: Bool
    /// Whether a cell first compiles against only the earlier cells it can refer to
    /// (``NameTable/imports(referencing:)``; default). False imports every earlier cell in
    /// every cell, which makes compile time grow with the session (kept to measure it).
    public var selectsImports: Bool

    /// Creates a configuration.
    /// - Parameters:
    ///   - compiler: Path of `swiftc`.
    ///   - modulesDirectory: The folder with GNPE's `.swiftmodule` files.
    ///   - libraryDirectory: The folder with `libGNPE.so`.
    ///   - cellsDirectory: Where cells are written.
    ///   - extraFlags: Further compiler flags.
    ///   - optimize: Whether to compile with `-O -wmo`.
    ///   - selectsImports: Whether to import only the earlier cells a cell can refer to.
    public init(
        compiler: String, modulesDirectory: String, libraryDirectory: String, cellsDirectory: String,
        extraFlags: [String] = [], optimize: Bool = true, selectsImports: Bool = true
    ) {
        self.compiler = compiler
        self.modulesDirectory = modulesDirectory
        self.libraryDirectory = libraryDirectory
        self.cellsDirectory = cellsDirectory
        self.extraFlags = extraFlags
        self.optimize = optimize
        self.selectsImports = selectsImports
    }

    /// The flags that type-check a cell module `module` (no inputs, no outputs).
    /// - Parameters:
    ///   - module: The cell's module name.
    ///   - packageFlags: Flags of the packages installed so far (`-I`, `-L`, `-l`, `-Xcc …`).
    public func checkingFlags(module: String, packageFlags: [String] = []) -> [String] {
        ["-module-name", module, "-swift-version", "5", "-enable-testing",
         "-I", modulesDirectory, "-I", cellsDirectory] + extraFlags + packageFlags
    }

    /// The complete `swiftc` arguments (compiler path excluded) that build `source` into
    /// `lib<module>.so` and `<module>.swiftmodule` in the cells directory.
    /// - Parameters:
    ///   - module: The cell's module name.
    ///   - source: The generated source file.
    ///   - modules: The earlier cells it imports (and links).
    ///   - packageFlags: Flags of the packages installed so far.
    public func buildArguments(module: String, source: String, linking modules: [String], packageFlags: [String] = [])
        -> [String]
    {
        var arguments = checkingFlags(module: module, packageFlags: packageFlags)
        if optimize { arguments += ["-O", "-wmo"] }
        arguments += [
            "-emit-library", "-emit-module",
            "-emit-module-path", "\(cellsDirectory)/\(module).swiftmodule",
            "-o", "\(cellsDirectory)/lib\(module).so",
            "-diagnostic-style", "llvm",
            "-L", libraryDirectory, "-lGNPE", "-L", cellsDirectory,
        ]
        arguments += modules.map { "-l\($0)" }
        arguments += [
            "-Xlinker", "-soname", "-Xlinker", "lib\(module).so",
            "-Xlinker", "-rpath", "-Xlinker", cellsDirectory,
            "-Xlinker", "-rpath", "-Xlinker", libraryDirectory,
            source,
        ]
        return arguments
    }
}
