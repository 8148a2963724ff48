/// What a code-completion or hover query needs to ask `sourcekit-lsp` about a cell.
public struct CellCompletionContext: Sendable, Equatable {
    /// The Swift source of the cell as a hypothetical next cell (it imports the library and
    /// every earlier cell as an execution would).
    public var source: String
    /// The `swiftc` flags that type-check `source` (no compiler path, no inputs, no outputs).
    public var compilerArguments: [String]
    /// The cursor as a UTF-8 byte offset into `source`.
    public var cursorOffset: Int
}

extension CellCompiler {
    /// The generated source, compiler flags and cursor offset for completing or inspecting
    /// `code` at `cursor`.
    ///
    /// The final expression is left as written (not wrapped to show its value), so completion
    /// after `x.` sees a member access.
    /// - Parameters:
    ///   - code: The cell's text (possibly incomplete).
    ///   - cursor: The cursor in Unicode scalars of `code` (Jupyter's `cursor_pos`).
    /// - Returns: The context; its cursor lies in the copy of the cell's text.
    public func completionContext(for code: String, cursor: Int) -> CellCompletionContext {
        let module = nextModuleName
        let generated = generate(code, module: module, showingResult: false)
        var utf8Offset = 0
        for (index, scalar) in code.unicodeScalars.enumerated() {
            if index >= cursor { break }
            utf8Offset += UTF8.width(scalar)
        }
        return CellCompletionContext(
            source: generated.source,
            compilerArguments: configuration.checkingFlags(module: module, packageFlags: packageFlags),
            cursorOffset: generated.sourceOffset(forCellOffset: utf8Offset))
    }
}
