import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The cells run in one kernel session, answering `history_request` (tail, range, search).
///
/// Entries are `[session, line, input]`, or `[session, line, [input, output]]` when output is
/// requested (outputs are not kept: `null`). The session number is always 1. Search patterns are
/// shell globs (`*`, `?`, `[…]`), as IPython's history search uses.
public final class SessionHistory: @unchecked Sendable {
    /// The session number reported in every entry.
    public static let session = 1
    private var cells: [(line: Int, input: String)] = []
    private let lock = NSLock()

    /// Creates an empty history.
    public init() {}

    /// Records `input` as line `line` (the cell's execution count).
    /// - Parameters:
    ///   - input: The cell's code.
    ///   - line: Its execution count.
    public func append(_ input: String, line: Int) {
        lock.lock()
        defer { lock.unlock() }
        cells.append((line, input))
    }

    /// The entries that a `history_request` with `content` asks for.
    /// - Parameter content: The request's content (`hist_access_type`, `output`, `n`, `start`,
    ///   `stop`, `pattern`, `unique`).
    /// - Returns: The entries, oldest first.
    public func entries(for content: [String: Any]) -> [[Any]] {
        lock.lock()
        let all = cells
        lock.unlock()
        let output = content["output"] as? Bool ?? false
        let n = content["n"] as? Int
        var selected: [(line: Int, input: String)]
        switch content["hist_access_type"] as? String ?? "tail" {
        case "range":
            let start = content["start"] as? Int ?? 0
            let stop = content["stop"] as? Int
            selected = all.filter { $0.line >= start && (stop == nil || $0.line < stop!) }
        case "search":
            let pattern = content["pattern"] as? String ?? "*"
            selected = all.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if content["unique"] as? Bool ?? false {
                var seen = Set<String>()
                selected = selected.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n { selected = Array(selected.suffix(n)) }
        default:
            selected = Array(all.suffix(n ?? 10))
        }
        return selected.map { cell in
            output
                ? [SessionHistory.session, cell.line, [cell.input, NSNull()] as [Any]]
                : [SessionHistory.session, cell.line, cell.input]
        }
    }
}
