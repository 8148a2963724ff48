/// A pose g(θ) computed from the parameters rather than read from them: k components, one per
/// coordinate of the group, e.g. each detector's arrival time t_I(θ) = t_geo + Δ_I(ra, dec) of a
/// gravitational wave (Dax et al., ICLR 2022, arXiv 2111.13139, §5).
///
/// The names are for display and diagnostics (the Gibbs drift is reported per component); they
/// need not be parameter names. The function must return `names.count` finite values for every
/// θ in the prior's support; a model checks it at a few prior draws when it is declared, and GNPE
/// throws ``ModelError/computedPoseLength(pose:found:theta:)`` or
/// ``ModelError/nonFinitePose(name:value:theta:)`` (naming θ) wherever it is evaluated later.
///
/// ```swift
/// // two channels whose arrival times are t₀ ∓ d/2
/// let arrivals = ComputedPose(["t_A", "t_B"]) { θ in [θ[1] - 0.5 * θ[2], θ[1] + 0.5 * θ[2]] }
/// Equivariance(pose: arrivals, group: TimeTranslation(grid: times, channels: 2),
///              kernel: .uniform(width: 0.1), exactPart: .commonTranslation(moving: "t₀"))
/// ```
public struct ComputedPose: Sendable {
    /// The components' names, in the group's coordinate order: `[k]`.
    public let names: [String]
    /// The pose function θ ↦ g(θ): `[parameterCount]` → `[k]`.
    public let compute: @Sendable ([Double]) -> [Double]

    /// Declares a computed pose.
    /// - Parameters:
    ///   - names: One name per component (as many as the group's dimension), distinct.
    ///   - compute: θ `[parameterCount]` ↦ g(θ) `[names.count]`; called from several threads at
    ///     once, so it must not mutate shared state.
    public init(_ names: [String], _ compute: @escaping @Sendable ([Double]) -> [Double]) {
        self.names = names
        self.compute = compute
    }

    /// The number of components k.
    public var count: Int { names.count }
}
