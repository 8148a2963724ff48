import SwiftParser
import SwiftSyntax

/// A cell's top-level items sorted by where they go in the generated module: imports and
/// declarations at file scope, statements (in source order) into the cell's body function.
///
/// Byte ranges are UTF-8 offsets into the cell text; each range spans an item's full text
/// (leading trivia such as doc comments included, separating semicolons excluded).
///
/// ```swift
/// let split = SplitCell(parsing: "let x = 1\nprint(x)\nx + 1")
/// // split.items: [.storedGlobals(names: ["x"]) …, .statement …, .finalExpression …]
/// ```
public struct SplitCell: Sendable, Equatable {
    /// Where one top-level item of the cell goes.
    public enum Role: Sendable, Equatable {
        /// An `import` declaration (kept at file scope, and repeated in every later cell).
        case `import`
        /// A declaration kept at file scope: functions, types, extensions, operators, computed
        /// globals.
        case declaration
        /// A `let`/`var` with stored values kept at file scope; the body touches each `names`
        /// (`_ = name`) at this point so that its initialiser runs in source order.
        case storedGlobals(names: [String])
        /// `let x = try f()`: the initialiser throws, and a global initialiser cannot. The value
        /// is computed as a `Result` at file scope and its error rethrown by the body.
        case throwingGlobal(name: String, valueRange: Range<Int>, equalsOffset: Int)
        /// A statement or expression moved, in source order, into the body function.
        case statement
        /// The cell's last item, an expression whose value becomes the `execute_result`.
        case finalExpression
    }

    /// One top-level item.
    public struct Item: Sendable, Equatable {
        /// Where the item goes.
        public var role: Role
        /// Its full text's byte range in the cell (UTF-8 offsets).
        public var range: Range<Int>
    }

    /// The cell's items in source order.
    public var items: [Item]
    /// The names the cell declares at the top level, in source order.
    public var declarations: [CellDeclaration]
    /// Whether the cell declares anything at file scope (names, extensions, operators).
    public var hasDeclarations: Bool
    /// Whether the cell declares an operator or precedence group, or implements an operator
    /// function at the top level (such a cell is always imported whole).
    public var declaresOperators: Bool
    /// The cell's `import` declarations, trimmed (e.g. `import Foundation`).
    public var imports: [String]
    /// Whether a statement of the cell uses `await` (the body function is then `async`).
    public var usesAwait: Bool
    /// The names of members the cell's types and extensions declare (properties, methods,
    /// enum cases, nested types, argument labels of initialisers and subscripts), at any depth.
    public var memberNames: Set<String>
    /// The types the cell extends (`extension Array where …` gives `Array`).
    public var extendedTypes: Set<String>
    /// Whether the cell declares a type (struct, class, enum, protocol, actor, type alias) or
    /// an extension: values of later cells may have its types, so cells that import a cell
    /// importing this one import it too (see ``NameTable/imports(referencing:)``).
    public var declaresTypes: Bool
    /// Whether the cell declares a conformance in an extension (`extension Int: P`), which a
    /// later cell may use without naming anything the cell declares (so it is always imported).
    public var declaresConformances: Bool
    /// Every identifier, keyword and operator the cell's text uses (backticks removed): an
    /// earlier cell is imported only when one of its names occurs here.
    public var referencedNames: Set<String>
    /// Whether SwiftParser found syntax errors (the cell fails whatever it imports).
    public var hasSyntaxErrors: Bool

    /// Splits a cell with SwiftParser.
    /// - Parameter code: The cell's text.
    public init(parsing code: String) {
        let tree = Parser.parse(source: Self.maskingDeepBrackets(code))
        var items: [Item] = []
        var declarations: [CellDeclaration] = []
        var hasDeclarations = false
        var declaresOperators = false
        var imports: [String] = []
        var members = Set<String>()
        var extended = Set<String>()
        var declaresTypes = false
        var declaresConformances = false
        let statements = Array(tree.statements)
        for (index, block) in statements.enumerated() {
            let node = block.item
            let range = node.position.utf8Offset..<node.endPosition.utf8Offset
            switch node {
            case .decl(let decl):
                if let importDecl = decl.as(ImportDeclSyntax.self) {
                    imports.append(importDecl.trimmedDescription)
                    items.append(Item(role: .import, range: range))
                    continue
                }
                if let variable = decl.as(VariableDeclSyntax.self) {
                    let found = Self.variableRole(variable, range: range)
                    items.append(Item(role: found.role, range: range))
                    declarations += found.names
                    hasDeclarations = hasDeclarations || !found.names.isEmpty
                    continue
                }
                hasDeclarations = true
                let typeNames = Self.typeNames(decl)
                members.formUnion(typeNames.members)
                extended.formUnion(typeNames.extended)
                declaresTypes = declaresTypes || typeNames.isType
                declaresConformances = declaresConformances || typeNames.conforms
                if let named = Self.namedDeclaration(decl) {
                    declarations.append(named)
                    if named.kind == .func, let first = named.name.unicodeScalars.first,
                        !(first == "_" || first == "`" || first.properties.isXIDStart)
                    {
                        declaresOperators = true
                    }
                }
                if decl.is(OperatorDeclSyntax.self) || decl.is(PrecedenceGroupDeclSyntax.self) {
                    declaresOperators = true
                }
                items.append(Item(role: .declaration, range: range))
            case .stmt:
                items.append(Item(role: .statement, range: range))
            case .expr(let expr):
                let isLast = index == statements.count - 1
                let role: Role = isLast && Self.hasValue(expr) ? .finalExpression : .statement
                items.append(Item(role: role, range: range))
            }
        }
        self.items = items
        self.declarations = declarations
        self.hasDeclarations = hasDeclarations
        self.declaresOperators = declaresOperators
        self.imports = imports
        self.memberNames = members
        self.extendedTypes = extended
        self.declaresTypes = declaresTypes
        self.declaresConformances = declaresConformances
        self.referencedNames = Self.referencedNames(in: tree)
        self.hasSyntaxErrors = tree.hasError
        self.usesAwait = statements.contains { block in
            if case .decl = block.item { return false }
            return block.tokens(viewMode: .sourceAccurate).contains { $0.tokenKind == .keyword(.await) }
        }
    }

    /// The name and kind of a function, type or type alias declaration.
    private static func namedDeclaration(_ decl: DeclSyntax) -> CellDeclaration? {
        if let d = decl.as(FunctionDeclSyntax.self) {
            let parameters = d.signature.parameterClause.parameters.map {
                "\($0.firstName.text):\($0.type.trimmedDescription)\($0.ellipsis == nil ? "" : "...")"
            }
            return .init(name: d.name.text, kind: .func, signature: "(" + parameters.joined(separator: ",") + ")")
        }
        if let d = decl.as(StructDeclSyntax.self) { return .init(name: d.name.text, kind: .struct) }
        if let d = decl.as(ClassDeclSyntax.self) { return .init(name: d.name.text, kind: .class) }
        if let d = decl.as(EnumDeclSyntax.self) { return .init(name: d.name.text, kind: .enum) }
        if let d = decl.as(ProtocolDeclSyntax.self) { return .init(name: d.name.text, kind: .protocol) }
        if let d = decl.as(ActorDeclSyntax.self) { return .init(name: d.name.text, kind: .actor) }
        if let d = decl.as(TypeAliasDeclSyntax.self) { return .init(name: d.name.text, kind: .typealias) }
        return nil
    }

    /// Where a top-level `let`/`var` goes, and the names it declares.
    private static func variableRole(_ variable: VariableDeclSyntax, range: Range<Int>)
        -> (role: Role, names: [CellDeclaration])
    {
        let kind: DeclarationKind = variable.bindingSpecifier.tokenKind == .keyword(.let) ? .let : .var
        var names: [CellDeclaration] = []
        var stored: [String] = []
        for binding in variable.bindings {
            let identifiers = binding.pattern.tokens(viewMode: .sourceAccurate)
                .filter { if case .identifier = $0.tokenKind { return true } else { return false } }
                .map(\.text)
            names += identifiers.map { CellDeclaration(name: $0, kind: kind) }
            // Stored (an initialiser, at most observers): touch it. Computed: leave it alone.
            let isComputed: Bool
            switch binding.accessorBlock?.accessors {
            case .getter?: isComputed = true
            case .accessors(let list)?:
                isComputed = list.contains {
                    [.keyword(.get), .keyword(.set), .keyword(._read), .keyword(._modify)]
                        .contains($0.accessorSpecifier.tokenKind)
                }
            case nil: isComputed = false
            }
            if binding.initializer != nil && !isComputed { stored += identifiers }
        }
        // `let _ = f()` binds nothing, which a global cannot: run it as a statement.
        if names.isEmpty { return (.statement, []) }
        // `let x = try f()`: a global's initialiser cannot throw.
        if variable.bindings.count == 1, let binding = variable.bindings.first,
            let initializer = binding.initializer,
            let tryExpr = initializer.value.as(TryExprSyntax.self),
            tryExpr.questionOrExclamationMark == nil,
            names.count == 1
        {
            return (
                .throwingGlobal(
                    name: names[0].name,
                    valueRange: initializer.value.position.utf8Offset..<initializer.value.endPosition.utf8Offset,
                    equalsOffset: initializer.equal.positionAfterSkippingLeadingTrivia.utf8Offset),
                names
            )
        }
        return (.storedGlobals(names: stored), names)
    }

    /// Whether a final expression should show its value (not an assignment, not a discard).
    private static func hasValue(_ expr: ExprSyntax) -> Bool {
        if let sequence = expr.as(SequenceExprSyntax.self) {
            for element in sequence.elements {
                if element.is(AssignmentExprSyntax.self) { return false }
                if let op = element.as(BinaryOperatorExprSyntax.self) {
                    let text = op.operator.text
                    if text.hasSuffix("=") && !["==", "!=", "<=", ">=", "===", "!=="].contains(text) {
                        return false
                    }
                }
            }
        }
        if expr.is(AssignmentExprSyntax.self) || expr.is(DiscardAssignmentExprSyntax.self) { return false }
        if expr.is(ClosureExprSyntax.self) { return false }
        return true
    }
}
