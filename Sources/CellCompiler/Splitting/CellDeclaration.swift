/// What kind of top-level declaration a cell made, as used in a scoped import
/// (`@testable import var Cell_3.x`).
public enum DeclarationKind: String, Sendable, Equatable, CaseIterable {
    /// A constant (`let`).
    case `let`
    /// A variable (`var`), stored or computed.
    case `var`
    /// A function (an operator function too).
    case `func`
    /// A structure.
    case `struct`
    /// A class.
    case `class`
    /// An enumeration.
    case `enum`
    /// A protocol.
    case `protocol`
    /// A type alias.
    case `typealias`
    /// An actor.
    case actor

    /// The keyword of a scoped import that brings a declaration of this kind into scope.
    ///
    /// An actor is imported with `class` (the grammar has no `import actor`).
    public var importKeyword: String {
        switch self {
        case .actor: return "class"
        default: return rawValue
        }
    }
}

/// One name declared at the top level of a cell.
public struct CellDeclaration: Sendable, Equatable, Hashable {
    /// The declared name as written (backticks included, e.g. `` `class` ``).
    public var name: String
    /// The declaration's kind.
    public var kind: DeclarationKind
    /// For a function, its parameters' labels and types, e.g. `(_:Int,to:String)`: a function
    /// with other parameters is an overload, not a redefinition. Nil for other kinds.
    public var signature: String?

    /// Creates a declaration record.
    /// - Parameters:
    ///   - name: The declared name as written.
    ///   - kind: The declaration's kind.
    ///   - signature: A function's parameter labels and types.
    public init(name: String, kind: DeclarationKind, signature: String? = nil) {
        self.name = name
        self.kind = kind
        self.signature = signature
    }

    /// The name without backticks.
    public var bareName: String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count > 1
            ? String(name.dropFirst().dropLast()) : name
    }

    /// The key of the ``NameTable``: the bare name, plus the signature for a function.
    public var key: String { bareName + (signature ?? "") }

    /// Hashes the declaration by its key and kind.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(kind)
    }

    /// Equal when the keys and kinds are equal.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.key == rhs.key && lhs.kind == rhs.kind }
}
