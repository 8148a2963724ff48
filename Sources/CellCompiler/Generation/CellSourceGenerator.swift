/// Turns a split cell into the Swift source of its module `Cell_N`.
///
/// The generated file, in order: `import GNPE`, the imports of earlier cells' `import`
/// declarations, the cell's own imports, the imports of earlier cells (``NameTable``), the
/// cell's declarations and stored globals at file scope, a marker enum, a private body function
/// (`async` when a statement uses `await`) holding the statements in source order (with `_ = x` after each global `x` so that its
/// initialiser runs at that point), and the entry point:
///
/// ```swift
/// @_cdecl("cell_entry") public func _cellEntry(_ report: GNPE._CellFailureReporter) -> Int32
/// ```
///
/// Every piece of cell text is copied verbatim onto lines of its own, indented so that its
/// columns are the cell's, which keeps compiler diagnostics mappable to the cell.
public struct CellSourceGenerator: Sendable {
    /// `import` lines of earlier cells, repeated in every later one (`import Foundation` in
    /// cell 1 makes Foundation visible in cell 2, as in a REPL).
    public var persistentImports: [String]
    /// The import lines and modules from the ``NameTable``.
    public var cellImports: (lines: [String], modules: [String])

    /// Creates a generator.
    /// - Parameters:
    ///   - persistentImports: Import declarations of earlier cells.
    ///   - cellImports: The ``NameTable/imports()`` for the new cell.
    public init(persistentImports: [String], cellImports: (lines: [String], modules: [String])) {
        self.persistentImports = persistentImports
        self.cellImports = cellImports
    }

    /// Generates the module source for `code`.
    /// - Parameters:
    ///   - code: The cell's text.
    ///   - split: Its split (``SplitCell/init(parsing:)``).
    ///   - module: The module name, `Cell_N`.
    ///   - showingResult: Whether the final expression's value is sent as `execute_result`
    ///     (false for completion, which wants the expression as written).
    /// - Returns: The source and its map to the cell.
    public func generate(code: String, split: SplitCell, module: String, showingResult: Bool = true)
        -> GeneratedCell
    {
        var out = SourceBuilder(cell: Array(code.utf8))
        out.line("import GNPE")
        for line in persistentImports { out.line(line) }
        for item in split.items where item.role == .import { out.mapped(item.range) }
        for line in cellImports.lines { out.line(line) }

        var throwingIndex = 0
        for item in split.items {
            switch item.role {
            case .declaration, .storedGlobals:
                out.mapped(item.range)
            case .throwingGlobal(_, let valueRange, let equalsOffset):
                throwingIndex += 1
                out.line("private let _cellInit\(throwingIndex) = Result {")
                out.mapped(valueRange)
                out.line("}")
                out.mapped(item.range.lowerBound..<equalsOffset, newline: false)
                out.line(" = try! _cellInit\(throwingIndex).get()")
            default: break
            }
        }
        if split.hasDeclarations { out.line("enum \(NameTable.markerName(of: module)) {}") }

        out.line("private func _cellBody() \(split.usesAwait ? "async " : "")throws {")
        throwingIndex = 0
        for item in split.items {
            switch item.role {
            case .statement:
                out.mapped(item.range)
            case .storedGlobals(let names):
                for name in names { out.line("_ = \(name)") }
            case .throwingGlobal(let name, _, _):
                throwingIndex += 1
                out.line("do { _ = try _cellInit\(throwingIndex).get() } catch { throw GNPE._GlobalInitializationFailure(name: \"\(name)\", underlying: error) }")
                out.line("_ = \(name)")
            case .finalExpression:
                if showingResult {
                    out.line("GNPE._emitExecuteResult(")
                    out.mapped(item.range)
                    out.line(")")
                } else {
                    out.mapped(item.range)
                }
            case .import, .declaration: break
            }
        }
        let bodyEnd = out.offset
        out.line("}")
        out.line("@_cdecl(\"cell_entry\")")
        out.line("public func _cellEntry(_ report: GNPE._CellFailureReporter) -> Int32 {")
        out.line("    GNPE.\(split.usesAwait ? "_runAsyncCell" : "_runCell")(_cellBody, reportingFailureTo: report)")
        out.line("}")
        return GeneratedCell(
            module: module, source: out.text, lineMap: out.lineMap, segments: out.segments,
            bodyEndOffset: bodyEnd, importedModules: cellImports.modules)
    }
}

/// Accumulates generated source, copying cell text at its own columns and recording the map.
struct SourceBuilder {
    let cell: [UInt8]
    private(set) var bytes: [UInt8] = []
    private(set) var lineMap: [Int?] = [nil]
    private(set) var segments: [GeneratedCell.Segment] = []
    /// The cell's line starts (UTF-8 offsets).
    private let lineStarts: [Int]

    init(cell: [UInt8]) {
        self.cell = cell
        var starts = [0]
        for (index, byte) in cell.enumerated() where byte == 0x0A { starts.append(index + 1) }
        lineStarts = starts
    }

    var offset: Int { bytes.count }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends a generated line (unmapped).
    mutating func line(_ text: String) {
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 0x0A { lineMap.append(nil) }
        }
        bytes.append(0x0A)
        lineMap.append(nil)
    }

    /// Copies `range` of the cell, indented to its column, then (by default) ends the line.
    mutating func mapped(_ range: Range<Int>, newline: Bool = true) {
        // The cell line that holds the range's start.
        var cellLine = (lineStarts.lastIndex { $0 <= range.lowerBound }) ?? 0
        // Start on a fresh line.
        if let last = bytes.last, last != 0x0A {
            bytes.append(0x0A)
            lineMap.append(nil)
        }
        lineMap[lineMap.count - 1] = cellLine
        bytes += [UInt8](repeating: 0x20, count: range.lowerBound - lineStarts[cellLine])
        segments.append(.init(cellOffset: range.lowerBound, sourceOffset: bytes.count, length: range.count))
        for index in range {
            let byte = cell[index]
            bytes.append(byte)
            if byte == 0x0A {
                cellLine += 1
                lineMap.append(cellLine)
            }
        }
        if newline {
            bytes.append(0x0A)
            lineMap.append(nil)
        }
    }
}
