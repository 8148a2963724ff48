import TensorCore

/// A group equivariance of the model (Dax et al., ICLR 2022, arXiv 2111.13139): which parameters
/// form the pose g(θ), the group acting on data and parameters, the blurring kernel κ of the
/// pose proxy ĝ = g(θ)·ε, and whether the equivariance is exact.
///
/// - **Exact**: p(T(g)x | g·θ) = p(x | θ)|det T(g)|⁻¹ holds for all g; the flow then sees only
///   the standardised data T(ĝ⁻¹)x and the pose relative to the proxy, ĝ⁻¹g(θ).
/// - **Approximate**: the flow also receives the proxy ĝ as context.
///
/// ```swift
/// Equivariance(pose: ["t0"], group: TimeTranslation(grid: times), kernel: .uniform(width: 0.2), exact: true)
/// ```
public struct Equivariance: ModelComponent, Sendable {
    /// The names of the pose parameters, in the group's coordinate order.
    public let pose: [String]
    /// The group.
    public let group: any PoseGroup
    /// The blurring kernel κ.
    public let kernel: BlurKernel
    /// Whether the equivariance is exact.
    public let isExact: Bool

    /// Declares an equivariance.
    /// - Parameters:
    ///   - pose: The pose parameters' names (as many as the group's dimension).
    ///   - group: The group.
    ///   - kernel: The blurring kernel κ.
    ///   - exact: `true` for an exact equivariance (default), `false` for an approximate one.
    public init(pose: [String], group: any PoseGroup, kernel: BlurKernel, exact: Bool = true) {
        self.pose = pose
        self.group = group
        self.kernel = kernel
        self.isExact = exact
    }

    public var declarations: [ModelDeclaration] { [.equivariance(self)] }
}
