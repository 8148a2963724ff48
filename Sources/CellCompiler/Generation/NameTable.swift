/// Which earlier cell each top-level name currently comes from, and how a new cell imports the
/// earlier cells so that the latest definition of every name wins.
///
/// Two imported modules that both declare `x` make `x` ambiguous. So an earlier cell is imported
/// whole (`@testable import Cell_3`) while none of its names has been redefined since; once one
/// has, only its still-current names are imported, each by a scoped import
/// (`@testable import var Cell_3.y`), plus the cell's marker enum so that its extensions and
/// conformances stay visible. A cell that declares an operator is always imported whole (scoped
/// imports do not carry operators): a name it declares and a later cell redefines is then
/// ambiguous, so keep operators in cells of their own.
///
/// A new cell imports only the earlier cells it can refer to (``imports(referencing:)``), and
/// all of them (``imports()``) when that does not compile.
///
/// Functions are keyed by name and parameters (labels and types, as written): a function
/// redeclared with the same parameters replaces the earlier one (whatever its return type); one
/// with other parameters is an overload and the earlier one stays callable. A scoped import
/// brings every function of that name from its cell, so when a cell's overload `f(_:Int)` is
/// replaced but its `f(_:String)` is not, the old `f(_:Int)` comes along and a call to it is
/// ambiguous: redefine overload sets together.
public struct NameTable: Sendable, Equatable {
    /// One compiled cell's record.
    public struct Cell: Sendable, Equatable {
        /// The cell's module name (`Cell_3`).
        public var module: String
        /// The names it declared at the top level.
        public var declarations: [CellDeclaration]
        /// Whether it declared anything at file scope (names, extensions, operators).
        public var hasDeclarations: Bool
        /// Whether it declared operators (then it is always imported whole).
        public var declaresOperators: Bool
        /// The member names its types and extensions declare (``SplitCell/memberNames``).
        public var memberNames: Set<String> = []
        /// The types it extends (``SplitCell/extendedTypes``).
        public var extendedTypes: Set<String> = []
        /// Whether it declared a type or an extension (``SplitCell/declaresTypes``).
        public var declaresTypes: Bool = false
        /// Whether a new cell always imports it: it declares operators or conformances, which a
        /// cell uses without naming them.
        public var isAlwaysImported: Bool = false
        /// The earlier cell modules it imported when it was compiled.
        public var importedModules: [String] = []
    }

    /// The compiled cells, oldest first.
    public private(set) var cells: [Cell] = []
    /// Name → the module that declares its current definition.
    public private(set) var currentModule: [String: String] = [:]
    /// Module → its index in ``cells``.
    var cellIndex: [String: Int] = [:]

    /// Creates an empty table.
    public init() {}

    /// The name of the marker enum every cell with declarations contains (imported by a scoped
    /// import to keep the cell's extensions visible once its names are shadowed).
    public static func markerName(of module: String) -> String { "_\(module)_Marker" }

    /// Records a compiled cell: its names now refer to its module.
    /// - Parameters:
    ///   - module: The cell's module name.
    ///   - split: The cell's split.
    ///   - importedModules: The earlier cell modules it was compiled against.
    public mutating func register(module: String, split: SplitCell, importedModules: [String] = []) {
        guard split.hasDeclarations else { return }
        cells.append(Cell(
            module: module, declarations: split.declarations,
            hasDeclarations: split.hasDeclarations, declaresOperators: split.declaresOperators,
            memberNames: split.memberNames, extendedTypes: split.extendedTypes,
            declaresTypes: split.declaresTypes,
            isAlwaysImported: split.declaresOperators || split.declaresConformances,
            importedModules: importedModules))
        cellIndex[module] = cells.count - 1
        for declaration in split.declarations { currentModule[declaration.key] = module }
    }

    /// Forgets `name` as declared by `module` (a global whose initialiser threw): later cells no
    /// longer see it, and `module` is imported through scoped imports of its other names.
    /// - Parameters:
    ///   - name: The global's name.
    ///   - module: The cell that declared it.
    public mutating func forget(_ name: String, declaredIn module: String) {
        let key = name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name
        if currentModule[key] == module { currentModule[key] = nil }
    }

    /// The module that holds the current definition of `name`, if any (for functions, the latest
    /// cell that declares a current overload of that name).
    public func module(declaring name: String) -> String? {
        if let module = currentModule[name] { return module }
        return cells.last { cell in
            cell.declarations.contains { $0.bareName == name && currentModule[$0.key] == cell.module }
        }?.module
    }

    /// The import lines a new cell starts with, and the earlier cell modules it must link: every
    /// earlier cell with declarations (the complete set; ``imports(referencing:)`` selects).
    public func imports() -> (lines: [String], modules: [String]) {
        importLines(for: cells, prefix: "@testable import")
    }

    /// The import lines for `selected` cells (oldest first): whole imports of cells none of whose
    /// names was redefined, scoped imports of the still-current names of the others.
    func importLines(for selected: [Cell], prefix: String) -> (lines: [String], modules: [String]) {
        var lines: [String] = []
        var modules: [String] = []
        for cell in selected {
            let current = cell.declarations.filter { currentModule[$0.key] == cell.module }
            if cell.declaresOperators || current.count == cell.declarations.count {
                lines.append("\(prefix) \(cell.module)")
            } else {
                lines.append("\(prefix) enum \(cell.module).\(Self.markerName(of: cell.module))")
                var seen = Set<String>()
                for declaration in current
                where seen.insert("\(declaration.kind.importKeyword) \(declaration.bareName)").inserted {
                    lines.append(
                        "\(prefix) \(declaration.kind.importKeyword) \(cell.module).\(declaration.name)")
                }
            }
            modules.append(cell.module)
        }
        return (lines, modules)
    }
}
