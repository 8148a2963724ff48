import Testing
@testable import KernelRuntime

/// Offsets in UTF-8, LSP positions in UTF-16 and cursors in Unicode scalars, without a server.
@Suite("Source positions")
struct SourcePositionTests {
    @Test("UTF-8 offsets map to (line, UTF-16 column) and back", arguments: [
        // text, UTF-8 offset, expected line, expected UTF-16 column
        ("abc", 2, 0, 2),
        ("let α = 1\nα.", 14, 1, 2),  // α: 2 bytes, 1 UTF-16 unit
        ("let α = 1\nα.", 13, 1, 1),
        ("x\n🐟.", 6, 1, 2),           // 🐟: 4 bytes, 2 UTF-16 units
        ("a\r\nb", 4, 1, 1),           // CRLF is one line break
        ("a\rb\nc", 4, 2, 0),          // CR alone is a line break too
    ])
    func roundTrip(text: String, offset: Int, line: Int, column: Int) {
        let position = SourcePosition(utf8Offset: offset, in: text)
        #expect(position == SourcePosition(line: line, utf16Column: column))
        #expect(position.utf8Offset(in: text) == offset)
    }

    @Test("Every scalar boundary of a mixed text survives the round trip")
    func everyBoundary() {
        let text = "let α = \"é🐟\"\r\n\tβ.x\n\n🐟🐟 z"
        var offset = 0
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            // Between the two halves of a CRLF there is no position of its own.
            if !(previous == "\r" && scalar == "\n") {
                let position = SourcePosition(utf8Offset: offset, in: text)
                #expect(position.utf8Offset(in: text) == offset, "offset \(offset)")
            }
            offset += UTF8.width(scalar)
            previous = scalar
        }
        #expect(SourcePosition(utf8Offset: text.utf8.count, in: text).utf8Offset(in: text) == text.utf8.count)
    }

    @Test("A column past the end of its line is clamped to the line's end")
    func clamping() {
        #expect(SourcePosition(line: 0, utf16Column: 99).utf8Offset(in: "ab\ncd") == 2)
        #expect(SourcePosition(line: 7, utf16Column: 0).utf8Offset(in: "ab\ncd") == 5)
    }

    @Test("Scalars are counted in UTF-8 ranges")
    func scalarCounts() {
        let text = "α🐟b"
        #expect(text.unicodeScalarCount(inUTF8Range: 0..<text.utf8.count) == 3)
        #expect(text.unicodeScalarCount(inUTF8Range: 2..<6) == 1)
    }

    @Test("The identifier around a cursor includes non-ASCII letters")
    func identifiers() {
        let text = "p.dïst(x)"
        let end = "p.dïst".utf8.count
        #expect(text.identifierRange(aroundUTF8Offset: end) == 2..<end)
        #expect(text.identifierRange(aroundUTF8Offset: 3) == 2..<end)
        #expect(text.identifierRange(aroundUTF8Offset: end + 1) == (end + 1)..<(end + 2))
        #expect("a + ".identifierRange(aroundUTF8Offset: 3) == nil)
    }
}

@Suite("Inspection offsets")
struct InspectionOffsetTests {
    /// The names at the offsets `inspectionOffsets` proposes for the cursor at `|`.
    func names(_ marked: String) -> [String] {
        let cursor = marked.utf8.firstIndex(of: UInt8(ascii: "|")).map { marked.utf8.distance(from: marked.utf8.startIndex, to: $0) }!
        let text = marked.replacingOccurrences(of: "|", with: "")
        return text.inspectionOffsets(aroundUTF8Offset: cursor).map { offset in
            text.identifierRange(aroundUTF8Offset: offset).map { text.substring(inUTF8Range: $0) } ?? "·"
        }
    }

    @Test("Names, finished calls and open calls are proposed in that order")
    func proposals() {
        #expect(names("let d = unit|Point()") == ["unitPoint", "unitPoint"])  // its start, then the cursor
        #expect(names("p.distance(to: q)|") == ["distance", "·"])
        #expect(names("p.distance(to: f(1), |") == ["distance", "·"])
        #expect(names("p.distance (to: [1, 2], sc|") == ["sc", "distance", "sc"])
        #expect(names("{ x in |") == ["·"])
        #expect(names("α|") == ["α", "α"])
    }
}

@Suite("Completion plumbing")
struct CompletionPlumbingTests {
    @Test("Compiler path and .swift inputs are dropped from the compile command, values kept")
    func compilerFlags() {
        let flags = SourceKitService.compilerFlags(from: [
            "/usr/bin/swiftc", "-module-name", "Cell_3", "-I", "/cells", "/cells/Cell_3.swift",
            "-o", "/cells/odd.swift", "-enable-testing",
        ])
        #expect(flags == ["-module-name", "Cell_3", "-I", "/cells", "-o", "/cells/odd.swift", "-enable-testing"])
    }

    @Test("Hover Markdown becomes plain text; code keeps its backslashes")
    func hoverText() {
        let markdown = "```swift\nfunc f(_ x: Int) -> String // \"\\(x)\"\n```\n\n\n\nDoes \\*this\\*.\n\n- Returns: A `String`."
        let text = HoverText.plainText(fromContents: ["kind": "markdown", "value": markdown])
        #expect(text == "func f(_ x: Int) -> String // \"\\(x)\"\n\nDoes *this*.\n\n- Returns: A `String`.")
        #expect(HoverText.plainText(fromContents: ["kind": "markdown", "value": "```swift\n```"]) == nil)
        #expect(HoverText.plainText(fromContents: nil) == nil)
    }

    @Test("A query built from the cell alone finds its UTF-8 cursor")
    func cellQuery() {
        let query = SourceKitQuery(cell: "let α = 1\nα.", compilerArguments: [], cursor: 12)
        #expect(query.cursorOffset == 14)
        #expect(query.cellCursor == 12)
    }
}
