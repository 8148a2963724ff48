/// A value that knows how to show itself in a notebook as one or more MIME representations.
///
/// A cell whose last expression conforms shows the bundle as its `execute_result`;
/// ``display(_:id:)`` shows it mid-cell. Every bundle must include `text/plain`, which consoles
/// and exported text use.
///
/// ```swift
/// struct Banner: RichDisplayable {
///     var mimeBundle: [String: String] {
///         ["text/plain": "hello", "text/html": "<b>hello</b>"]
///     }
/// }
/// ```
public protocol RichDisplayable {
    /// The representations of this value keyed by MIME type (`"text/plain"`, `"image/svg+xml"` …).
    var mimeBundle: [String: String] { get }
}
