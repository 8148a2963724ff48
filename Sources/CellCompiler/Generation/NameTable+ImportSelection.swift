extension NameTable {
    /// The import lines and modules of a new cell that uses `names`: only the earlier cells it
    /// can refer to, each imported `@_implementationOnly` so that a later cell importing the new
    /// one does not load them too.
    ///
    /// Importing every earlier cell makes compile time grow with the session; worse, a module's
    /// ordinary imports are loaded with it, so a chain of cells each using the previous one makes
    /// the compiler load the whole chain (measured: 89 modules opened for one `@testable import`
    /// at the end of an 89-cell chain; an `internal import` loads them all too, an
    /// `@_implementationOnly` one only the imported module and its direct imports).
    ///
    /// An earlier cell is selected when
    /// - one of its current names (top-level declarations), one of its members' names
    ///   (``Cell/memberNames``), or a type it extends occurs among `names`, or
    /// - it declares operators or conformances (used without naming them: always imported), or
    /// - it declares a type or an extension and a selected cell depends on it, directly or
    ///   through other cells (a value of a selected cell may have its type, and the compiler
    ///   needs that type's module to use the value).
    ///
    /// This is a heuristic: the compiler decides what a name means. ``CellCompiler`` compiles a
    /// cell that fails with the selection once more with the complete set (``imports()``).
    ///
    /// - Parameter names: The identifiers, keywords and operators of the new cell
    ///   (``SplitCell/referencedNames``).
    /// - Returns: The import lines (oldest cell first) and the modules to link.
    /// - Complexity: O(cells + their dependencies), once per compile.
    public func imports(referencing names: Set<String>) -> (lines: [String], modules: [String]) {
        var selected = [Bool](repeating: false, count: cells.count)
        var stack: [Int] = []
        for (index, cell) in cells.enumerated() where isReferenced(cell, by: names) {
            selected[index] = true
            stack.append(index)
        }
        // Walk the dependencies of the selected cells; select those that declare types.
        var visited = selected
        while let index = stack.popLast() {
            for module in cells[index].importedModules {
                guard let dependency = cellIndex[module], !visited[dependency] else { continue }
                visited[dependency] = true
                if cells[dependency].declaresTypes { selected[dependency] = true }
                stack.append(dependency)
            }
        }
        let chosen = cells.indices.filter { selected[$0] }.map { cells[$0] }
        return importLines(for: chosen, prefix: "@_implementationOnly @testable import")
    }

    /// Whether a new cell that uses `names` may refer to something `cell` declares.
    func isReferenced(_ cell: Cell, by names: Set<String>) -> Bool {
        if cell.isAlwaysImported { return true }
        for declaration in cell.declarations
        where currentModule[declaration.key] == cell.module && names.contains(declaration.bareName) {
            return true
        }
        return !cell.memberNames.isDisjoint(with: names) || !cell.extendedTypes.isDisjoint(with: names)
    }
}
