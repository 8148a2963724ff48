// Code completion and inspection for notebook cells, answered by the toolchain's own index:
// one long-lived `sourcekit-lsp` process.

import Foundation

/// Completion and hover for notebook cells, backed by a long-lived `sourcekit-lsp` process.
///
/// The service keeps one language-server process with a private workspace directory. For each
/// query it writes the generated cell source into the workspace, gives the server the query's
/// compiler arguments through a `compile_commands.json` (rewritten, and announced with
/// `workspace/didChangeWatchedFiles`, only when the arguments change), opens the document, asks
/// `textDocument/completion` or `textDocument/hover`, and closes the document again.
///
/// Two document files, `CellA.swift` and `CellB.swift`, take turns: a query whose source differs
/// from the previous one goes to the other file. `sourcekit-lsp` keeps one completion session and
/// reuses it for a request at the same file, line and column with the same compile command, even
/// when the text before it changed (measured: `c.` kept offering `Date` members after `c` became a
/// `String`); a different file always starts a fresh session. An identical repeated query stays on
/// its file and is answered from the session in milliseconds.
///
/// Every query waits at most ``Configuration-swift.struct/timeout`` seconds, including the wait
/// for an earlier query, and answers empty rather than hang. The first query a server process
/// answers loads the imported modules and is the slowest (measured on 2 busy cores: 0.15–0.25 s
/// for `import Foundation` or `import GNPE`; about 2 s the very first time on a machine, while the
/// clang module cache fills; more on a machine loaded by training), so until a server has answered
/// once, queries may take ``Configuration-swift.struct/firstQueryTimeout`` instead: a user's first
/// Tab waits for the modules rather than getting nothing. Later completions take 10–120 ms, hovers
/// 40–150 ms. ``warmUp(_:)`` pays the first cost in the background ahead of time.
///
/// Queries are serialised (one at a time); the type is safe to call from any thread. A server
/// that exits, or times out three times in a row, is replaced by a new one at the next query.
///
/// Example:
/// ```swift
/// let service = try SourceKitService()
/// let list = service.completions(for: SourceKitQuery(
///     cell: "let s = \"abc\"\ns.up", compilerArguments: [], cursor: 18))
/// // list.items contains "uppercased()", list.cursorStart == 16, list.cursorEnd == 18
/// ```
public final class SourceKitService: @unchecked Sendable {
    /// How the service runs `sourcekit-lsp`.
    public struct Configuration: Sendable {
        /// Path of the `sourcekit-lsp` executable.
        public var executable: String
        /// Path of the `swiftc` put at the head of the compile command (the toolchain's own).
        public var compiler: String
        /// The workspace directory; nil for a fresh directory under the temporary directory,
        /// removed again by ``SourceKitService/shutdown()``.
        public var workspace: URL?
        /// Seconds a query may take in total before it answers empty.
        public var timeout: Double
        /// Seconds a warm-up query may take.
        public var warmUpTimeout: Double
        /// Seconds a query may take until the running server has answered one (it loads the
        /// imported modules first); at least ``timeout``.
        public var firstQueryTimeout: Double

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - executable: Path of `sourcekit-lsp`; by default ``SourceKitService/locateExecutable()``.
        ///   - compiler: Path of `swiftc`; by default the one beside `executable`.
        ///   - workspace: The workspace directory, or nil for a temporary one.
        ///   - timeout: Seconds a query may take (default 3).
        ///   - warmUpTimeout: Seconds a warm-up query may take (default 60).
        ///   - firstQueryTimeout: Seconds a query may take before the server has answered one
        ///     (default 15; never less than `timeout`).
        public init(
            executable: String? = nil, compiler: String? = nil, workspace: URL? = nil,
            timeout: Double = 3, warmUpTimeout: Double = 60, firstQueryTimeout: Double = 15
        ) {
            let executable = executable ?? SourceKitService.locateExecutable() ?? "sourcekit-lsp"
            self.executable = executable
            self.compiler = compiler
                ?? URL(fileURLWithPath: executable).deletingLastPathComponent()
                    .appendingPathComponent("swiftc").path
            self.workspace = workspace
            self.timeout = timeout
            self.warmUpTimeout = warmUpTimeout
            self.firstQueryTimeout = max(timeout, firstQueryTimeout)
        }
    }

    /// The configuration the service was created with.
    public let configuration: Configuration
    /// The workspace directory holding the document files and `compile_commands.json`.
    public let workspace: URL

    private let ownsWorkspace: Bool
    private let queryLock = NSLock()
    private var connection: LanguageServerConnection?
    private var writtenArguments: [String]?
    private var documentVersion = 0
    private var documentIndex = 0
    private var lastSource: String?
    private var consecutiveTimeouts = 0
    private var isShutDown = false
    /// Whether the running server has answered a query (its modules are loaded); guarded by
    /// `stateLock`, not `queryLock`, so that a query can read it before waiting for the server.
    private var serverHasAnswered = false
    private let stateLock = NSLock()

    /// The time a query may take now: ``Configuration-swift.struct/timeout`` once the server has
    /// answered a query, ``Configuration-swift.struct/firstQueryTimeout`` before.
    private var queryTimeout: Double {
        stateLock.withLock { serverHasAnswered } ? configuration.timeout : configuration.firstQueryTimeout
    }

    /// The document files that take turns (see the type's documentation).
    private var documentURLs: [URL] {
        [workspace.appendingPathComponent("CellA.swift"), workspace.appendingPathComponent("CellB.swift")]
    }
    private var documentURL: URL { documentURLs[documentIndex] }
    private var documentURI: String { documentURL.absoluteString }

    /// Finds the toolchain's `sourcekit-lsp`.
    ///
    /// Looks at `$SOURCEKIT_LSP_PATH`, then beside every `swiftc` on `$PATH`, then in
    /// `/opt/swift/usr/bin` and `/usr/bin`.
    ///
    /// - Returns: The executable's path, or nil when there is none.
    public static func locateExecutable() -> String? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["SOURCEKIT_LSP_PATH"] { candidates.append(explicit) }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(directory)/sourcekit-lsp")
        }
        candidates += ["/opt/swift/usr/bin/sourcekit-lsp", "/usr/bin/sourcekit-lsp"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Creates the service and starts `sourcekit-lsp`.
    ///
    /// - Parameter configuration: Where the executables are, the workspace and the timeouts.
    /// - Throws: ``LanguageServerError/launchFailed(path:reason:)`` when the server does not
    ///   start, or a file-system error when the workspace cannot be created.
    public init(configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        if let workspace = configuration.workspace {
            self.workspace = workspace
            ownsWorkspace = false
        } else {
            self.workspace = FileManager.default.temporaryDirectory
                .appendingPathComponent("gnpe-sourcekit-\(getpid())-\(UUID().uuidString.prefix(8))")
            ownsWorkspace = true
        }
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent(".sourcekit-lsp"), withIntermediateDirectories: true)
        // The service only asks about one open file: no background indexing of the workspace.
        try Data(#"{"backgroundIndexing": false}"#.utf8)
            .write(to: workspace.appendingPathComponent(".sourcekit-lsp/config.json"))
        for url in documentURLs { try Data().write(to: url) }
        try writeCompileCommands([])
        queryLock.lock()
        defer { queryLock.unlock() }
        _ = try startedConnection(deadline: Date().addingTimeInterval(max(configuration.timeout, 10)))
    }

    deinit {
        connection?.terminate()
    }

    // MARK: - Queries

    /// Completion candidates at the query's cursor.
    ///
    /// The server's candidates are filtered by the identifier typed before the cursor (case-
    /// sensitive prefix matches first, then case-insensitive ones), ordered by the server's
    /// ranking and deduplicated by text. After a `.` the `self` keyword is left out.
    ///
    /// - Parameter query: The generated source, compiler arguments and cursor.
    /// - Returns: The candidates and the replaced range in Unicode scalars of the cell; empty
    ///   (at the cursor) on timeout or when the server is unavailable.
    public func completions(for query: SourceKitQuery) -> SourceKitCompletionList {
        completions(for: query, timeout: queryTimeout)
    }

    /// Completion candidates in the kernel's form; see ``completions(for:)``.
    ///
    /// - Parameter query: The generated source, compiler arguments and cursor.
    /// - Returns: The candidate texts and the replaced range in Unicode scalars of the cell.
    public func complete(_ query: SourceKitQuery) -> CompletionResult {
        completions(for: query).result
    }

    /// The declaration and documentation of the symbol at the query's cursor, as plain text.
    ///
    /// The cursor may be anywhere in the name or right after it (where Jupyter puts it), right
    /// after a call (`f(x)|`) or inside a call's arguments (`f(x, |`): then the call is described.
    ///
    /// - Parameter query: The generated source, compiler arguments and cursor.
    /// - Returns: The declaration, a blank line and the doc comment (Markdown code fences
    ///   removed), or nil when there is no symbol, on timeout, or when the server is unavailable.
    public func inspect(_ query: SourceKitQuery) -> String? {
        let deadline = Date().addingTimeInterval(queryTimeout)
        return withDocument(query, deadline: deadline) { connection in
            for offset in query.source.inspectionOffsets(aroundUTF8Offset: query.cursorOffset) {
                let position = SourcePosition(utf8Offset: offset, in: query.source)
                let result = try connection.request(
                    "textDocument/hover",
                    ["textDocument": ["uri": documentURI], "position": position.json],
                    timeout: remaining(until: deadline, for: "textDocument/hover"))
                if let hover = result as? [String: Any],
                   let text = HoverText.plainText(fromContents: hover["contents"]) {
                    return text
                }
            }
            return nil
        } ?? nil
    }

    /// Answers `query` once in the background, so that the modules it imports are loaded before
    /// the first real query. Returns immediately.
    ///
    /// - Parameters:
    ///   - query: A query like the real ones, e.g. a member completion on a library value.
    ///   - completion: Called on a background thread with the seconds the warm-up took.
    public func warmUp(_ query: SourceKitQuery, completion: (@Sendable (Double) -> Void)? = nil) {
        DispatchQueue.global(qos: .utility).async { [self] in
            let start = Date()
            _ = completions(for: query, timeout: configuration.warmUpTimeout)
            completion?(Date().timeIntervalSince(start))
        }
    }

    /// Stops the server (LSP `shutdown` and `exit`, then a signal if it lingers) and removes a
    /// temporary workspace. Later queries answer empty.
    public func shutdown() {
        queryLock.lock()
        defer { queryLock.unlock() }
        isShutDown = true
        if let connection, connection.isRunning {
            _ = try? connection.request("shutdown", NSNull(), timeout: 1)
            try? connection.notify("exit", NSNull())
            if !connection.waitForExit(timeout: 1) { connection.terminate() }
        }
        connection = nil
        if ownsWorkspace { try? FileManager.default.removeItem(at: workspace) }
    }

    /// The process identifier of the running server, or nil (for tests and diagnostics).
    public var serverProcessIdentifier: Int32? {
        queryLock.lock()
        defer { queryLock.unlock() }
        guard let connection, connection.isRunning else { return nil }
        return connection.processIdentifier
    }

    // MARK: - Completion

    private func completions(for query: SourceKitQuery, timeout: Double) -> SourceKitCompletionList {
        let deadline = Date().addingTimeInterval(timeout)
        let cursorPosition = SourcePosition(utf8Offset: query.cursorOffset, in: query.source)
        let answer: [String: Any]?? = withDocument(query, deadline: deadline) { connection in
            let result = try connection.request(
                "textDocument/completion",
                ["textDocument": ["uri": documentURI], "position": cursorPosition.json],
                timeout: remaining(until: deadline, for: "textDocument/completion"))
            if let list = result as? [String: Any] { return list }
            if let items = result as? [Any] { return ["items": items] }
            return nil
        }
        guard let list = answer ?? nil, let rawItems = list["items"] as? [[String: Any]] else {
            return .empty(at: query.cellCursor)
        }
        return completionList(from: rawItems, query: query)
    }

    /// Filters, orders and deduplicates the server's items and maps their range into the cell.
    private func completionList(from rawItems: [[String: Any]], query: SourceKitQuery) -> SourceKitCompletionList {
        let source = query.source
        let cursor = min(max(0, query.cursorOffset), source.utf8.count)
        // The replaced range: from the items' text edit, else the identifier before the cursor.
        var start = cursor
        var end = cursor
        if let edit = rawItems.lazy.compactMap({ $0["textEdit"] as? [String: Any] }).first,
           let range = edit["range"] as? [String: Any] ?? (edit["replace"] as? [String: Any]),
           let lower = SourcePosition(json: range["start"]),
           let upper = SourcePosition(json: range["end"]) {
            start = min(lower.utf8Offset(in: source), cursor)
            end = max(upper.utf8Offset(in: source), cursor)
        } else if let name = source.identifierRange(aroundUTF8Offset: cursor), name.lowerBound < cursor {
            start = name.lowerBound
        }
        let prefix = source.substring(inUTF8Range: start..<cursor)
        let afterDot = start > 0 && source.substring(inUTF8Range: (start - 1)..<start) == "."

        struct Ranked { var item: SourceKitCompletion; var filter: String; var sort: String; var index: Int }
        var ranked: [Ranked] = []
        for (index, raw) in rawItems.enumerated() {
            let label = raw["label"] as? String ?? ""
            let text = raw["insertText"] as? String
                ?? ((raw["textEdit"] as? [String: Any])?["newText"] as? String)
                ?? label
            if text.isEmpty { continue }
            let kind = Self.jupyterKind(lspKind: jsonInteger(raw["kind"]))
            if afterDot && kind == "keyword" && text == "self" { continue }
            let item = SourceKitCompletion(text: text, label: label, kind: kind, detail: raw["detail"] as? String)
            ranked.append(Ranked(
                item: item, filter: raw["filterText"] as? String ?? text,
                sort: raw["sortText"] as? String ?? label, index: index))
        }
        let exact = ranked.filter { $0.filter.hasPrefix(prefix) || $0.item.text.hasPrefix(prefix) }
        let loweredPrefix = prefix.lowercased()
        let loose = ranked.filter {
            !($0.filter.hasPrefix(prefix) || $0.item.text.hasPrefix(prefix))
                && ($0.filter.lowercased().hasPrefix(loweredPrefix) || $0.item.text.lowercased().hasPrefix(loweredPrefix))
        }
        func ordered(_ items: [Ranked]) -> [Ranked] {
            items.sorted { ($0.sort, $0.index) < ($1.sort, $1.index) }
        }
        var seen = Set<String>()
        var items: [SourceKitCompletion] = []
        for candidate in ordered(exact) + ordered(loose) where seen.insert(candidate.item.text).inserted {
            items.append(candidate.item)
        }
        let before = source.unicodeScalarCount(inUTF8Range: start..<cursor)
        let after = source.unicodeScalarCount(inUTF8Range: cursor..<end)
        return SourceKitCompletionList(
            items: items,
            cursorStart: max(0, query.cellCursor - before),
            cursorEnd: query.cellCursor + after)
    }

    /// Jupyter's completion type names for LSP `CompletionItemKind` values.
    static func jupyterKind(lspKind: Int?) -> String? {
        switch lspKind {
        case 2: return "method"
        case 3: return "function"
        case 4: return "constructor"
        case 5, 10: return "property"
        case 6: return "variable"
        case 7: return "class"
        case 8: return "protocol"
        case 9: return "module"
        case 13: return "enum"
        case 14: return "keyword"
        case 20: return "enum member"
        case 21: return "constant"
        case 22: return "struct"
        case 24: return "operator"
        case 25: return "type parameter"
        case nil: return nil
        default: return "text"
        }
    }

    // MARK: - Documents and the server

    /// Runs `body` with the query's document open on a running server, then closes it.
    ///
    /// - Returns: The body's result, or nil on timeout, shutdown or a server failure.
    private func withDocument<T>(
        _ query: SourceKitQuery, deadline: Date, _ body: (LanguageServerConnection) throws -> T
    ) -> T? {
        guard queryLock.lock(before: deadline) else { return nil }
        defer { queryLock.unlock() }
        guard !isShutDown else { return nil }
        do {
            let connection = try startedConnection(deadline: deadline)
            try updateCompileCommand(query.compilerArguments, connection: connection, deadline: deadline)
            if query.source != lastSource {
                documentIndex = 1 - documentIndex
                lastSource = query.source
            }
            try? query.source.write(to: documentURL, atomically: false, encoding: .utf8)
            documentVersion += 1
            try connection.notify("textDocument/didOpen", [
                "textDocument": [
                    "uri": documentURI, "languageId": "swift", "version": documentVersion,
                    "text": query.source,
                ] as [String: Any],
            ])
            defer {
                try? connection.notify("textDocument/didClose", ["textDocument": ["uri": documentURI]])
            }
            let result = try body(connection)
            consecutiveTimeouts = 0
            stateLock.withLock { serverHasAnswered = true }
            return result
        } catch LanguageServerError.timedOut {
            consecutiveTimeouts += 1
            if consecutiveTimeouts >= 3 {
                connection?.terminate()
                connection = nil
                consecutiveTimeouts = 0
            }
            return nil
        } catch {
            return nil
        }
    }

    /// The running server, started and initialised if there is none. Caller holds `queryLock`.
    private func startedConnection(deadline: Date) throws -> LanguageServerConnection {
        if let connection, connection.isRunning { return connection }
        connection?.terminate()
        connection = nil
        writtenArguments = nil
        stateLock.withLock { serverHasAnswered = false }
        let started = try LanguageServerConnection(
            executable: configuration.executable,
            arguments: ["--experimental-feature", "synchronize-for-build-system-updates"],
            // Only errors in the server's own log (~/.sourcekit-lsp/logs, one file per process).
            environment: ["SOURCEKIT_LSP_LOG_LEVEL": "error"],
            workingDirectory: workspace)
        let root = workspace.absoluteString
        _ = try started.request("initialize", [
            "processId": Int(getpid()),
            "rootUri": root,
            "workspaceFolders": [["uri": root, "name": "cells"]],
            "capabilities": [
                "textDocument": [
                    "completion": ["completionItem": ["snippetSupport": false]],
                    "hover": ["contentFormat": ["markdown", "plaintext"]],
                    // Pull diagnostics, which this client never pulls: the server does not push them.
                    "diagnostic": ["dynamicRegistration": false],
                ],
                "workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]],
            ] as [String: Any],
        ] as [String: Any], timeout: max(5, deadline.timeIntervalSinceNow))
        try started.notify("initialized", [String: Any]())
        connection = started
        return started
    }

    /// Points the compile command of the documents at `arguments` if they changed, and waits for
    /// the server to take the new command in. Caller holds `queryLock`.
    private func updateCompileCommand(
        _ arguments: [String], connection: LanguageServerConnection, deadline: Date
    ) throws {
        let flags = Self.compilerFlags(from: arguments)
        guard flags != writtenArguments else { return }
        try writeCompileCommands(flags)
        // The server may have read the file already (at start-up): always announce the change.
        try connection.notify("workspace/didChangeWatchedFiles", [
            "changes": [["uri": workspace.appendingPathComponent("compile_commands.json").absoluteString, "type": 2]],
        ])
        _ = try? connection.request(
            "workspace/synchronize", ["buildServerUpdates": true],
            timeout: remaining(until: deadline, for: "workspace/synchronize"))
        writtenArguments = flags
    }

    private func writeCompileCommands(_ flags: [String]) throws {
        let entries: [[String: Any]] = documentURLs.map { url in
            ["directory": workspace.path, "file": url.path, "arguments": [configuration.compiler] + flags + [url.path]]
        }
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted])
        try data.write(to: workspace.appendingPathComponent("compile_commands.json"))
    }

    /// The query's arguments without a leading compiler path and without `.swift` inputs.
    static func compilerFlags(from arguments: [String]) -> [String] {
        var flags = arguments
        if let first = flags.first, !first.hasPrefix("-"),
           first.hasSuffix("swiftc") || first.hasSuffix("swift-frontend") || first.hasSuffix("swift") {
            flags.removeFirst()
        }
        var result: [String] = []
        var previous: String?
        for flag in flags {
            let isValueOfPrevious = previous.map { $0.hasPrefix("-") && !$0.contains("=") && Self.flagsTakingValues.contains($0) } ?? false
            if !isValueOfPrevious && !flag.hasPrefix("-") && flag.hasSuffix(".swift") {
                previous = flag
                continue
            }
            result.append(flag)
            previous = flag
        }
        return result
    }

    /// Flags whose next argument is a value, not an input (the ones a cell compile command uses).
    private static let flagsTakingValues: Set<String> = [
        "-o", "-I", "-L", "-F", "-l", "-module-name", "-emit-module-path", "-Xlinker", "-Xcc",
        "-Xfrontend", "-swift-version", "-target", "-sdk", "-module-cache-path", "-output-file-map",
        "-emit-objc-header-path", "-resource-dir", "-j", "-num-threads", "-vfsoverlay",
    ]

    /// The seconds a request to the server may wait so that its query ends by `deadline`.
    ///
    /// A query whose time is up sends nothing more: without a floor here a 1 ms timeout means
    /// 1 ms, not "1 ms, then one more request that a warm server may still answer".
    ///
    /// - Throws: ``LanguageServerError/timedOut(method:seconds:)`` when the deadline has passed.
    private func remaining(until deadline: Date, for method: String) throws -> Double {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { throw LanguageServerError.timedOut(method: method, seconds: 0) }
        return seconds
    }
}
