import TensorCore

/// A group equivariance of the model (Dax et al., ICLR 2022, arXiv 2111.13139): the pose g(θ),
/// the group acting on data and parameters, the blurring kernel κ of the pose proxy
/// ĝ = g(θ)·ε, and which part of the equivariance is exact.
///
/// **A pose made of parameters** (``init(pose:group:kernel:exact:)``): g(θ) is a subset of θ.
/// - **Exact**: p(T(g)x | g·θ) = p(x | θ)|det T(g)|⁻¹ holds for all g; the flow then sees only
///   the standardised data T(ĝ⁻¹)x and the pose relative to the proxy, ĝ⁻¹g(θ).
/// - **Approximate**: the flow also receives the proxy ĝ as context.
///
/// ```swift
/// Equivariance(pose: ["t0"], group: TimeTranslation(grid: times), kernel: .uniform(width: 0.2), exact: true)
/// ```
///
/// **A computed pose** (``init(pose:group:kernel:exactPart:)``): g(θ) is a function of θ with one
/// component per group coordinate, e.g. one arrival time per detector, t_I(θ) = t_geo + Δ_I(ra, dec),
/// with ℝᵏ shifting each detector's channel by its own g_I (Dax et al. 2022, §5). The data are
/// standardised channel by channel, T(ĝ⁻¹)x. ``ExactPart`` says which subgroup is an exact
/// symmetry: with ``ExactPart/commonTranslation(moving:)`` shifting every channel by the same c
/// is exact and moves one parameter by c (t_geo ↦ t_geo + c), so the flow models that parameter
/// relative to the first component's proxy and receives only the k − 1 relative proxies
/// ĝ_I − ĝ₀ as context (DINGO's exact global time translation); with ``ExactPart/none`` the flow
/// models θ unchanged and receives all k proxies.
///
/// ```swift
/// let arrivals = ComputedPose(["t_A", "t_B"]) { θ in [θ[1] - 0.5 * θ[2], θ[1] + 0.5 * θ[2]] }
/// Equivariance(pose: arrivals, group: TimeTranslation(grid: times, channels: 2),
///              kernel: .uniform(width: 0.1), exactPart: .commonTranslation(moving: "t₀"))
/// ```
public struct Equivariance: ModelComponent, Sendable {
    /// The names of the pose, in the group's coordinate order: the pose parameters' names, or
    /// the computed pose's component names.
    public let pose: [String]
    /// The pose function, or `nil` for a pose made of parameters.
    public let computedPose: ComputedPose?
    /// The exact part of a computed pose's equivariance (``ExactPart/none`` for a pose made of
    /// parameters, whose exactness is ``isExact``).
    public let exactPart: ExactPart
    /// The group.
    public let group: any PoseGroup
    /// The blurring kernel κ.
    public let kernel: BlurKernel
    /// Whether the equivariance is exact as a whole: the flow then gets no proxy as context. For a
    /// computed pose, true only for one component with ``ExactPart/commonTranslation(moving:)``.
    public let isExact: Bool

    /// Declares an equivariance whose pose is made of parameters.
    /// - Parameters:
    ///   - pose: The pose parameters' names (as many as the group's dimension).
    ///   - group: The group.
    ///   - kernel: The blurring kernel κ.
    ///   - exact: `true` for an exact equivariance (default), `false` for an approximate one.
    public init(pose: [String], group: any PoseGroup, kernel: BlurKernel, exact: Bool = true) {
        self.pose = pose
        self.computedPose = nil
        self.exactPart = .none
        self.group = group
        self.kernel = kernel
        self.isExact = exact
    }

    /// Declares an equivariance whose pose is computed from θ, one component per group coordinate.
    /// - Parameters:
    ///   - pose: The pose function and its components' names (as many as the group's dimension).
    ///   - group: The group, acting on the data channel by channel.
    ///   - kernel: The blurring kernel κ, drawn independently per component.
    ///   - exactPart: The exact subgroup: ``ExactPart/none`` (default; the flow gets all k proxies
    ///     as context) or ``ExactPart/commonTranslation(moving:)`` (shifting all components by the
    ///     same amount is exact and moves the named parameter).
    public init(pose: ComputedPose, group: any PoseGroup, kernel: BlurKernel, exactPart: ExactPart = .none) {
        self.pose = pose.names
        self.computedPose = pose
        self.exactPart = exactPart
        self.group = group
        self.kernel = kernel
        if case .commonTranslation = exactPart { self.isExact = pose.count == 1 } else { self.isExact = false }
    }

    /// This equivariance, as the model builder collects it.
    public var declarations: [ModelDeclaration] { [.equivariance(self)] }
}
