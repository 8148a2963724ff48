/// A model parameter: a name and its prior.
///
/// ```swift
/// Parameter("omega0", Uniform(1, 5))
/// ```
public struct Parameter: ModelComponent, Sendable {
    /// The parameter's name (unique within a model).
    public let name: String
    /// Its prior.
    public let prior: any Distribution

    /// Declares a parameter; the prior is checked when the model is built.
    /// - Parameters:
    ///   - name: A unique name.
    ///   - prior: Its prior distribution.
    public init(_ name: String, _ prior: any Distribution) {
        self.name = name
        self.prior = prior
    }

    public var declarations: [ModelDeclaration] { [.parameter(self)] }
}
