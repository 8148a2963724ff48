import RealModule
import TensorCore

/// The mass-ratio half of a prior uniform in the component masses: p(q) ∝ (1 + q)^{2/5} q^{−6/5}
/// on `[low, high] ⊆ (0, 1]`, q = m₂/m₁. See ``UniformInComponentsChirpMass`` for the Jacobian.
///
/// ```swift
/// Parameter("mass_ratio", UniformInComponentsMassRatio(0.125, 1))
/// ```
///
/// **Sampling.** The CDF has no elementary form (∫(1 + q)^{2/5} q^{−6/5} dq is a binomial integral
/// outside Chebyshev's elementary cases; bilby writes it with ₂F₁(−2/5, −1/5; 4/5; −q)). Here the
/// substitution s = q^{−1/5} turns it into ∫ 5 (1 + s^{−5})^{2/5} ds over s ∈ [high^{−1/5},
/// low^{−1/5}] ⊂ [1, ∞): a smooth integrand between 5 and 5·2^{2/5}, whose nearest complex
/// singularities lie 0.618 from the real axis at s = 1 (and further out for larger s). The
/// declaration tabulates that integral with 8-point Gauss–Legendre panels of width 0.1·s
/// (error far below 1e-14 relative); the CDF at any q adds one Gauss–Legendre panel, and the
/// inverse CDF solves CDF(q) = u by safeguarded Newton steps in s to |CDF(q) − u| ≤ 1e-13.
/// Gauss–Legendre is written by hand: Swift has no maintained quadrature package, and 8 fixed
/// nodes on a smooth integrand need no adaptive machinery.
public struct UniformInComponentsMassRatio: Distribution {
    /// The lower bound (> 0).
    public let low: Double
    /// The upper bound (≤ 1).
    public let high: Double
    /// The panel edges in s, ascending from high^{−1/5} to low^{−1/5} (empty if the bounds are invalid).
    let edges: [Double]
    /// ∫ g from edges[0] to edges[k]: `[edges.count]`.
    let cumulative: [Double]
    /// ∫ s^{−5} g and ∫ s^{−10} g over the whole range (for the mean and variance).
    let firstMoment: Double, secondMoment: Double

    /// The tolerance of the inverse CDF on the probability scale.
    public static let inversionTolerance = 1e-13

    /// Creates the mass-ratio prior on `[low, high]`; checked when the model is declared.
    /// - Parameters:
    ///   - low: The smallest mass ratio (> 0).
    ///   - high: The largest mass ratio (≤ 1, default 1).
    public init(_ low: Double, _ high: Double = 1) {
        self.low = low
        self.high = high
        guard low > 0, low < high, high <= 1, low.isFinite else {
            edges = []; cumulative = []; firstMoment = .nan; secondMoment = .nan
            return
        }
        let a = Double.pow(high, -0.2), b = Double.pow(low, -0.2)
        // Panels of width 0.1·s: the integrand's singularities (|s| = 1) are ≥ 0.618 away at s = 1
        // and ≈ s away for large s, so each panel is well inside its convergence region.
        var edges = [a], cumulative = [0.0]
        var m1 = 0.0, m2 = 0.0
        while let left = edges.last, left < b {
            let right = min(left * 1.1, b)
            cumulative.append(cumulative[cumulative.count - 1] + Self.integral(from: left, to: right) { Self.integrand($0) })
            m1 += Self.integral(from: left, to: right) { Self.integrand($0) * Double.pow($0, -5) }
            m2 += Self.integral(from: left, to: right) { Self.integrand($0) * Double.pow($0, -10) }
            edges.append(right)
        }
        self.edges = edges
        self.cumulative = cumulative
        firstMoment = m1
        secondMoment = m2
    }

    /// g(s) = 5 (1 + s^{−5})^{2/5}, the density in s = q^{−1/5} (unnormalised).
    static func integrand(_ s: Double) -> Double { 5 * Double.pow(1 + Double.pow(s, -5), 0.4) }

    /// 8-point Gauss–Legendre nodes and weights on [−1, 1].
    static let nodes: [Double] = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
                                  0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363]
    static let weights: [Double] = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
                                    0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763]

    /// ∫ f over [left, right] by one 8-point Gauss–Legendre panel.
    static func integral(from left: Double, to right: Double, _ f: (Double) -> Double) -> Double {
        let half = (right - left) / 2, mid = (right + left) / 2
        var s = 0.0
        for (x, w) in zip(nodes, weights) { s += w * f(mid + half * x) }
        return s * half
    }

    /// The normalising constant ∫ (1 + q)^{2/5} q^{−6/5} dq over the support.
    var normalization: Double { cumulative.last ?? .nan }

    /// ∫ g from the smallest s (q = high) to s.
    func integral(upTo s: Double) -> Double {
        guard edges.count > 1 else { return .nan }
        if s <= edges[0] { return 0 }
        if s >= edges[edges.count - 1] { return normalization }
        let k = panel(containing: s)
        return cumulative[k] + Self.integral(from: edges[k], to: s) { Self.integrand($0) }
    }

    /// The index k with edges[k] ≤ s < edges[k + 1] (binary search).
    func panel(containing s: Double) -> Int {
        var lo = 0, hi = edges.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if edges[mid] <= s { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The cumulative distribution function, by quadrature (see the type's notes).
    /// - Parameter x: A value.
    /// - Returns: P(q ≤ x), in [0, 1].
    public func cumulativeProbability(of x: Double) -> Double {
        if x <= low { return 0 }
        if x >= high { return 1 }
        // q ≤ x ⇔ s ≥ x^{−1/5}.
        return min(max(1 - integral(upTo: Double.pow(x, -0.2)) / normalization, 0), 1)
    }

    /// The inverse CDF to ``inversionTolerance``.
    /// - Parameter u: A probability in [0, 1].
    /// - Returns: q with P(Q ≤ q) = u.
    public func quantile(_ u: Double) -> Double {
        guard edges.count > 1 else { return .nan }
        // Find s with ∫_{edges[0]}^{s} g = (1 − u) Z.
        let target = (1 - min(max(u, 0), 1)) * normalization
        var lo = 0, hi = cumulative.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= target { lo = mid } else { hi = mid }
        }
        let k = lo
        var left = edges[k], right = edges[min(k + 1, edges.count - 1)]
        var s = left + (target - cumulative[k]) / Self.integrand(left)
        for _ in 0 ..< 50 {
            if !(s > left && s < right) { s = (left + right) / 2 }
            let error = cumulative[k] + Self.integral(from: edges[k], to: s) { Self.integrand($0) } - target
            if abs(error) <= Self.inversionTolerance * normalization { break }
            if error > 0 { right = s } else { left = s }
            s -= error / Self.integrand(s)
        }
        let q = Double.pow(min(max(s, edges[0]), edges[edges.count - 1]), -5)
        return min(max(q, low), high)
    }

    /// One draw by the inverse CDF (``quantile(_:)``) of a uniform u.
    public func sample(using rng: inout RandomSource) -> Double { quantile(rng.nextUniform()) }

    /// log p(q) = 0.4 log(1 + q) − 1.2 log q − log Z; −∞ outside `[low, high]`.
    public func logDensity(of x: Double) -> Double {
        guard x >= low && x <= high else { return -.infinity }
        return 0.4 * Double.log(onePlus: x) - 1.2 * Double.log(x) - Double.log(normalization)
    }

    /// `[low, high]` (one point if the bounds are inverted, which ``validate(parameter:)`` rejects).
    public var support: ClosedRange<Double> { low ... max(low, high) }

    /// E[q] by the same quadrature (∫ q p(q) dq = ∫ s^{−5} g(s) ds / Z).
    public var mean: Double? { edges.count > 1 ? firstMoment / normalization : nil }

    /// E[q²] − E[q]² by the same quadrature.
    public var variance: Double? {
        guard let m = mean else { return nil }
        return max(secondMoment / normalization - m * m, 0)
    }

    /// - Throws: ``ModelError/invalidPrior(parameter:reason:)`` unless `0 < low < high ≤ 1`.
    public func validate(parameter: String) throws {
        guard low.isFinite, high.isFinite, low > 0, high <= 1 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs bounds inside (0, 1] (q = m₂/m₁ with m₂ ≤ m₁)")
        }
        guard low < high else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) needs low < high")
        }
        guard normalization.isFinite, normalization > 0 else {
            throw ModelError.invalidPrior(parameter: parameter, reason: "\(description) cannot be normalised in double precision")
        }
    }

    /// The declaration as written, e.g. `UniformInComponentsMassRatio(0.125, 1.0)`.
    public var description: String { "UniformInComponentsMassRatio(\(low), \(high))" }
}
