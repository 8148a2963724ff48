import TensorCore

/// One invertible step of a conditional normalizing flow.
///
/// ``forward(_:context:on:)`` maps parameters towards the base distribution (the
/// normalizing direction, used for densities and training); ``inverse(_:context:)`` maps base
/// samples back (sampling).
public protocol FlowTransform {
    /// The trainable parameters, in a fixed order.
    var parameters: [TrainableParameter] { get }
    /// The normalizing direction on the tape.
    /// - Parameters:
    ///   - x: `[batch, features]`.
    ///   - context: The embedded context, `[batch, contextFeatures]`, or `nil`.
    ///   - tape: The tape.
    /// - Returns: The transformed batch `[batch, features]` and `log|det ∂z/∂x|` per row
    ///   (`[batch]`; `nil` when it is zero).
    func forward(_ x: Variable, context: Variable?, on tape: Tape) -> (output: Variable, logDeterminant: Variable?)
    /// The sampling direction, without gradients.
    /// - Parameters:
    ///   - z: `[batch, features]`.
    ///   - context: The embedded context, `[batch, contextFeatures]` or `[1, contextFeatures]`
    ///     (shared by all rows), or `nil`.
    /// - Returns: `[batch, features]`.
    func inverse(_ z: Tensor, context: Tensor?) -> Tensor
}
