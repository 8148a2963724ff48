import RealModule
import TensorCore

extension ResolvedEquivariance {
    /// Whether proxies are continuous group elements, so that the proxy law κ(ĝ | g) has a density
    /// in ĝ: false for a group that rounds proxies to a lattice (``TimeTranslation`` with
    /// ``TimeTranslation/Interpolation/wholeSamples``, or a user's group whose
    /// ``PoseGroup/proxy(near:)`` moves elements), where ĝ given g is discrete.
    public var hasContinuousProxies: Bool {
        if let time = group as? TimeTranslation { return time.interpolation != .wholeSamples }
        if group is ValueTranslation || group is PlaneRotation { return true }
        // A user's group: probe the proxy map at a few elements near the identity.
        let e = group.identity
        for scale in [0.123, -0.377, 1.618] {
            let element = e.map { $0 + scale }
            if group.proxy(near: element) != element { return false }
        }
        return true
    }

    /// log κ(ĝ | g): the log density of the proxy ĝ = g·ε, ε ~ κ, in ĝ's coordinates (the
    /// product over components, ε being drawn independently per component),
    ///
    ///     log κ(g⁻¹·ĝ) + log |det ∂(g⁻¹·ĝ)/∂ĝ|,
    ///
    /// the Jacobian being 0 for the built-in groups (additive coordinates) and taken by finite
    /// differences for others (e.g. −log g for a multiplicative scaling group).
    /// - Parameters:
    ///   - proxy: ĝ, `[group.dimension]`.
    ///   - pose: g(θ), `[group.dimension]`.
    /// - Returns: The log density (−∞ outside a bounded kernel's support).
    public func proxyLogDensity(_ proxy: [Double], givenPose pose: [Double]) -> Double {
        let inverse = group.inverse(of: pose)
        let epsilon = group.composing(inverse, proxy)
        let logKernel = kernel.logDensity(of: epsilon)
        guard logKernel > -.infinity, !hasAdditiveCoordinates else { return logKernel }
        return logKernel + Self.logAbsoluteDeterminant(at: proxy) { group.composing(inverse, $0) }
    }

    /// log |det ∂θ_rel/∂θ| of the map θ ↦ θ_rel = ``relativeParameters(_:proxy:)`` at fixed ĝ: the
    /// change of variables between θ and what the GNPE flow models. 0 for the built-in groups
    /// (a translation of additive coordinates) and for a computed pose (θ unchanged, or one
    /// parameter translated by ĝ₀); by finite differences for others.
    /// - Parameters:
    ///   - theta: θ, `[parameterCount]`.
    ///   - proxy: ĝ, `[group.dimension]`.
    /// - Returns: The log absolute Jacobian determinant.
    public func relativeParametersLogJacobian(_ theta: [Double], proxy: [Double]) -> Double {
        if hasAdditiveCoordinates || hasComputedPose { return 0 }
        if group.movesOtherParameters {
            return Self.logAbsoluteDeterminant(at: theta) { relativeParameters($0, proxy: proxy) }
        }
        // Only the pose moves: the Jacobian is block-diagonal with the identity elsewhere.
        let inverse = group.inverse(of: proxy)
        return Self.logAbsoluteDeterminant(at: pose(of: theta)) { group.transformingPose($0, by: inverse) }
    }

    /// Whether the group composes by adding coordinates (``PoseGroup/composesByAddition``, or
    /// ``PlaneRotation``, additive modulo 2π), so that both Jacobians above are exactly 1.
    var hasAdditiveCoordinates: Bool { group.composesByAddition || group is PlaneRotation }

    /// log |det J| of `f` at `v` by finite differences (central where the two one-sided
    /// differences agree, else the smaller one-sided one, so a wrap-around such as an angle's
    /// at ±π does not count as a jump), and an LU determinant. −∞ for a singular Jacobian.
    static func logAbsoluteDeterminant(at v: [Double], _ f: ([Double]) -> [Double]) -> Double {
        let n = v.count
        guard n > 0 else { return 0 }
        let center = f(v)
        guard center.count == n else { return .nan }
        var jacobian = [Double](repeating: 0, count: n * n)
        for j in 0 ..< n {
            let h = 1e-6 * max(1, abs(v[j]))
            var plus = v, minus = v
            plus[j] += h
            minus[j] -= h
            let fp = f(plus), fm = f(minus)
            for i in 0 ..< n {
                let forward = (fp[i] - center[i]) / h, backward = (center[i] - fm[i]) / h
                let agree = abs(forward - backward) <= 1e-3 * max(1, abs(forward), abs(backward))
                jacobian[i * n + j] = agree ? (forward + backward) / 2 : (abs(forward) < abs(backward) ? forward : backward)
            }
        }
        // LU with partial pivoting.
        var logDeterminant = 0.0
        for k in 0 ..< n {
            var pivot = k
            for i in k + 1 ..< n where abs(jacobian[i * n + k]) > abs(jacobian[pivot * n + k]) { pivot = i }
            let p = jacobian[pivot * n + k]
            guard p != 0, p.isFinite else { return -.infinity }
            if pivot != k { for c in 0 ..< n { jacobian.swapAt(k * n + c, pivot * n + c) } }
            logDeterminant += Double.log(abs(p))
            for i in k + 1 ..< n {
                let factor = jacobian[i * n + k] / p
                for c in k ..< n { jacobian[i * n + c] -= factor * jacobian[k * n + c] }
            }
        }
        return logDeterminant
    }
}
