/// Invalid input to a plot, with a message naming the problem.
public enum PlottingError: Error, Equatable, CustomStringConvertible {
    /// An array had no elements where at least one is needed.
    case emptyData(String)
    /// Arrays that must match in length do not.
    case shapeMismatch(String)
    /// An option is outside its allowed range.
    case invalidOption(String)
    /// Writing a file failed.
    case writeFailed(String)

    /// A readable message.
    public var description: String {
        switch self {
        case .emptyData(let message): return "empty data: \(message)"
        case .shapeMismatch(let message): return "shape mismatch: \(message)"
        case .invalidOption(let message): return "invalid option: \(message)"
        case .writeFailed(let message): return "could not write plot: \(message)"
        }
    }
}
