/// Translations ℝⁿ acting on data by adding a constant: the data vector is split into n equal
/// blocks and g_j is added to every value of block j; the pose moves as g(θ) ↦ g(θ) + g.
///
/// The group of a location model: x_i = μ + noise is equivariant under μ ↦ μ + g, x ↦ x + g.
/// Exact (no edges): T(g⁻¹)T(g)x = x up to rounding.
public struct ValueTranslation: PoseGroup {
    /// The number of blocks (= the number of pose parameters).
    public let dimension: Int

    /// Creates translations of `dimension` blocks of data.
    public init(dimension: Int = 1) { self.dimension = dimension }

    /// No offset.
    public var identity: [Double] { Array(repeating: 0, count: dimension) }
    /// Offsets add.
    public func composing(_ g: [Double], _ h: [Double]) -> [Double] { zip(g, h).map { $0 + $1 } }
    /// The opposite offsets.
    public func inverse(of g: [Double]) -> [Double] { g.map { -$0 } }
    /// True: translations compose by adding.
    public var composesByAddition: Bool { true }

    /// Adds g_j to every value of block j.
    public func transformingData(_ x: [Double], by g: [Double]) -> [Double] {
        let block = x.count / dimension
        var out = x
        for j in 0 ..< dimension {
            for k in j * block ..< (j + 1) * block { out[k] += g[j] }
        }
        return out
    }

    /// - Throws: ``ModelError/invalidGroup(_:)`` unless `dimension ≥ 1` divides the output length.
    public func validate(outputLength: Int) throws {
        guard dimension >= 1, outputLength % dimension == 0 else {
            throw ModelError.invalidGroup("ValueTranslation of dimension \(dimension) needs an output length divisible by it, got \(outputLength)")
        }
    }
}
