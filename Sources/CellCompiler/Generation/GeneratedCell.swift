/// The Swift source generated for one cell, with the map back to the cell's own text.
public struct GeneratedCell: Sendable, Equatable {
    /// A run of the cell's text copied verbatim into the generated source.
    public struct Segment: Sendable, Equatable {
        /// UTF-8 offset of the run in the cell.
        public var cellOffset: Int
        /// UTF-8 offset of the run in the generated source.
        public var sourceOffset: Int
        /// Length of the run in UTF-8 bytes.
        public var length: Int
    }

    /// The module name (`Cell_3`).
    public var module: String
    /// The complete Swift source of the module.
    public var source: String
    /// For each line of `source` (0-based), the cell line it shows (0-based), or nil for a
    /// generated line. Columns of mapped lines equal the cell's (in UTF-8 bytes).
    public var lineMap: [Int?]
    /// The runs of cell text in the source.
    public var segments: [Segment]
    /// The UTF-8 offset in `source` of the end of the body function, where statements go.
    public var bodyEndOffset: Int
    /// Earlier cell modules this cell imports (and must link).
    public var importedModules: [String]

    /// The UTF-8 offset in `source` that corresponds to a UTF-8 offset in the cell.
    ///
    /// A position inside (or at the end of) a copied run maps into it; a position between items
    /// maps to the end of the body function.
    public func sourceOffset(forCellOffset offset: Int) -> Int {
        for segment in segments.reversed()
        where segment.cellOffset <= offset && offset <= segment.cellOffset + segment.length {
            return segment.sourceOffset + (offset - segment.cellOffset)
        }
        return bodyEndOffset
    }
}
