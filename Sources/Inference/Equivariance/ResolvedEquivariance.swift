import TensorCore

/// An equivariance whose pose has been located in θ; the operations GNPE needs
/// (Dax et al. 2022, §3): poses, proxies, standardisation of data, θ relative to the proxy and
/// the proxies the flow receives as context.
///
/// For a pose made of parameters, ``poseIndices`` says where it sits in θ and the group acts on θ
/// (``PoseGroup/transformingParameters(_:poseIndices:by:)``). For a computed pose
/// (``ComputedPose``), ``poseIndices`` is empty, the group acts on the data only, and the exact
/// part moves one parameter (``movedParameterIndex``) by the first component's proxy.
public struct ResolvedEquivariance: Sendable {
    /// The declaration.
    public let declaration: Equivariance
    /// The positions of the pose parameters in θ: `[group.dimension]`; empty for a computed pose.
    public let poseIndices: [Int]
    /// For ``Equivariance/ExactPart/commonTranslation(moving:)``, the position in θ of the
    /// parameter the common translation moves; otherwise `nil`.
    public let movedParameterIndex: Int?

    init(declaration: Equivariance, poseIndices: [Int], movedParameterIndex: Int? = nil) {
        self.declaration = declaration
        self.poseIndices = poseIndices
        self.movedParameterIndex = movedParameterIndex
    }

    /// The group.
    public var group: any PoseGroup { declaration.group }
    /// The blurring kernel.
    public var kernel: BlurKernel { declaration.kernel }
    /// Whether the equivariance is exact as a whole (no proxy in the flow's context).
    public var isExact: Bool { declaration.isExact }
    /// Whether the pose is computed from θ (``ComputedPose``) rather than made of parameters.
    public var hasComputedPose: Bool { declaration.computedPose != nil }
    /// The pose components' names (parameter names, or the computed pose's names): `[group.dimension]`.
    public var poseNames: [String] { declaration.pose }

    /// The pose g(θ): `[group.dimension]`. A computed pose that returns the wrong number of values
    /// gives `group.dimension` NaNs here (use ``checkedPose(of:)`` to get an error instead).
    /// - Parameter theta: `[parameterCount]`.
    public func pose(of theta: [Double]) -> [Double] {
        guard let computed = declaration.computedPose else { return poseIndices.map { theta[$0] } }
        let g = computed.compute(theta)
        return g.count == group.dimension ? g : Array(repeating: .nan, count: group.dimension)
    }

    /// The pose g(θ), checked: a computed pose must return `group.dimension` finite values.
    /// - Parameter theta: `[parameterCount]`.
    /// - Returns: `[group.dimension]`.
    /// - Throws: ``ModelError/computedPoseLength(pose:found:theta:)`` or
    ///   ``ModelError/nonFinitePose(name:value:theta:)`` naming θ.
    public func checkedPose(of theta: [Double]) throws -> [Double] {
        guard let computed = declaration.computedPose else { return poseIndices.map { theta[$0] } }
        let g = computed.compute(theta)
        guard g.count == group.dimension else {
            throw ModelError.computedPoseLength(pose: computed.names, found: g.count, theta: theta)
        }
        if let j = g.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.nonFinitePose(name: computed.names[j], value: g[j], theta: theta)
        }
        return g
    }

    /// A pose proxy ĝ = g·ε with ε ~ κ (moved to the nearest element the group applies exactly,
    /// see ``PoseGroup/proxy(near:)``).
    /// - Parameters:
    ///   - pose: g(θ) (or any group element), `[group.dimension]`.
    ///   - rng: The random source for ε.
    public func proxy(forPose pose: [Double], using rng: inout RandomSource) -> [Double] {
        group.proxy(near: group.composing(pose, kernel.sample(dimension: group.dimension, using: &rng)))
    }

    /// The standardised data T(ĝ⁻¹)x.
    public func standardising(_ x: [Double], proxy: [Double]) -> [Double] { group.standardising(x, proxy: proxy) }

    /// θ expressed relative to the proxy: what the GNPE flow models.
    ///
    /// - Pose made of parameters: T(ĝ⁻¹) acting on θ, so the pose becomes ĝ⁻¹·g(θ) (for
    ///   translations: t₀ − t̂₀).
    /// - Computed pose with ``Equivariance/ExactPart/commonTranslation(moving:)``: θ with the moved
    ///   parameter less the first component's proxy, θ[moving] − ĝ₀.
    /// - Computed pose without an exact part: θ unchanged.
    /// - Parameters:
    ///   - theta: `[parameterCount]`.
    ///   - proxy: ĝ, `[group.dimension]`.
    /// - Returns: `[parameterCount]`.
    public func relativeParameters(_ theta: [Double], proxy: [Double]) -> [Double] {
        guard hasComputedPose else {
            return group.transformingParameters(theta, poseIndices: poseIndices, by: group.inverse(of: proxy))
        }
        guard let moved = movedParameterIndex else { return theta }
        var relative = theta
        relative[moved] -= proxy.first ?? .nan  // an empty proxy gives NaN, not a trap
        return relative
    }

    /// The inverse of ``relativeParameters(_:proxy:)``: θ from θ relative to ĝ.
    public func absoluteParameters(_ relative: [Double], proxy: [Double]) -> [Double] {
        guard hasComputedPose else {
            return group.transformingParameters(relative, poseIndices: poseIndices, by: proxy)
        }
        guard let moved = movedParameterIndex else { return relative }
        var theta = relative
        theta[moved] += proxy.first ?? .nan
        return theta
    }

    /// The number of proxy values the flow receives after the standardised data: 0 for an exact
    /// equivariance of parameters, `group.dimension` for an approximate one or a computed pose
    /// without an exact part, `group.dimension − 1` (the relative proxies) for a computed pose with
    /// ``Equivariance/ExactPart/commonTranslation(moving:)``.
    public var contextProxyCount: Int {
        if hasComputedPose { return movedParameterIndex == nil ? group.dimension : group.dimension - 1 }
        return isExact ? 0 : group.dimension
    }

    /// The proxy values appended to the flow's context (see ``contextProxyCount``): nothing, ĝ
    /// itself, or the relative proxies ĝ_I − ĝ₀ for I ≥ 1 under a common translation (which are
    /// unchanged when every component moves by the same amount).
    /// - Parameter proxy: ĝ, `[group.dimension]`.
    /// - Returns: `[contextProxyCount]`.
    public func contextProxies(_ proxy: [Double]) -> [Double] {
        if hasComputedPose {
            guard movedParameterIndex != nil else { return proxy }
            return (1 ..< max(1, proxy.count)).map { proxy[$0] - proxy[0] }
        }
        return isExact ? [] : proxy
    }

    /// The period of each pose component (for the Gibbs drift statistic): the prior's period of a
    /// periodic pose parameter, `nil` otherwise; computed components are never periodic.
    /// - Parameter prior: The model's prior.
    /// - Returns: `[group.dimension]`.
    public func posePeriods(in prior: JointPrior) -> [Double?] {
        guard !hasComputedPose else { return Array(repeating: nil, count: group.dimension) }
        return poseIndices.map { prior.period(ofParameterAt: $0) }
    }
}
