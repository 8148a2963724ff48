import Foundation
import RealModule
import TensorCore

/// The Jensen–Shannon divergence between the one-dimensional marginals of two (weighted) sample
/// sets, per parameter, in nats — the figure gravitational-wave papers quote to compare a
/// network's posterior with a sampler's or with its own importance-reweighted version (Dax et al.,
/// PRL 127, 241103 (2021); PRL 130, 171403 (2023), which quote it in units of 10⁻³ nat).
///
/// JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, lies in [0, log 2]. Each marginal is a
/// weighted Gaussian kernel density estimate (Scott's bandwidth with the effective sample size
/// (Σw)²/Σw², as scipy's `gaussian_kde` with weights) on a common grid spanning both sets
/// (wrapped onto one period for a periodic parameter, the kernel wrapping too), and the
/// divergence is summed over the grid.
///
/// ```swift
/// let js = try MarginalJensenShannon().divergences(npeSamples, reweighted.samples,
///                                                  secondWeights: reweighted.normalizedWeights)
/// js.max()   // the largest per-parameter JSD, nats
/// ```
public struct MarginalJensenShannon: Sendable {
    /// The number of grid points per parameter (512).
    public var gridSize = 512

    /// Creates the measure.
    /// - Parameter gridSize: Grid points per parameter (at least 16).
    public init(gridSize: Int = 512) { self.gridSize = gridSize }

    /// The per-parameter Jensen–Shannon divergences, nats.
    /// - Parameters:
    ///   - first: Samples of the first distribution, `[n, d]`.
    ///   - second: Samples of the second, `[m, d]`.
    ///   - firstWeights: Non-negative weights of `first` (`[n]`, any normalisation) or `nil` for equal weights.
    ///   - secondWeights: As `firstWeights`, for `second`.
    ///   - periods: Per parameter, the period of a periodic parameter (its values are wrapped
    ///     onto [0, period)) or `nil`: `[d]`; `nil` for none periodic.
    /// - Returns: `[d]` divergences in [0, log 2].
    /// - Throws: ``SamplingError/invalidInput(_:)`` for mismatched widths or weight counts, empty
    ///   sets, non-finite values, negative or all-zero weights, or a grid smaller than 16.
    public func divergences(
        _ first: SampleMatrix, _ second: SampleMatrix, firstWeights: [Double]? = nil, secondWeights: [Double]? = nil,
        periods: [Double?]? = nil
    ) throws -> [Double] {
        guard gridSize >= 16 else { throw SamplingError.invalidInput("the grid needs at least 16 points, got \(gridSize)") }
        guard first.columns == second.columns else {
            throw SamplingError.invalidInput("the sample sets have \(first.columns) and \(second.columns) parameters")
        }
        guard first.rows > 0, second.rows > 0 else { throw SamplingError.invalidInput("a sample set is empty") }
        if let periods, periods.count != first.columns {
            throw SamplingError.invalidInput("\(periods.count) periods for \(first.columns) parameters")
        }
        let wa = try Self.normalized(firstWeights, count: first.rows, name: "first")
        let wb = try Self.normalized(secondWeights, count: second.rows, name: "second")
        for (set, name) in [(first, "first"), (second, "second")] {
            if let (row, column, value) = InputValidation.firstNonFinite(in: set) {
                throw SamplingError.invalidInput("the \(name) set's θ[\(row), \(column)] is \(value); every value must be finite")
            }
        }
        return (0 ..< first.columns).map { j in
            let period = periods?[j] ?? nil
            let a = first.column(j), b = second.column(j)
            return divergence(a, wa, b, wb, period: period)
        }
    }

    /// The divergence of one parameter.
    func divergence(_ a: [Double], _ wa: [Double], _ b: [Double], _ wb: [Double], period: Double?) -> Double {
        let wrap: (Double) -> Double = { v in
            guard let p = period, p > 0 else { return v }
            let r = v.truncatingRemainder(dividingBy: p)
            return r < 0 ? r + p : r
        }
        let xa = a.map(wrap), xb = b.map(wrap)
        let ha = Self.bandwidth(xa, wa, period: period), hb = Self.bandwidth(xb, wb, period: period)
        let lower: Double, upper: Double
        if let p = period, p > 0 {
            (lower, upper) = (0, p)
        } else {
            lower = min(xa.min()!, xb.min()!) - 4 * max(ha, hb)  // sets are non-empty (checked)
            upper = max(xa.max()!, xb.max()!) + 4 * max(ha, hb)
        }
        guard upper > lower else { return 0 }  // both sets are one and the same point
        let p = density(xa, wa, bandwidth: ha, lower: lower, upper: upper, period: period)
        let q = density(xb, wb, bandwidth: hb, lower: lower, upper: upper, period: period)
        var js = 0.0
        for k in 0 ..< gridSize {
            let m = (p[k] + q[k]) / 2
            if p[k] > 0 { js += 0.5 * p[k] * Double.log(p[k] / m) }
            if q[k] > 0 { js += 0.5 * q[k] * Double.log(q[k] / m) }
        }
        return min(max(js, 0), Double.log(2.0))
    }

    /// A weighted Gaussian KDE binned onto the grid (linear binning, then the kernel summed over
    /// the bins), normalised to sum to 1 over the grid.
    func density(_ x: [Double], _ w: [Double], bandwidth h: Double, lower: Double, upper: Double, period: Double?) -> [Double] {
        let n = gridSize
        let periodic = period != nil
        let step = periodic ? (upper - lower) / Double(n) : (upper - lower) / Double(n - 1)
        var binned = [Double](repeating: 0, count: n)
        for (v, weight) in zip(x, w) {
            let u = (v - lower) / step
            let i = Int(u.rounded(.down))
            let f = u - Double(i)
            if periodic {
                binned[((i % n) + n) % n] += weight * (1 - f)
                binned[(((i + 1) % n) + n) % n] += weight * f
            } else {
                let i0 = min(max(i, 0), n - 1), i1 = min(max(i + 1, 0), n - 1)
                binned[i0] += weight * (1 - f)
                binned[i1] += weight * f
            }
        }
        // The kernel in grid steps, cut at 5 bandwidths (at least one step wide).
        let sigma = max(h / step, 0.5)
        let reach = min(Int((5 * sigma).rounded(.up)), n)
        let kernel = (0 ... reach).map { d in Double.exp(-0.5 * Double(d * d) / (sigma * sigma)) }
        var out = [Double](repeating: 0, count: n)
        for i in 0 ..< n where binned[i] > 0 {
            for d in -reach ... reach {
                var k = i + d
                if periodic { k = ((k % n) + n) % n } else if k < 0 || k >= n { continue }
                out[k] += binned[i] * kernel[abs(d)]
            }
        }
        let total = out.reduce(0, +)
        return total > 0 ? out.map { $0 / total } : out
    }

    /// The weighted standard deviation of a sample; for a periodic parameter the circular one,
    /// √(−2 log R)·period/2π with R the weighted mean resultant length.
    /// - Parameters:
    ///   - x: The values, `[n]`.
    ///   - w: Their weights, `[n]`, summing to 1.
    ///   - period: The period, or `nil` for a parameter on the line.
    /// - Returns: σ_w (0 for a point mass on the line; R is floored at 10⁻¹² on the circle).
    public static func weightedStandardDeviation(of x: [Double], weights w: [Double], period: Double?) -> Double {
        if let p = period, p > 0 {
            var c = 0.0, s = 0.0
            for (v, weight) in zip(x, w) {
                c += weight * Double.cos(2 * .pi * v / p)
                s += weight * Double.sin(2 * .pi * v / p)
            }
            let r = min(max((c * c + s * s).squareRoot(), 1e-12), 1)
            return (-2 * Double.log(r)).squareRoot() * p / (2 * .pi)
        }
        let mean = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 }
        return zip(x, w).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) }.squareRoot()
    }

    /// Scott's bandwidth n_eff^(−1/5)·σ_w (``weightedStandardDeviation(of:weights:period:)``, on
    /// the circle for a periodic parameter); a small floor keeps a point mass finite.
    static func bandwidth(_ x: [Double], _ w: [Double], period: Double?) -> Double {
        let effective = 1 / w.reduce(0) { $0 + $1 * $1 }
        let sd = weightedStandardDeviation(of: x, weights: w, period: period)
        let scale = max(abs(x.max() ?? 0), abs(x.min() ?? 0), 1)
        return max(sd * Double.pow(effective, -0.2), 1e-9 * scale)
    }

    /// Weights normalised to sum to 1 (equal weights for `nil`).
    static func normalized(_ weights: [Double]?, count: Int, name: String) throws -> [Double] {
        guard let weights else { return [Double](repeating: 1 / Double(count), count: count) }
        guard weights.count == count else {
            throw SamplingError.invalidInput("\(weights.count) weights for the \(name) set's \(count) samples")
        }
        if let i = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw SamplingError.invalidInput("the \(name) set's weight \(i) is \(weights[i]); weights must be finite and non-negative")
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw SamplingError.invalidInput("the \(name) set's weights are all zero") }
        return weights.map { $0 / total }
    }
}
