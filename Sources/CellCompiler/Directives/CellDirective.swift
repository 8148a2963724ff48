/// A line of a cell that starts with `%`: an instruction to the kernel, not Swift.
///
/// - `%include "file.swift"` compiles the file as if its text stood in place of the line.
/// - `%install '<SwiftPM dependency>' Product [Product…]` builds a Swift package and makes its
///   products importable from this cell on (swift-jupyter's syntax).
public enum CellDirective: Sendable, Equatable {
    /// `%include "path"`: the path as written (relative to the kernel's working directory).
    case include(path: String)
    /// `%install '<dependency>' Product…`: the dependency expression
    /// (`.package(path: "../Sim")`) and the product names.
    case install(dependency: String, products: [String])

    /// Parses one line of a cell.
    /// - Parameter line: The line, without its newline.
    /// - Returns: The directive, or nil when the line is not a directive (it does not start
    ///   with `%` after leading white space).
    /// - Throws: ``CellDirectiveError`` for a line that starts with `%` but is not a valid directive.
    public static func parse(line: String) throws -> CellDirective? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "%" else { return nil }
        let name = String(trimmed.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" })
        let rest = trimmed.dropFirst(name.count).drop { $0.isWhitespace }
            .reversed().drop { $0.isWhitespace }.reversed()
        let argument = String(rest)
        switch name {
        case "%include":
            guard argument.count >= 2, argument.first == "\"", argument.last == "\"" else {
                throw CellDirectiveError("`%include` takes one quoted file name: %include \"file.swift\"")
            }
            let path = String(argument.dropFirst().dropLast())
            guard !path.isEmpty, !path.contains("\"") else {
                throw CellDirectiveError("`%include` takes one quoted file name: %include \"file.swift\"")
            }
            return .include(path: path)
        case "%install":
            let usage =
                "`%install` takes a SwiftPM dependency in single quotes and the products to use: "
                + "%install '.package(path: \"../MySimulator\")' MySimulator"
            guard argument.first == "'" else { throw CellDirectiveError(usage) }
            let afterQuote = argument.dropFirst()
            guard let close = afterQuote.firstIndex(of: "'") else {
                throw CellDirectiveError("the dependency has no closing quote. " + usage)
            }
            let dependency = afterQuote[..<close].trimmingWhitespace()
            let products = afterQuote[afterQuote.index(after: close)...].split(whereSeparator: \.isWhitespace)
                .map(String.init)
            guard dependency.hasPrefix(".package("), dependency.hasSuffix(")") else {
                throw CellDirectiveError(
                    "the dependency must be a `.package(…)` expression, not `\(dependency)`. " + usage)
            }
            guard !products.isEmpty else { throw CellDirectiveError("name at least one product to use. " + usage) }
            if let bad = products.first(where: {
                !$0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            }) {
                throw CellDirectiveError("`\(bad)` is not a product name. " + usage)
            }
            return .install(dependency: dependency, products: products)
        case "%install-swiftpm-flags", "%install-extra-include-command", "%install-location":
            throw CellDirectiveError(
                "`\(name)` (swift-jupyter) is not supported by this kernel: packages are built with `swift build -c release` into a shared cache, see \"Your own Swift packages\" in the README"
            )
        default:
            throw CellDirectiveError(
                "unknown directive `\(name)`; this kernel knows `%include \"file.swift\"` and `%install '<dependency>' Product…`"
            )
        }
    }
}

/// A directive line that could not be carried out; the message names the problem.
public struct CellDirectiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The 1-based line of the cell that holds the directive, when known.
    public var line: Int?
    /// The file the directive is in (an included file), or nil for the cell itself.
    public var file: String?

    /// Creates an error.
    /// - Parameters:
    ///   - message: What went wrong.
    ///   - line: The 1-based line of the directive.
    ///   - file: The included file holding the directive, or nil for the cell.
    public init(_ message: String, line: Int? = nil, file: String? = nil) {
        self.message = message
        self.line = line
        self.file = file
    }

    /// `line: error: message`, or `file:line: error: message` in an included file.
    public var description: String {
        guard let line else { return "error: \(message)" }
        return "\(file.map { "\($0):" } ?? "")\(line): error: \(message)"
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
