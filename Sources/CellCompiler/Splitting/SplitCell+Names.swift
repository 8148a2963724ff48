import SwiftSyntax

extension SplitCell {
    /// What a top-level declaration contributes to the names a later cell may use without
    /// naming the declaration itself: its members, the type it extends, and whether it is a type
    /// or a conformance.
    static func typeNames(_ decl: DeclSyntax)
        -> (members: Set<String>, extended: Set<String>, isType: Bool, conforms: Bool)
    {
        var extended = Set<String>()
        var conforms = false
        var isType = false
        var memberBlock: MemberBlockSyntax?
        if let d = decl.as(ExtensionDeclSyntax.self) {
            isType = true
            conforms = d.inheritanceClause != nil
            memberBlock = d.memberBlock
            // `extension Swift.Array<Int>`: every identifier of the extended type counts.
            for token in d.extendedType.tokens(viewMode: .sourceAccurate) {
                if case .identifier = token.tokenKind { extended.insert(bare(token.text)) }
            }
        } else if let d = decl.as(StructDeclSyntax.self) {
            isType = true
            memberBlock = d.memberBlock
        } else if let d = decl.as(ClassDeclSyntax.self) {
            isType = true
            memberBlock = d.memberBlock
        } else if let d = decl.as(EnumDeclSyntax.self) {
            isType = true
            memberBlock = d.memberBlock
        } else if let d = decl.as(ProtocolDeclSyntax.self) {
            isType = true
            memberBlock = d.memberBlock
        } else if let d = decl.as(ActorDeclSyntax.self) {
            isType = true
            memberBlock = d.memberBlock
        } else if decl.is(TypeAliasDeclSyntax.self) {
            isType = true
        }
        var members = Set<String>()
        if let memberBlock { collectMembers(of: memberBlock, into: &members) }
        return (members, extended, isType, conforms)
    }

    /// The names declared in `block` and in the member blocks of the types nested in it.
    private static func collectMembers(of block: MemberBlockSyntax, into names: inout Set<String>) {
        for item in block.members {
            let decl = item.decl
            if let v = decl.as(VariableDeclSyntax.self) {
                for binding in v.bindings {
                    for token in binding.pattern.tokens(viewMode: .sourceAccurate) {
                        if case .identifier = token.tokenKind { names.insert(bare(token.text)) }
                    }
                }
            } else if let f = decl.as(FunctionDeclSyntax.self) {
                names.insert(bare(f.name.text))
            } else if let c = decl.as(EnumCaseDeclSyntax.self) {
                for element in c.elements { names.insert(bare(element.name.text)) }
            } else if let i = decl.as(InitializerDeclSyntax.self) {
                for parameter in i.signature.parameterClause.parameters { names.insert(bare(parameter.firstName.text)) }
            } else if let s = decl.as(SubscriptDeclSyntax.self) {
                for parameter in s.parameterClause.parameters { names.insert(bare(parameter.firstName.text)) }
            } else if let a = decl.as(AssociatedTypeDeclSyntax.self) {
                names.insert(bare(a.name.text))
            } else if let t = decl.as(TypeAliasDeclSyntax.self) {
                names.insert(bare(t.name.text))
            }
            // Nested types: their names and their members.
            let nested: (name: TokenSyntax, block: MemberBlockSyntax)?
            if let d = decl.as(StructDeclSyntax.self) {
                nested = (d.name, d.memberBlock)
            } else if let d = decl.as(ClassDeclSyntax.self) {
                nested = (d.name, d.memberBlock)
            } else if let d = decl.as(EnumDeclSyntax.self) {
                nested = (d.name, d.memberBlock)
            } else if let d = decl.as(ActorDeclSyntax.self) {
                nested = (d.name, d.memberBlock)
            } else if let d = decl.as(ProtocolDeclSyntax.self) {
                nested = (d.name, d.memberBlock)
            } else {
                nested = nil
            }
            if let nested {
                names.insert(bare(nested.name.text))
                collectMembers(of: nested.block, into: &names)
            }
        }
        names.remove("_")
    }

    /// The text of every identifier, keyword and operator token in `tree` (backticks removed).
    static func referencedNames(in tree: SourceFileSyntax) -> Set<String> {
        var names = Set<String>()
        for token in tree.tokens(viewMode: .sourceAccurate) {
            switch token.tokenKind {
            case .identifier, .keyword, .dollarIdentifier, .binaryOperator, .prefixOperator, .postfixOperator:
                names.insert(bare(token.text))
            default:
                break
            }
        }
        return names
    }

    /// `name` without surrounding backticks.
    static func bare(_ name: String) -> String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count > 1 ? String(name.dropFirst().dropLast()) : name
    }
}
