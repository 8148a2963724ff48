import Foundation

/// A built `%install` request: where its library and modules are, and the flags that let a
/// cell import and link it. Stored as `installed.json` in the request's cache folder.
public struct InstalledPackage: Codable, Sendable, Equatable {
    /// The request's cache key (also the suffix of the library's name).
    public var key: String
    /// The products it provides.
    public var products: [String]
    /// The path of the built shared library, `…/.build/release/libInstalled_<key>.so`.
    public var libraryPath: String
    /// The flags a cell needs: `-I` for the package's modules, `-L`, `-l` and an rpath for its
    /// library, `-Xcc` flags for the module maps of its C targets.
    public var compilerFlags: [String]
    /// The fingerprint of the local packages' files when it was built (see
    /// ``PackageInstaller``); a different fingerprint means the package changed and is rebuilt.
    public var sourceFingerprint: String
}
