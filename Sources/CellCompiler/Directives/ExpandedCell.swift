import Foundation

/// A cell with its directives carried out on the text: `%include` lines replaced by the
/// files' text, `%install` lines collected and blanked, and a map from each line of the result
/// back to the cell or the included file it came from.
public struct ExpandedCell: Sendable, Equatable {
    /// Where a line of the expanded text came from.
    public struct LineOrigin: Sendable, Equatable {
        /// The included file's path as written in `%include`, or nil for the cell itself.
        public var file: String?
        /// The 1-based line in that file or in the cell.
        public var line: Int
    }

    /// A `%install` request of the cell, in order.
    public struct Installation: Sendable, Equatable {
        /// The SwiftPM dependency expression, `.package(…)`.
        public var dependency: String
        /// The products to make importable.
        public var products: [String]
        /// The 1-based line of the cell holding it.
        public var line: Int
    }

    /// The Swift text to compile (directive lines are empty lines).
    public var text: String
    /// For each line of ``text`` (0-based), its origin.
    public var origins: [LineOrigin]
    /// The `%install` requests, in the order they appear.
    public var installations: [Installation]

    /// How deep `%include`s may nest (a file that includes itself is caught earlier).
    public static let maximumIncludeDepth = 16

    /// Expands the directives of `code`.
    /// - Parameters:
    ///   - code: The cell's text.
    ///   - workingDirectory: The folder `%include` paths are relative to (the notebook's,
    ///     which is the kernel's working directory).
    /// - Throws: ``CellDirectiveError`` naming the line: an invalid directive, a file that
    ///   cannot be read, an include cycle, `%install` inside an included file.
    public init(expanding code: String, workingDirectory: String) throws {
        text = ""
        origins = []
        installations = []
        var lines: [String] = []
        try expand(code, file: nil, workingDirectory: workingDirectory, into: &lines, stack: [])
        text = lines.joined(separator: "\n")
    }

    /// Whether the cell has any directive (if not, ``text`` is the cell unchanged).
    public var hasDirectives: Bool {
        !installations.isEmpty || origins.contains { $0.file != nil }
    }

    private mutating func expand(
        _ source: String, file: String?, workingDirectory: String, into lines: inout [String], stack: [String]
    ) throws {
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let directive: CellDirective?
            do {
                directive = try CellDirective.parse(line: String(line))
            } catch var error as CellDirectiveError {
                error.line = number
                error.file = file
                throw error
            }
            switch directive {
            case nil:
                lines.append(String(line))
                origins.append(LineOrigin(file: file, line: number))
            case .install(let dependency, let products):
                guard file == nil else {
                    throw CellDirectiveError(
                        "`%install` works in a cell, not in an included file", line: number, file: file)
                }
                installations.append(Installation(dependency: dependency, products: products, line: number))
                lines.append("")
                origins.append(LineOrigin(file: file, line: number))
            case .include(let path):
                let resolved = path.hasPrefix("/") ? path : workingDirectory + "/" + path
                let canonical = URL(fileURLWithPath: resolved).standardizedFileURL.resolvingSymlinksInPath().path
                if stack.contains(canonical) {
                    throw CellDirectiveError("`\(path)` includes itself", line: number, file: file)
                }
                guard stack.count < Self.maximumIncludeDepth else {
                    throw CellDirectiveError(
                        "`%include` nested more than \(Self.maximumIncludeDepth) deep", line: number, file: file)
                }
                guard let data = FileManager.default.contents(atPath: resolved) else {
                    let reason =
                        FileManager.default.fileExists(atPath: resolved)
                        ? "cannot be read" : "does not exist"
                    throw CellDirectiveError(
                        "cannot include `\(path)`: \(resolved) \(reason) (paths are relative to the notebook's folder, \(workingDirectory))",
                        line: number, file: file)
                }
                var contents = String(decoding: data, as: UTF8.self)
                if contents.hasSuffix("\n") { contents.removeLast() }
                try expand(
                    contents, file: path, workingDirectory: workingDirectory, into: &lines, stack: stack + [canonical])
            }
        }
    }
}
