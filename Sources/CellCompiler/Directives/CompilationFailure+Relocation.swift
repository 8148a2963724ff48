extension CellCompiler.CompilationFailure {
    /// The failure with each located diagnostic moved from the line of the expanded text to
    /// the line of the cell or of the included file it came from (`file.swift:12:5: error: …`).
    /// - Parameter cell: The expanded cell the failure is about.
    /// - Returns: The relocated failure.
    public func relocated(to cell: ExpandedCell) -> Self {
        var copy = self
        copy.diagnostics = diagnostics.map { diagnostic in
            guard let line = diagnostic.line, line >= 1, line <= cell.origins.count else { return diagnostic }
            var moved = diagnostic
            let origin = cell.origins[line - 1]
            moved.line = origin.line
            moved.file = origin.file
            return moved
        }
        return copy
    }
}
