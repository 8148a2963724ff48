/// Why a `%install` did not succeed.
public struct PackageInstallationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A one-line summary (`the package did not build`).
    public var summary: String
    /// The lines that say why: SwiftPM's error lines, shortened.
    public var details: [String]

    /// Creates an error.
    /// - Parameters:
    ///   - summary: The one-line summary.
    ///   - details: The lines that explain it.
    public init(_ summary: String, details: [String] = []) {
        self.summary = summary
        self.details = details
    }

    /// The summary and the details, one per line.
    public var description: String { ([summary] + details).joined(separator: "\n") }
}
