import TensorCore

/// An equivariance whose pose parameters have been located in θ; the operations GNPE needs
/// (Dax et al. 2022, §3): proxies, standardisation of data, and pose relative to the proxy.
public struct ResolvedEquivariance: Sendable {
    /// The declaration.
    public let declaration: Equivariance
    /// The positions of the pose parameters in θ: `[group.dimension]`.
    public let poseIndices: [Int]

    /// The group.
    public var group: any PoseGroup { declaration.group }
    /// The blurring kernel.
    public var kernel: BlurKernel { declaration.kernel }
    /// Whether the equivariance is exact.
    public var isExact: Bool { declaration.isExact }

    /// The pose g(θ): `[group.dimension]`.
    public func pose(of theta: [Double]) -> [Double] { poseIndices.map { theta[$0] } }

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

    /// θ expressed relative to the proxy: T(ĝ⁻¹) acting on θ, so the pose becomes ĝ⁻¹·g(θ)
    /// (for translations: t₀ − t̂₀). What the flow models for an exact equivariance.
    public func relativeParameters(_ theta: [Double], proxy: [Double]) -> [Double] {
        group.transformingParameters(theta, poseIndices: poseIndices, by: group.inverse(of: proxy))
    }

    /// The inverse of ``relativeParameters(_:proxy:)``: θ from θ relative to ĝ.
    public func absoluteParameters(_ relative: [Double], proxy: [Double]) -> [Double] {
        group.transformingParameters(relative, poseIndices: poseIndices, by: proxy)
    }
}
