import Crypto
import Foundation

/// What one `%install` line asks for: a SwiftPM dependency and the products to use from it.
public struct PackageRequest: Sendable, Equatable {
    /// The dependency expression as it goes into the generated manifest, with relative
    /// `path:` arguments made absolute (`.package(path: "/home/me/MySimulator")`).
    public var dependency: String
    /// The products the cells will import.
    public var products: [String]
    /// The folders of the local (`path:`) packages the dependency names, absolute.
    public var localPaths: [String]

    /// Creates a request from a `%install` line's parts.
    ///
    /// `$cwd` in the dependency stands for the working directory (as in swift-jupyter), and a
    /// relative `path:` is taken relative to it (the notebook's folder).
    /// - Parameters:
    ///   - dependency: The `.package(…)` expression.
    ///   - products: The product names.
    ///   - workingDirectory: The kernel's working directory.
    public init(dependency: String, products: [String], workingDirectory: String) {
        var text = dependency.replacingOccurrences(of: "$cwd", with: workingDirectory)
        var paths: [String] = []
        // `path: "…"`: the only argument of `.package` that names a folder.
        if let match = text.range(of: #"path:\s*"([^"]*)""#, options: .regularExpression) {
            let literal = text[match]
            if let open = literal.firstIndex(of: "\"") {
                let path = String(literal[literal.index(after: open)...].dropLast())
                let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
                let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
                paths.append(standardized)
                text.replaceSubrange(match, with: "path: \"\(standardized)\"")
            }
        }
        self.dependency = text
        self.products = products
        self.localPaths = paths
    }

    /// A stable key for the request built with a given toolchain against a given build of the
    /// library (hex SHA-256, first 16 characters).
    /// - Parameters:
    ///   - toolchain: The compiler's identity (its files' paths, sizes and times).
    ///   - library: The GNPE library's build identity.
    /// - Returns: The key.
    public func cacheKey(toolchain: String, library: String) -> String {
        let text = [dependency, products.joined(separator: " "), toolchain, library].joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
