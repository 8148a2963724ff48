import TensorCore

/// The serialisable description of a conditional flow: everything needed to rebuild it
/// (with ``ConditionalFlow/init(architecture:)``) before loading its weights.
///
/// Defaults follow sbi: 5 transforms, 50 hidden units, 2 hidden layers, NSF with 10 bins and
/// tails beyond ±3.
public struct FlowArchitecture: Codable, Sendable, Equatable {
    /// The per-feature transform family.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Masked autoregressive flow with affine steps (Papamakarios et al. 2017).
        case maskedAutoregressive
        /// Autoregressive neural spline flow with rational-quadratic splines (Durkan et al. 2019).
        case neuralSpline
    }

    /// The linear layer placed between autoregressive steps.
    public enum Mixing: String, Codable, Sendable, CaseIterable {
        /// Reverse the feature order (as zuko).
        case reversePermutation
        /// A random permutation drawn from ``FlowArchitecture/seed`` (as sbi/nflows).
        case randomPermutation
        /// A learned invertible linear map in LU form (as nflows' `LULinear`).
        case luLinear
    }

    /// The transform family.
    public var kind: Kind
    /// Dimension of θ.
    public var parameterFeatures: Int
    /// The embedding of the observation (its input size is the observation size).
    public var embedding: EmbeddingArchitecture
    /// The number of autoregressive steps.
    public var transformCount: Int
    /// Width of each MADE hidden layer.
    public var hiddenFeatures: Int
    /// Number of MADE hidden layers.
    public var hiddenLayerCount: Int
    /// MADE nonlinearity.
    public var activation: Activation
    /// Spline bins (NSF only).
    public var binCount: Int
    /// Splines act on `[−tailBound, tailBound]`, identity (linear tails) outside (NSF only).
    public var tailBound: Float
    /// The layer between steps.
    public var mixing: Mixing
    /// Seeds the initial weights and random permutations.
    public var seed: UInt64
    /// Bounded parameters, modelled through a logit map (`nil`, the default: every parameter
    /// unbounded). The estimators' `priorSupport` gives the prior's bounded parameters.
    public var parameterSupport: ParameterSupport?

    /// Creates an architecture description.
    /// - Parameters:
    ///   - kind: `.maskedAutoregressive` or `.neuralSpline`.
    ///   - parameterFeatures: Dimension of θ.
    ///   - embedding: The embedding network (use `.identity(features: xDimension)` for none).
    ///   - transformCount: Steps (5).
    ///   - hiddenFeatures: MADE width (50).
    ///   - hiddenLayerCount: MADE depth (2).
    ///   - activation: MADE nonlinearity (tanh for MAF and ReLU for NSF, as sbi, when `nil`).
    ///   - binCount: NSF bins (10).
    ///   - tailBound: NSF interval half-width (3).
    ///   - mixing: Layer between steps (reverse permutation).
    ///   - seed: Seed for initial weights (0).
    public init(kind: Kind, parameterFeatures: Int, embedding: EmbeddingArchitecture, transformCount: Int = 5,
                hiddenFeatures: Int = 50, hiddenLayerCount: Int = 2, activation: Activation? = nil,
                binCount: Int = 10, tailBound: Float = 3, mixing: Mixing = .reversePermutation, seed: UInt64 = 0) {
        self.kind = kind
        self.parameterFeatures = parameterFeatures
        self.embedding = embedding
        self.transformCount = transformCount
        self.hiddenFeatures = hiddenFeatures
        self.hiddenLayerCount = hiddenLayerCount
        self.activation = activation ?? (kind == .maskedAutoregressive ? .tanh : .relu)
        self.binCount = binCount
        self.tailBound = tailBound
        self.mixing = mixing
        self.seed = seed
        self.parameterSupport = nil
    }

    private enum CodingKeys: String, CodingKey {
        case kind, parameterFeatures, embedding, transformCount, hiddenFeatures, hiddenLayerCount, activation
        case binCount, tailBound, mixing, seed, parameterSupport
    }

    /// Decodes an architecture; `parameterSupport` (added in a later version) is `nil` when
    /// absent, so flows saved before it load unchanged.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        parameterFeatures = try c.decode(Int.self, forKey: .parameterFeatures)
        embedding = try c.decode(EmbeddingArchitecture.self, forKey: .embedding)
        transformCount = try c.decode(Int.self, forKey: .transformCount)
        hiddenFeatures = try c.decode(Int.self, forKey: .hiddenFeatures)
        hiddenLayerCount = try c.decode(Int.self, forKey: .hiddenLayerCount)
        activation = try c.decode(Activation.self, forKey: .activation)
        binCount = try c.decode(Int.self, forKey: .binCount)
        tailBound = try c.decode(Float.self, forKey: .tailBound)
        mixing = try c.decode(Mixing.self, forKey: .mixing)
        seed = try c.decode(UInt64.self, forKey: .seed)
        parameterSupport = try c.decodeIfPresent(ParameterSupport.self, forKey: .parameterSupport)
    }

    /// Dimension of one observation.
    public var contextFeatures: Int { embedding.inputFeatures }

    /// Checks that every size is positive.
    /// - Throws: ``FlowError/invalidArchitecture(_:)`` naming the bad field.
    public func validate() throws {
        if parameterFeatures < 1 { throw FlowError.invalidArchitecture("parameterFeatures must be ≥ 1, got \(parameterFeatures)") }
        if contextFeatures < 0 { throw FlowError.invalidArchitecture("observation features must be ≥ 0") }
        try embedding.validate()
        if transformCount < 1 { throw FlowError.invalidArchitecture("transformCount must be ≥ 1, got \(transformCount)") }
        if hiddenFeatures < 1 { throw FlowError.invalidArchitecture("hiddenFeatures must be ≥ 1, got \(hiddenFeatures)") }
        if hiddenLayerCount < 1 { throw FlowError.invalidArchitecture("hiddenLayerCount must be ≥ 1, got \(hiddenLayerCount)") }
        if kind == .neuralSpline && binCount < 2 { throw FlowError.invalidArchitecture("binCount must be ≥ 2, got \(binCount)") }
        if kind == .neuralSpline && !(tailBound > 0 && tailBound.isFinite) {
            throw FlowError.invalidArchitecture("tailBound must be positive and finite, got \(tailBound)")
        }
        try parameterSupport?.validate(parameterFeatures: parameterFeatures)
        // A typo such as `hiddenFeatures: 500_000` would allocate terabytes of weights.
        let bytes = estimatedTrainingBytes
        if bytes > 256 << 20 {
            try MemoryBudget.current().check(
                bytes: bytes, for: "a flow with \(transformCount) transforms of \(hiddenLayerCount) × \(hiddenFeatures) hidden features")
        }
    }

    /// About the bytes the flow's transforms take while training: every MADE's weights and
    /// masks, their gradients and Adam's two moments (Float32), overflow-safe (saturates at
    /// `Int.max`). The embedding network is not counted.
    public var estimatedTrainingBytes: Int {
        let d = parameterFeatures, h = hiddenFeatures
        let perFeature = kind == .neuralSpline ? 3 * binCount - 1 : 2
        // Input and context layers, hidden-to-hidden layers, output layer (weights, then masks).
        let made = [
            MemoryBudget.bytes(d + max(contextFeatures, 0), h),
            MemoryBudget.bytes(hiddenLayerCount - 1, h, h),
            MemoryBudget.bytes(h, d, perFeature),
        ].reduce(0) { $0 > Int.max - $1 ? Int.max : $0 + $1 }
        // × transforms × (weights, masks, gradients, two Adam moments) × 4 bytes.
        return MemoryBudget.bytes(made, transformCount, 5, MemoryLayout<Float>.size)
    }
}

/// Errors from building or evaluating a flow on user input.
public enum FlowError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An architecture field is out of range.
    case invalidArchitecture(String)
    /// An input has the wrong shape; the message names expected and actual shapes.
    case shapeMismatch(String)
    /// Saved weights do not fit this flow.
    case incompatibleWeights(String)
    /// A custom embedding cannot be described for saving.
    case notSerializable(String)
    /// Training data contain NaN or infinite values.
    case nonFiniteData(String)
    /// A parameter value lies outside ``FlowArchitecture/parameterSupport``.
    case outsideSupport(String)
    /// An argument other than data is out of range (e.g. a sampling temperature that is not
    /// positive and finite).
    case invalidArgument(String)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .invalidArchitecture(let m): return "Invalid flow architecture: \(m)"
        case .shapeMismatch(let m): return "Shape mismatch: \(m)"
        case .incompatibleWeights(let m): return "Incompatible weights: \(m)"
        case .notSerializable(let m): return "Not serialisable: \(m)"
        case .nonFiniteData(let m): return "Non-finite data: \(m)"
        case .outsideSupport(let m): return "Outside the parameter support: \(m)"
        case .invalidArgument(let m): return "Invalid argument: \(m)"
        }
    }
}
