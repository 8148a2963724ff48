/// A prior distribution stored by value in an estimator file, so that a loaded estimator can
/// re-create its prior.
///
/// The built-in distributions (``Uniform``, ``Normal``, ``LogUniform``, ``Sine``, ``Cosine``,
/// ``PowerLaw``, ``UniformInComponentsChirpMass``, ``UniformInComponentsMassRatio``) are stored with
/// their bounds; a user-defined distribution is stored as ``opaque(_:)`` (its description only),
/// and loading then needs the prior passed by the caller. New cases only add keys, so files
/// written before a case existed still decode.
public enum PriorDescription: Codable, Sendable, Equatable {
    /// ``Uniform`` on `[low, high]`.
    case uniform(low: Double, high: Double)
    /// ``Normal`` with a mean and standard deviation.
    case normal(mean: Double, standardDeviation: Double)
    /// ``LogUniform`` on `[low, high]`.
    case logUniform(low: Double, high: Double)
    /// ``Sine`` on `[low, high]`.
    case sine(low: Double, high: Double)
    /// ``Cosine`` on `[low, high]`.
    case cosine(low: Double, high: Double)
    /// ``PowerLaw`` on `[low, high]` with its exponent.
    case powerLaw(low: Double, high: Double, exponent: Double)
    /// ``UniformInComponentsChirpMass`` on `[low, high]`.
    case uniformInComponentsChirpMass(low: Double, high: Double)
    /// ``UniformInComponentsMassRatio`` on `[low, high]`.
    case uniformInComponentsMassRatio(low: Double, high: Double)
    /// A user-defined distribution, by its description.
    case opaque(String)

    /// Describes a distribution.
    /// - Parameter distribution: Any distribution.
    public init(_ distribution: any Distribution) {
        switch distribution {
        case let u as Uniform: self = .uniform(low: u.low, high: u.high)
        case let n as Normal: self = .normal(mean: n.location, standardDeviation: n.standardDeviation)
        case let l as LogUniform: self = .logUniform(low: l.low, high: l.high)
        case let d as Sine: self = .sine(low: d.low, high: d.high)
        case let d as Cosine: self = .cosine(low: d.low, high: d.high)
        case let d as PowerLaw: self = .powerLaw(low: d.low, high: d.high, exponent: d.exponent)
        case let d as UniformInComponentsChirpMass: self = .uniformInComponentsChirpMass(low: d.low, high: d.high)
        case let d as UniformInComponentsMassRatio: self = .uniformInComponentsMassRatio(low: d.low, high: d.high)
        default: self = .opaque(distribution.description)
        }
    }

    /// The distribution, or `nil` for ``opaque(_:)``.
    public var distribution: (any Distribution)? {
        switch self {
        case let .uniform(low, high): return Uniform(low, high)
        case let .normal(mean, sd): return Normal(mean, sd)
        case let .logUniform(low, high): return LogUniform(low, high)
        case let .sine(low, high): return Sine(low, high)
        case let .cosine(low, high): return Cosine(low, high)
        case let .powerLaw(low, high, exponent): return PowerLaw(low, high, exponent: exponent)
        case let .uniformInComponentsChirpMass(low, high): return UniformInComponentsChirpMass(low, high)
        case let .uniformInComponentsMassRatio(low, high): return UniformInComponentsMassRatio(low, high)
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
    /// `true` for a periodic parameter; absent (`nil`) otherwise, as in files written before
    /// periodic parameters existed.
    public var periodic: Bool?

    /// Creates a stored component.
    /// - Parameters:
    ///   - name: The parameter name.
    ///   - prior: Its prior.
    ///   - periodic: Whether it is periodic (stored only when `true`).
    public init(name: String, prior: PriorDescription, periodic: Bool = false) {
        self.name = name
        self.prior = prior
        self.periodic = periodic ? true : nil
    }
}

extension JointPrior {
    /// The prior as storable components, in θ order.
    public var storedComponents: [StoredPriorComponent] {
        names.indices.map {
            StoredPriorComponent(name: names[$0], prior: PriorDescription(distributions[$0]), periodic: periodic[$0])
        }
    }

    /// Re-creates a prior from stored components, or checks a caller's prior against them.
    /// - Parameters:
    ///   - components: The stored components.
    ///   - given: A prior passed by the caller (required if a component is opaque). Its periodic
    ///     flags win over the stored ones (periodicity does not change a trained network, and
    ///     files from before periodic parameters store none).
    /// - Returns: The prior, with the stored periodic flags when restored from the file.
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
        var parts = [Parameter]()
        for c in components {
            guard let d = c.prior.distribution else {
                if case .opaque(let text) = c.prior {
                    throw EstimatorFileError.priorRequired(parameter: c.name, distribution: text)
                }
                continue
            }
            parts.append(Parameter(c.name, d, periodic: c.periodic ?? false))
        }
        return try JointPrior(parameters: parts)
    }
}
