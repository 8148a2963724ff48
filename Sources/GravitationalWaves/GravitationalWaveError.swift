/// Errors of the gravitational-wave module. Each names the offending value.
public enum GravitationalWaveError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A parameter outside its domain (the message says which and why).
    case invalidParameter(String)
    /// A GPS time before 1980-01-06 minus 12 h, where LAL's leap-second table (and so UTC) starts.
    case timeBeforeLeapSecondTable(gpsSeconds: Int)
    /// A line of an amplitude-spectral-density file that is not two numbers.
    case malformedLine(line: Int, content: String)
    /// A non-positive or non-finite frequency or ASD value in a file or table.
    case nonPositiveValue(line: Int, value: Double)
    /// Frequencies that do not increase strictly.
    case unsortedFrequencies(line: Int, frequency: Double, previous: Double)
    /// A table with fewer than two points.
    case tooFewPoints(Int)
    /// A frequency of the band outside the range a tabulated spectrum covers.
    case frequencyOutsideTable(frequency: Double, lower: Double, upper: Double)
    /// Arrays whose sizes or grids do not fit together.
    case shapeMismatch(String)
    /// A file that cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A detector-network configuration that cannot work (the message names the setting and,
    /// for a spectrum that does not cover the band, the detector and the underlying error).
    case invalidConfiguration(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidParameter(let message): return "invalid parameter: \(message)"
        case .timeBeforeLeapSecondTable(let s):
            return "GPS time \(s) s is before the leap-second table (GPS −43200 s, 1980-01-05 12:00 UTC)"
        case .malformedLine(let line, let content):
            return "line \(line) is not two numbers (frequency, value): \"\(content)\""
        case .nonPositiveValue(let line, let value):
            return "line \(line): frequencies and spectral densities must be positive and finite, got \(value)"
        case .unsortedFrequencies(let line, let f, let previous):
            return "line \(line): frequency \(f) Hz does not increase (previous \(previous) Hz)"
        case .tooFewPoints(let n): return "a tabulated spectrum needs at least 2 points, got \(n)"
        case .frequencyOutsideTable(let f, let lower, let upper):
            return "frequency \(f) Hz is outside the tabulated range \(lower)…\(upper) Hz"
        case .shapeMismatch(let message): return "shape mismatch: \(message)"
        case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
        case .invalidConfiguration(let message): return "invalid network configuration: \(message)"
        }
    }
}
