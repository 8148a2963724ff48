/// How the worker said a cell ended (one line on its status pipe), or that it died.
enum WorkerStatus: Equatable {
    /// `ok`: the cell returned.
    case ok
    /// `error <type>\t<message>`: the cell threw.
    case thrown(type: String, message: String)
    /// `loaderror <message>`: the cell's library did not load.
    case loadError(String)
    /// `fatal <message>`: the worker cannot go on.
    case fatal(String)
    /// The worker process ended (its wait status).
    case exited(waitStatus: Int32)

    /// Parses a status line.
    init(line: String) {
        let word = line.prefix { $0 != " " }
        let rest = String(line.dropFirst(word.count + 1))
        switch word {
        case "ok": self = .ok
        case "error":
            let parts = rest.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            self = .thrown(
                type: Self.unescape(String(parts[0])),
                message: parts.count > 1 ? Self.unescape(String(parts[1])) : "")
        case "loaderror": self = .loadError(Self.unescape(rest))
        default: self = .fatal(Self.unescape(rest.isEmpty ? line : rest))
        }
    }

    /// Undoes the worker's escaping of `\\`, `\n` and `\t`.
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                switch scalar {
                case "n": out += "\n"
                case "t": out += "\t"
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
