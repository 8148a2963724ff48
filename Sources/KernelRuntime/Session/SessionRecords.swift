import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the library wrote into the session directory for the kernel to tell the user after a
/// crash: `crash-context.txt` (what was running) and the kept items (`kept/*.json`).
///
/// Reading never fails: an unreadable or malformed file is skipped with a note.
public struct SessionRecords: Sendable {
    /// The session directory.
    public var directory: String

    /// The largest sidecar or context file read (bytes); larger ones are skipped.
    static let maximumFileSize = 1 << 20
    /// The most context lines shown.
    static let maximumContextLines = 40

    /// Creates a reader of `directory`.
    /// - Parameter directory: The session directory (``SessionDirectory/path``).
    public init(directory: String) {
        self.directory = directory
    }

    /// The kept items, oldest first, and a note for each sidecar that was skipped.
    public func keptItems() -> (items: [KeptItem], notes: [String]) {
        let folder = directory + "/kept"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        var items: [KeptItem] = []
        var notes: [String] = []
        for name in names {
            do {
                let data = try Self.read(folder + "/" + name)
                items.append(try KeptItem(sidecar: data))
            } catch {
                notes.append("(skipped kept/\(name): \(error))")
            }
        }
        // Stable: equal dates keep the order of the file names.
        let ordered = items.enumerated().sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
        return (ordered.map(\.element), notes)
    }

    /// The lines of `crash-context.txt`, deleting the file; empty when there is none.
    public func takeCrashContext() -> [String] {
        let path = directory + "/crash-context.txt"
        guard let data = try? Self.read(path) else {
            unlink(path)
            return []
        }
        unlink(path)
        var lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.count > Self.maximumContextLines {
            let dropped = lines.count - Self.maximumContextLines
            lines = Array(lines.prefix(Self.maximumContextLines)) + ["… (\(dropped) more lines)"]
        }
        return lines
    }

    /// The traceback lines that follow a crash's summary: what was running, and the kept
    /// items with the line that restores each; then the note on what was lost.
    /// - Returns: The lines (the restart note last).
    public func crashReport() -> [String] {
        var lines: [String] = []
        let context = takeCrashContext()
        if !context.isEmpty {
            lines.append("While it crashed:")
            lines += context.map { "    " + $0 }
        }
        let kept = keptItems()
        if !kept.items.isEmpty {
            lines.append("Kept from this session (restore with one line each):")
            for item in kept.items {
                lines.append("  " + item.summary)
                lines.append("    " + item.restore)
            }
        }
        lines += kept.notes
        lines.append(kept.items.isEmpty ? Self.restartNote : Self.restartNoteWithKeptItems)
        return lines
    }

    /// What a new worker has lost, when nothing was kept.
    public static let restartNote =
        "The worker was restarted and the state was lost: values and objects of earlier cells are gone. Definitions are kept (functions, types, globals with their initial values); re-run the cells you need."

    /// What a new worker has lost, when work was kept.
    public static let restartNoteWithKeptItems =
        "The worker was restarted: values and objects of earlier cells are gone, but the kept work listed above can be restored with its line, and re-running the cells that made it restores it without recomputing. Definitions are kept (functions, types, globals with their initial values)."

    /// Reads a regular file of at most ``maximumFileSize`` bytes.
    static func read(_ path: String) throws -> Data {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard attributes[.type] as? FileAttributeType == .typeRegular else { throw KeptItemError(reason: "not a regular file") }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw KeptItemError(reason: "larger than \(maximumFileSize) bytes")
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
