// The question asked of SourceKitService, and its answers.

/// A position in a notebook cell, together with the Swift source that compiles that cell.
///
/// The cell compiler generates, for the cell being edited, the source of a hypothetical next cell
/// (it imports the library and the earlier cells) and the compiler arguments that would compile
/// it; the cell's own text appears in that source verbatim, at least on the cursor's line.
///
/// Example, for a cell `let α = 1\nα.` with the cursor at its end (scalar 12):
/// ```swift
/// let query = SourceKitQuery(
///     source: generated.source,               // "@testable import Cell_1\n…\nlet α = 1\nα."
///     compilerArguments: generated.arguments, // ["-module-name", "Cell_2", "-I", dir, …]
///     cursorOffset: generated.cursorOffset,   // UTF-8 bytes into `source`
///     cellCursor: 12)                         // Unicode scalars into the cell
/// ```
public struct SourceKitQuery: Sendable, Equatable {
    /// The generated Swift source that contains the cell.
    public var source: String
    /// The `swiftc` arguments that would compile `source`: flags only. A leading compiler path
    /// and any `.swift` input paths are dropped; the service adds its own copy of the file.
    public var compilerArguments: [String]
    /// The cursor, as a UTF-8 byte offset into `source`.
    public var cursorOffset: Int
    /// The same cursor as a Unicode-scalar offset into the cell's own text (Jupyter's
    /// `cursor_pos`). Ranges in the answers are reported relative to it.
    public var cellCursor: Int

    /// Creates a query.
    /// - Parameters:
    ///   - source: The generated Swift source that contains the cell.
    ///   - compilerArguments: The `swiftc` flags that would compile `source`.
    ///   - cursorOffset: The cursor as a UTF-8 byte offset into `source`.
    ///   - cellCursor: The cursor as a Unicode-scalar offset into the cell text.
    public init(source: String, compilerArguments: [String], cursorOffset: Int, cellCursor: Int) {
        self.source = source
        self.compilerArguments = compilerArguments
        self.cursorOffset = cursorOffset
        self.cellCursor = cellCursor
    }

    /// A query for a source that *is* the cell text (no generated prologue): the UTF-8 cursor is
    /// computed from the scalar cursor.
    ///
    /// - Parameters:
    ///   - cell: The cell text, compiled as it stands.
    ///   - compilerArguments: The `swiftc` flags that would compile it.
    ///   - cursor: The cursor in Unicode scalars of `cell`.
    public init(cell: String, compilerArguments: [String], cursor: Int) {
        var offset = 0
        for (index, scalar) in cell.unicodeScalars.enumerated() where index < cursor {
            offset += UTF8.width(scalar)
        }
        self.init(source: cell, compilerArguments: compilerArguments, cursorOffset: offset, cellCursor: cursor)
    }

    /// A query for a cell placed verbatim after a generated prologue: the simplest way for the
    /// cell compiler to ask about the cell being edited.
    ///
    /// The source is `prologue` (a newline is added if it does not end with one) followed by the
    /// cell text unchanged, so that the cursor maps by a fixed offset. The source is analysed in
    /// script mode, where declarations and statements mix as they do in a cell: a
    /// `-parse-as-library` among `compilerArguments` is dropped (other flags of the cell's
    /// real compile command, such as `-emit-library -o …`, may stay).
    ///
    /// - Parameters:
    ///   - prologue: Generated lines before the cell, e.g. `import GNPE` and the
    ///     `@testable import` lines of the earlier cells.
    ///   - cell: The cell text as the user typed it.
    ///   - compilerArguments: The `swiftc` flags of the cell's compile command.
    ///   - cursor: The cursor in Unicode scalars of `cell` (Jupyter's `cursor_pos`).
    public init(prologue: String, cell: String, compilerArguments: [String], cursor: Int) {
        let head = prologue.isEmpty || prologue.hasSuffix("\n") ? prologue : prologue + "\n"
        let inCell = SourceKitQuery(cell: cell, compilerArguments: [], cursor: cursor)
        self.init(
            source: head + cell,
            compilerArguments: compilerArguments.filter { $0 != "-parse-as-library" },
            cursorOffset: head.utf8.count + inCell.cursorOffset,
            cellCursor: cursor)
    }
}

/// One completion candidate.
public struct SourceKitCompletion: Sendable, Equatable {
    /// The text that replaces the completed range (e.g. `norm()`, `distance(to: )`).
    public var text: String
    /// The label the server shows, with argument types (e.g. `distance(to: Point)`).
    public var label: String
    /// The kind of symbol as a Jupyter `_jupyter_types_experimental` type name (`function`,
    /// `property`, `class`, `keyword`, …), or nil when unknown.
    public var kind: String?
    /// The symbol's type or result type, e.g. `Double`.
    public var detail: String?

    /// Creates a completion candidate.
    public init(text: String, label: String, kind: String?, detail: String?) {
        self.text = text
        self.label = label
        self.kind = kind
        self.detail = detail
    }
}

/// The answer to a completion query: candidates and the cell range they replace.
public struct SourceKitCompletionList: Sendable, Equatable {
    /// The candidates, best first, without duplicate texts.
    public var items: [SourceKitCompletion]
    /// Start of the replaced range, in Unicode scalars of the cell text.
    public var cursorStart: Int
    /// End of the replaced range, in Unicode scalars of the cell text.
    public var cursorEnd: Int

    /// Creates a completion list.
    public init(items: [SourceKitCompletion], cursorStart: Int, cursorEnd: Int) {
        self.items = items
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }

    /// An empty answer at `cursor`.
    public static func empty(at cursor: Int) -> SourceKitCompletionList {
        SourceKitCompletionList(items: [], cursorStart: cursor, cursorEnd: cursor)
    }

    /// The kernel-facing form (``CompletionResult``): the candidate texts and the range.
    public var result: CompletionResult {
        CompletionResult(matches: items.map(\.text), cursorStart: cursorStart, cursorEnd: cursorEnd)
    }
}
