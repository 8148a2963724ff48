/// A prior distribution stored by value in an estimator file, so that a loaded estimator can
/// re-create its prior.
///
/// The built-in distributions (``Uniform``, ``Normal``, ``LogUniform``) are stored with their
/// bounds; a user-defined distribution is stored as ``opaque(_:)`` (its description only), and
/// loading then needs the prior passed by the caller.
public enum PriorDescription: Codable, Sendable, Equatable {
    /// ``Uniform`` on `[low, high]`.
    case uniform(low: Double, high: Double)
    /// ``Normal`` with a mean and standard deviation.
    case normal(mean: Double, standardDeviation: Double)
    /// ``LogUniform`` on `[low, high]`.
    case logUniform(low: Double, high: Double)
    /// A user-defined distribution, by its description.
    case opaque(String)

    /// Describes a distribution.
    /// - Parameter distribution: Any distribution.
    public init(_ distribution: any Distribution) {
        switch distribution {
        case let u as Uniform: self = .uniform(low: u.low, high: u.high)
        case let n as Normal: self = .normal(mean: n.location, standardDeviation: n.standardDeviation)
        case let l as LogUniform: self = .logUniform(low: l.low, high: l.high)
        default: self = .opaque(distribution.description)
        }
    }

    /// The distribution, or `nil` for ``opaque(_:)``.
    public var distribution: (any Distribution)? {
        switch self {
        case let .uniform(low, high): return Uniform(low, high)
        case let .normal(mean, sd): return Normal(mean, sd)
        case let .logUniform(low, high): return LogUniform(low, high)
        case .opaque: return nil
        }
    }
}

/// A named prior component as stored in an estimator file.
public struct StoredPriorComponent: Codable, Sendable, Equatable {
    /// The parameter name.
    public var name: String
    /// Its prior.
    public var prior: PriorDescription
}

extension JointPrior {
    /// The prior as storable components, in θ order.
    public var storedComponents: [StoredPriorComponent] {
        zip(names, distributions).map { StoredPriorComponent(name: $0, prior: PriorDescription($1)) }
    }

    /// Re-creates a prior from stored components, or checks a caller's prior against them.
    /// - Parameters:
    ///   - components: The stored components.
    ///   - given: A prior passed by the caller (required if a component is opaque).
    /// - Returns: The prior.
    /// - Throws: ``EstimatorFileError/priorRequired(parameter:distribution:)`` if a component is
    ///   user-defined and no prior was given; ``EstimatorFileError/priorMismatch(_:)`` if the given
    ///   prior's names differ, or a built-in component differs from the stored one.
    public static func restoring(_ components: [StoredPriorComponent], given: JointPrior?) throws -> JointPrior {
        if let given {
            guard given.names == components.map(\.name) else {
                throw EstimatorFileError.priorMismatch("parameters \(given.names), saved \(components.map(\.name))")
            }
            for (c, d) in zip(components, given.distributions) {
                if case .opaque = c.prior { continue }
                guard PriorDescription(d) == c.prior else {
                    throw EstimatorFileError.priorMismatch("\(c.name) is \(d), saved \(c.prior)")
                }
            }
            return given
        }
        var parts = [(name: String, distribution: any Distribution)]()
        for c in components {
            guard let d = c.prior.distribution else {
                if case .opaque(let text) = c.prior {
                    throw EstimatorFileError.priorRequired(parameter: c.name, distribution: text)
                }
                continue
            }
            parts.append((c.name, d))
        }
        return try JointPrior(parts)
    }
}
