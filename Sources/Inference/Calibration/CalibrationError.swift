/// Errors from setting up or reading a calibration run wrongly; each message names the problem.
public enum CalibrationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The number of test cases is not positive.
    case invalidTestCaseCount(Int)
    /// Fewer than two posterior samples per test case (a rank needs at least two).
    case tooFewPosteriorSamples(Int)
    /// The number of concurrent workers is not positive.
    case invalidConcurrency(Int)
    /// The posterior's parameters do not match the prior's or the test set's; the message names both.
    case parameterMismatch(String)
    /// The test set's parameters and observations do not fit together or contain NaN or ±∞.
    case invalidTestSet(String)
    /// A posterior returned samples of the wrong shape or with NaN or ±∞ for a test case.
    case invalidSamples(testCase: Int, String)
    /// The posterior gives samples but no density, so highest-density coverage is unavailable.
    case densityUnavailable(String)
    /// Every simulation of the test set was invalid (NaN, ±∞ or a throwing simulator).
    case noValidSimulations(planned: Int)
    /// An argument of a result's method is out of range.
    case invalidArgument(String)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .invalidTestCaseCount(let n):
            return "The number of test cases must be at least 1, got \(n)"
        case .tooFewPosteriorSamples(let n):
            return "Calibration needs at least 2 posterior samples per test case, got \(n) (100 or more give useful ranks)"
        case .invalidConcurrency(let n):
            return "The number of concurrent workers must be at least 1 (or nil for all cores), got \(n)"
        case .parameterMismatch(let m):
            return "Parameter mismatch: \(m)"
        case .invalidTestSet(let m):
            return "Invalid test set: \(m)"
        case let .invalidSamples(testCase, m):
            return "The posterior's samples for test case \(testCase) are unusable: \(m)"
        case .densityUnavailable(let m):
            return "No posterior density: \(m)"
        case .noValidSimulations(let planned):
            return "All \(planned) test simulations were invalid (NaN, ±∞ or a throwing simulator); check the simulator"
        case .invalidArgument(let m):
            return "Invalid argument: \(m)"
        }
    }
}
