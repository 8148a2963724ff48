import Foundation
import Testing
@testable import KernelRuntime

/// A `sourcekit-lsp` service shared by the tests, and a small library module compiled for them.
final class SourceKitFixture: @unchecked Sendable {
    static let isAvailable = SourceKitService.locateExecutable() != nil
    static let shared: SourceKitFixture = try! SourceKitFixture()

    let service: SourceKitService
    let directory: URL
    /// Compiler flags that make `import Geo` work.
    let arguments: [String]

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sourcekit-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A generous timeout: tests check answers; the timeout itself is tested separately.
        service = try SourceKitService(configuration: .init(timeout: 30))
        try Self.compileModule(named: "Geo", source: Self.geoSource, into: directory, compiler: service.configuration.compiler)
        arguments = ["-module-name", "Cell_2", "-I", directory.path, "-enable-testing", "-swift-version", "5"]
    }

    static let geoSource = """
        /// A point in the plane.
        public struct Point {
            /// The horizontal coordinate.
            public var x: Double
            /// The vertical coordinate.
            public var y: Double
            public init(x: Double, y: Double) { self.x = x; self.y = y }
            /// The distance from the origin.
            public func norm() -> Double { (x * x + y * y).squareRoot() }
            /// The distance to another point.
            ///
            /// - Parameter other: The other point.
            /// - Returns: The Euclidean distance.
            public func distance(to other: Point) -> Double { 0 }
        }
        /// Makes the unit point on the horizontal axis.
        public func unitPoint() -> Point { Point(x: 1, y: 0) }
        """

    /// Compiles `source` into `directory/name.swiftmodule` (interface only, no object code).
    static func compileModule(named name: String, source: String, into directory: URL, compiler: String) throws {
        let file = directory.appendingPathComponent("\(name).swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = [
            "-emit-module", "-parse-as-library", "-enable-testing", "-module-name", name,
            "-emit-module-path", directory.appendingPathComponent("\(name).swiftmodule").path, file.path,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "swiftc failed for \(name)"])
        }
    }

    /// A query for `cell` with the cursor at the end, or at the scalar offset of `|` if present.
    func query(_ cell: String, arguments: [String]? = nil) -> SourceKitQuery {
        var text = cell
        var cursor = cell.unicodeScalars.count
        if let bar = cell.unicodeScalars.firstIndex(of: "|") {
            cursor = cell.unicodeScalars.distance(from: cell.unicodeScalars.startIndex, to: bar)
            text.unicodeScalars.remove(at: bar)
        }
        return SourceKitQuery(cell: text, compilerArguments: arguments ?? self.arguments, cursor: cursor)
    }
}

/// Replaces the Unicode-scalar range `start..<end` of `text` with `replacement`.
func replacingScalars(of text: String, from start: Int, to end: Int, with replacement: String) -> String {
    var scalars = Array(text.unicodeScalars)
    scalars.replaceSubrange(start..<end, with: replacement.unicodeScalars)
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars)
    return result
}

@Suite("SourceKitService", .serialized, .enabled(if: SourceKitFixture.isAvailable, "sourcekit-lsp is not installed"))
struct SourceKitServiceTests {
    let fixture = SourceKitFixture.shared

    @Test("Members after `.` on a value of a library type")
    func libraryMembers() {
        let query = fixture.query("import Geo\nlet p = unitPoint()\np.")
        let list = fixture.service.completions(for: query)
        let texts = list.items.map(\.text)
        #expect(Set(["x", "y", "norm()", "distance(to: )"]).isSubset(of: Set(texts)), "\(texts)")
        #expect(!texts.contains("self"))
        #expect(texts.count == Set(texts).count)
        #expect(list.cursorStart == query.cellCursor && list.cursorEnd == query.cellCursor)
        #expect(list.items.first { $0.text == "norm()" }?.kind == "method")
        #expect(list.items.first { $0.text == "x" }?.detail == "Double")
    }

    @Test("Members of a type declared in the same source, filtered by the typed prefix")
    func localMembers() {
        let declarations = "struct Local {\n    var alpha = 1\n    var alphabet = \"\"\n    func beta() {}\n}\nlet l = Local()\n"
        let all = fixture.service.complete(fixture.query(declarations + "l."))
        #expect(Set(["alpha", "alphabet", "beta()"]).isSubset(of: Set(all.matches)), "\(all.matches)")

        let query = fixture.query(declarations + "l.alp")
        let filtered = fixture.service.complete(query)
        #expect(Set(filtered.matches) == ["alpha", "alphabet"])
        #expect(filtered.cursorStart == query.cellCursor - 3 && filtered.cursorEnd == query.cellCursor)
    }

    @Test("Names in scope for a prefix: the cell's own and the library's")
    func namesInScope() {
        let cell = "import Geo\nlet unicornCount = 3\nlet unusual = 4.0\nlet q = uni"
        let result = fixture.service.complete(fixture.query(cell))
        #expect(result.matches.contains("unicornCount"), "\(result.matches)")
        #expect(result.matches.contains("unitPoint()"), "\(result.matches)")
        #expect(!result.matches.contains("unusual"))
        #expect(result.matches.allSatisfy { $0.lowercased().hasPrefix("uni") }, "\(result.matches)")
        let applied = replacingScalars(of: cell, from: result.cursorStart, to: result.cursorEnd, with: "unicornCount")
        #expect(applied.hasSuffix("let q = unicornCount"))
    }

    @Test("Hover shows the declaration and its doc comment as plain text")
    func hover() throws {
        let cell = "import Geo\nlet d = unitPoint().distance|(to: Point(x: 0, y: 1))"
        let text = try #require(fixture.service.inspect(fixture.query(cell)))
        #expect(text.contains("func distance(to other: Point) -> Double"), "\(text)")
        #expect(text.contains("The distance to another point."))
        #expect(text.contains("Returns: The Euclidean distance."))
        #expect(!text.contains("```"))
        // In the middle of a name as well, and on a name declared in the cell.
        let middle = try #require(fixture.service.inspect(fixture.query("import Geo\nlet e = unit|Point()")))
        #expect(middle.contains("Makes the unit point on the horizontal axis."))
        let local = try #require(fixture.service.inspect(fixture.query("/// Counts sheep.\nfunc sheep() -> Int { 3 }\nsheep|()")))
        #expect(local.contains("func sheep() -> Int") && local.contains("Counts sheep."), "\(local)")
        #expect(fixture.service.inspect(fixture.query("let a = 1 +| 2")) == nil)
        // After a call, and inside its arguments (Shift-Tab while typing them): the call.
        for cell in ["import Geo\nlet d = unitPoint().distance(to: unitPoint())|", "import Geo\nlet d = unitPoint().distance(to: unitPoint(), |"] {
            let call = try #require(fixture.service.inspect(fixture.query(cell)))
            #expect(call.contains("The distance to another point."), "\(call)")
        }
    }

    @Test("Ranges count Unicode scalars of the cell when it holds non-ASCII text")
    func nonASCIIRanges() {
        // α: 2 UTF-8 bytes, 1 UTF-16 unit; 🐟: 4 bytes, 2 units; each one scalar.
        let cell = "let α = 1\nlet 🐟fish = \"é\"\nlet w = α.bitW"
        let query = fixture.query(cell)
        let members = fixture.service.complete(query)
        #expect(members.matches.contains("bitWidth"), "\(members.matches)")
        #expect(members.cursorStart == cell.unicodeScalars.count - 4)
        #expect(members.cursorEnd == cell.unicodeScalars.count)
        #expect(replacingScalars(of: cell, from: members.cursorStart, to: members.cursorEnd, with: "bitWidth")
            .hasSuffix("let w = α.bitWidth"))

        let names = fixture.service.complete(fixture.query(cell + "\nlet v = 🐟f"))
        #expect(names.matches.contains("🐟fish"), "\(names.matches)")
        #expect(names.cursorEnd - names.cursorStart == 2)
    }

    @Test("A generated source with a prologue maps ranges back into the cell")
    func generatedPrologue() {
        let prologue = "@testable import Geo\n// généré: ένα 🐟\n"
        let cell = "let π = unitPoint()\nπ.no"
        let source = prologue + cell
        let query = SourceKitQuery(
            source: source, compilerArguments: fixture.arguments,
            cursorOffset: source.utf8.count, cellCursor: cell.unicodeScalars.count)
        let result = fixture.service.complete(query)
        #expect(result.matches == ["norm()"])
        #expect(result.cursorStart == cell.unicodeScalars.count - 2 && result.cursorEnd == cell.unicodeScalars.count)
    }

    @Test("A cell after a prologue, with the flags of a real cell compile command")
    func prologueQuery() throws {
        let flags = [
            "-emit-library", "-emit-module", "-parse-as-library", "-O", "-wmo", "-enable-testing",
            "-module-name", "Cell_3", "-I", fixture.directory.path,
            "-o", fixture.directory.appendingPathComponent("libCell_3.so").path,
        ]
        let cell = "let ρ = unitPoint()\nprint(ρ.distance(to: ρ))\nρ.no"
        let query = SourceKitQuery(prologue: "@testable import Geo", cell: cell, compilerArguments: flags, cursor: cell.unicodeScalars.count)
        #expect(query.source.hasPrefix("@testable import Geo\nlet ρ"))
        #expect(!query.compilerArguments.contains("-parse-as-library"))
        let result = fixture.service.complete(query)
        #expect(result.matches == ["norm()"])
        #expect(result.cursorStart == cell.unicodeScalars.count - 2)
        // On a top-level statement, which a library-mode parse would reject.
        let hoverCursor = cell.unicodeScalars.count - "(to: ρ))\nρ.no".unicodeScalars.count
        let hover = try #require(fixture.service.inspect(
            SourceKitQuery(prologue: "@testable import Geo\n", cell: cell, compilerArguments: flags, cursor: hoverCursor)))
        #expect(hover.contains("The distance to another point."), "\(hover)")
    }

    @Test("Changed compiler arguments and changed text at the same position are picked up")
    func changes() throws {
        let second = fixture.directory.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        try SourceKitFixture.compileModule(
            named: "Tally",
            source: "public final class Tally {\n    public init() {}\n    public var count = 0\n    public func increment() { count += 1 }\n}",
            into: second, compiler: fixture.service.configuration.compiler)
        let cell = "import Tally\nlet c = Tally()\nc."
        #expect(fixture.service.complete(fixture.query(cell)).matches.isEmpty)
        let withTally = fixture.query(cell, arguments: fixture.arguments + ["-I", second.path])
        #expect(Set(fixture.service.complete(withTally).matches) == ["count", "increment()"])
        // Same cursor position, another type: no stale answer from the previous session.
        let other = fixture.query("import Tally\nlet c = \"s\"\nc.", arguments: withTally.compilerArguments)
        let matches = fixture.service.complete(other).matches
        #expect(matches.contains("uppercased()") && !matches.contains("increment()"), "\(matches)")
    }

    @Test("A module rebuilt under the same name is read again")
    func rebuiltModule() throws {
        let directory = fixture.directory.appendingPathComponent("rebuilt")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let arguments = fixture.arguments + ["-I", directory.path]
        for (round, member) in ["firstMember", "secondMember"].enumerated() {
            try SourceKitFixture.compileModule(
                named: "Cell_1", source: "public struct Box { public init() {}; public var \(member) = 0 }",
                into: directory, compiler: fixture.service.configuration.compiler)
            let cell = "import Cell_1\nlet b\(round) = Box()\nb\(round)."
            #expect(fixture.service.complete(fixture.query(cell, arguments: arguments)).matches == [member])
        }
    }

    @Test("Queries from several threads at once each get their own answer")
    func concurrentQueries() async {
        let service = fixture.service
        let cells = (0..<6).map { i in
            i.isMultiple(of: 2) ? "import Geo\nlet p\(i) = unitPoint()\np\(i).no" : "let s\(i) = \"x\"\ns\(i).upperc"
        }
        let queries = cells.map { fixture.query($0) }
        let answers = await withTaskGroup(of: (Int, [String]).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask { (index, service.complete(query).matches) }
            }
            var answers = [[String]](repeating: [], count: queries.count)
            for await (index, matches) in group { answers[index] = matches }
            return answers
        }
        for (index, matches) in answers.enumerated() {
            #expect(matches == (index.isMultiple(of: 2) ? ["norm()"] : ["uppercased()"]), "cell \(index)")
        }
    }

    @Test("A server that dies is replaced at the next query")
    func restart() throws {
        let before = try #require(fixture.service.serverProcessIdentifier)
        kill(before, SIGKILL)
        var waited = 0
        while fixture.service.serverProcessIdentifier != nil && waited < 200 { usleep(10_000); waited += 1 }
        let result = fixture.service.complete(fixture.query("import Geo\nunitPoint().n"))
        #expect(result.matches == ["norm()"])
        let after = try #require(fixture.service.serverProcessIdentifier)
        #expect(after != before)
    }
}

@Suite("SourceKitService timeouts", .enabled(if: SourceKitFixture.isAvailable, "sourcekit-lsp is not installed"))
struct SourceKitTimeoutTests {
    @Test("A query that cannot finish in time answers empty instead of hanging")
    func timeout() throws {
        let service = try SourceKitService(configuration: .init(timeout: 0.001, firstQueryTimeout: 0.001))
        defer { service.shutdown() }
        let start = Date()
        let result = service.complete(SourceKitQuery(cell: "import Foundation\nDate().", compilerArguments: [], cursor: 25))
        #expect(result == CompletionResult(matches: [], cursorStart: 25, cursorEnd: 25))
        #expect(service.inspect(SourceKitQuery(cell: "import Foundation\nDate()", compilerArguments: [], cursor: 20)) == nil)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test("Until the server has answered once, a query may take the first-query time (the modules load)")
    func firstQueryWaitsForTheModules() throws {
        // 1 ms is too short for any answer, so only the first-query allowance lets the first
        // query through; once answered, the next query is held to the 1 ms again.
        let service = try SourceKitService(configuration: .init(timeout: 0.001, firstQueryTimeout: 60))
        defer { service.shutdown() }
        let first = service.complete(SourceKitQuery(cell: "import Foundation\nDate().", compilerArguments: [], cursor: 25))
        #expect(first.matches.contains("timeIntervalSince1970"))
        let start = Date()
        let second = service.complete(SourceKitQuery(cell: "let s = \"abc\"\ns.up", compilerArguments: [], cursor: 18))
        #expect(second.matches.isEmpty)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test("After shutdown the server is gone and queries answer empty")
    func shutdown() throws {
        let service = try SourceKitService()
        let pid = try #require(service.serverProcessIdentifier)
        service.shutdown()
        #expect(kill(pid, 0) != 0)
        #expect(service.complete(SourceKitQuery(cell: "1.", compilerArguments: [], cursor: 2)).matches.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: service.workspace.path))
    }
}
