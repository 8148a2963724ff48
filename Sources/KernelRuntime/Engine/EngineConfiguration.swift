import CellCompiler
import Foundation

/// Where the ``SwiftCellEngine`` finds the compiler, the library, its modules and the worker.
public struct EngineConfiguration: Sendable, Equatable {
    /// Path of `swiftc`.
    public var compiler: String
    /// Path of `libGNPE.so`.
    public var libraryPath: String
    /// The folder with GNPE's `.swiftmodule` files.
    public var modulesDirectory: String
    /// Path of the `gnpe-worker` executable.
    public var workerPath: String
    /// Further compiler flags for cells (the library's C module maps).
    public var extraCompilerFlags: [String]
    /// Where cells are compiled to; nil for a fresh temporary folder (removed at shutdown).
    public var cellsDirectory: String?
    /// Seconds an interrupted cell has to stop before the worker is killed and restarted.
    public var interruptGracePeriod: Double
    /// The kernel's session directory (``SessionDirectory``): the worker gets it as
    /// `GNPE_SESSION_DIR`, cells go to its `cells/` unless ``cellsDirectory`` is set, and a crash
    /// report lists what the library kept there. Nil: cells go to a private temporary folder.
    public var sessionDirectory: String?
    /// Whether every cell imports every earlier cell (the behaviour before the import selection,
    /// kept to measure it; `GNPE_IMPORT_ALL_CELLS=1`).
    public var importsAllCells: Bool
    /// Path of the `swift` driver that builds `%install`ed packages; nil: `swift` beside
    /// ``compiler``.
    public var swiftDriver: String?
    /// Where `%install` keeps its builds; nil: ``PackageInstaller/defaultCacheDirectory()``.
    public var packageCacheDirectory: String?
    /// The folder of the GNPE package the library was built from, if known (a package that
    /// depends on GNPE by this path is recognised whatever the dependency's name).
    public var librarySourceRoot: String?

    /// Creates a configuration.
    /// - Parameters:
    ///   - compiler: Path of `swiftc`.
    ///   - libraryPath: Path of `libGNPE.so`.
    ///   - modulesDirectory: The folder with GNPE's `.swiftmodule` files.
    ///   - workerPath: Path of `gnpe-worker`.
    ///   - extraCompilerFlags: Further compiler flags for cells.
    ///   - cellsDirectory: Where cells go; nil for a temporary folder.
    ///   - interruptGracePeriod: Seconds before an interrupted cell's worker is killed (default 2).
    ///   - sessionDirectory: The kernel's session directory, or nil.
    ///   - importsAllCells: Whether every cell imports every earlier cell.
    public init(
        compiler: String, libraryPath: String, modulesDirectory: String, workerPath: String,
        extraCompilerFlags: [String] = [], cellsDirectory: String? = nil, interruptGracePeriod: Double = 2,
        sessionDirectory: String? = nil, importsAllCells: Bool = false
    ) {
        self.compiler = compiler
        self.libraryPath = libraryPath
        self.modulesDirectory = modulesDirectory
        self.workerPath = workerPath
        self.extraCompilerFlags = extraCompilerFlags
        self.cellsDirectory = cellsDirectory
        self.interruptGracePeriod = interruptGracePeriod
        self.sessionDirectory = sessionDirectory
        self.importsAllCells = importsAllCells
    }
}

/// A piece the engine needs and did not find.
public struct EngineConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is missing and where it was looked for.
    public var description: String
}
