/// A model parameter: a name, its prior, and whether it is periodic.
///
/// ```swift
/// Parameter("omega0", Uniform(1, 5))
/// Parameter("phase", Uniform(0, 2 * .pi), periodic: true)   // period 2π, the prior's width
/// ```
///
/// A periodic parameter's period is the width of its prior's support (which must be bounded):
/// values a period apart describe the same state. The library uses it where it matters: the
/// Gibbs drift diagnostics compare periodic poses with Kuiper's circular statistic, and
/// ``JointPrior/periodic`` is saved with an estimator, for plots over the full period.
public struct Parameter: ModelComponent, Sendable {
    /// The parameter's name (unique within a model).
    public let name: String
    /// Its prior.
    public let prior: any Distribution
    /// Whether the parameter is periodic, with the width of the prior's support as period.
    public let isPeriodic: Bool

    /// Declares a parameter; the prior is checked when the model is built.
    /// - Parameters:
    ///   - name: A unique name.
    ///   - prior: Its prior distribution.
    ///   - periodic: Whether values one support width apart are the same (default `false`); the
    ///     prior must then have a bounded support, checked when the model is built.
    public init(_ name: String, _ prior: any Distribution, periodic: Bool = false) {
        self.name = name
        self.prior = prior
        self.isPeriodic = periodic
    }

    /// The period (the prior's support width) if the parameter is periodic, else `nil`.
    public var period: Double? {
        isPeriodic ? prior.support.upperBound - prior.support.lowerBound : nil
    }

    /// This parameter, as the model builder collects it.
    public var declarations: [ModelDeclaration] { [.parameter(self)] }
}
