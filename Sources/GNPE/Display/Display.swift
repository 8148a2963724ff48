/// Shows `value` in the cell's output now, in its richest representation.
///
/// Values conforming to ``RichDisplayable`` show their MIME bundle; anything else shows its
/// description as `text/plain`.
/// - Parameters:
///   - value: The value to show (a plot, a table, any value).
///   - id: A display id; a later ``updateDisplay(_:id:)`` with the same id replaces the output
///     in place, in this cell or from a later one.
public func display(_ value: Any, id: String? = nil) {
    DisplayChannel.send(type: "display_data", bundle: mimeBundle(of: value), displayID: id)
}

/// Replaces the output shown earlier with ``display(_:id:)`` under the same `id`.
/// - Parameters:
///   - value: The new content.
///   - id: The display id given to ``display(_:id:)``.
public func updateDisplay(_ value: Any, id: String) {
    DisplayChannel.send(type: "update_display_data", bundle: mimeBundle(of: value), displayID: id)
}

/// Clears the current cell's output; with `wait`, only when new output arrives.
public func clearOutput(wait: Bool = false) {
    DisplayChannel.clearOutput(wait: wait)
}

/// The MIME bundle for any value: its own for ``RichDisplayable`` values, else its description.
public func mimeBundle(of value: Any) -> [String: String] {
    if let rich = value as? RichDisplayable {
        var bundle = rich.mimeBundle
        if bundle["text/plain"] == nil { bundle["text/plain"] = String(describing: value) }
        return bundle
    }
    return ["text/plain": String(describing: value)]
}

/// Sends the value of a cell's final expression as its `execute_result`.
///
/// Generated cell code calls this; users do not need to. `Void` values show nothing.
public func _emitExecuteResult(_ value: Any) {
    if value is Void { return }
    DisplayChannel.send(type: "execute_result", bundle: mimeBundle(of: value))
}
