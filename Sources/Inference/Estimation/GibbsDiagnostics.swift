import RealModule

/// How much the GNPE Gibbs chains still moved, iteration by iteration: the two-sample
/// Kolmogorov–Smirnov statistic between the pose proxies ĝ of successive iterations, per pose
/// parameter, and a warning when the last iterations still move.
///
/// The proxies of iteration k are one draw per chain; once the chains have reached the stationary
/// law the proxies' distribution no longer changes, and the KS statistic between iterations k and
/// k − 1 falls to the level of sampling noise (≈ 0.87·√(2/N) for N independent chains, smaller
/// because successive states of one chain are positively correlated).
///
/// **Warning rule.** Let N be the number of chains and c = 1.628·√(2/N) the 1 % critical value of
/// the two-sample KS test for N against N independent samples. The chains count as unsettled
/// when, for some pose parameter, the KS statistic between the proxies of the last iteration and
/// of ``window`` iterations earlier exceeds c. Comparing over a window catches a slow, steady drift
/// (a narrow kernel κ makes each step small) that the step-to-step statistic alone would miss.
public struct GibbsDiagnostics: Sendable, Equatable, Codable {
    /// The pose parameters' names, one per series.
    public var poseNames: [String]
    /// The number of chains N.
    public var chainCount: Int
    /// `drift[k][j]`: KS statistic between the proxies of iterations k + 2 and k + 1 for pose
    /// parameter j: `[iterations − 1][poseDimension]`.
    public var drift: [[Double]]
    /// The KS statistic, per pose parameter, between the last iteration's proxies and those
    /// ``window`` iterations earlier (or of the first iteration if there are fewer): `[poseDimension]`.
    public var recentDrift: [Double]
    /// The comparison window of ``recentDrift``.
    public var window: Int
    /// The threshold the warning compares ``recentDrift`` with: 1.628·√(2/N).
    public var threshold: Double
    /// The fraction of θ draws inside the prior's support (draws outside it are redrawn), or 1 if
    /// no support was enforced.
    public var acceptanceRate: Double

    /// Creates diagnostics (the sampler fills them).
    public init(poseNames: [String], chainCount: Int, drift: [[Double]], recentDrift: [Double], window: Int,
                acceptanceRate: Double = 1) {
        self.poseNames = poseNames
        self.chainCount = chainCount
        self.drift = drift
        self.recentDrift = recentDrift
        self.window = window
        self.threshold = Self.criticalValue(chains: chainCount)
        self.acceptanceRate = acceptanceRate
    }

    /// The number of iterations recorded (drift values + 1).
    public var iterations: Int { drift.count + 1 }

    /// The drift series of pose parameter `j`: `[iterations − 1]`.
    public func driftSeries(_ j: Int) -> [Double] { drift.map { $0[j] } }

    /// Whether every pose parameter's ``recentDrift`` is at most ``threshold``.
    public var hasSettled: Bool { recentDrift.allSatisfy { $0 <= threshold } }

    /// A warning naming the unsettled pose parameters, or `nil` when the chains settled.
    public var warning: String? {
        guard !hasSettled else { return nil }
        let moving = zip(poseNames, recentDrift).filter { $0.1 > threshold }
            .map { "\($0.0) (KS \(Self.format($0.1)))" }
        return "GNPE Gibbs chains have not settled after \(iterations) iterations: the pose proxies of "
            + moving.joined(separator: ", ") + " still moved over the last \(window) iterations "
            + "(threshold \(Self.format(threshold)) for \(chainCount) chains); run more iterations or widen the kernel"
    }

    /// The 1 % critical value of the two-sample KS test for N against N samples: 1.628·√(2/N).
    public static func criticalValue(chains: Int) -> Double {
        1.628 * (2 / Double(max(chains, 1))).squareRoot()
    }

    /// The two-sample Kolmogorov–Smirnov statistic sup_t |F_a(t) − F_b(t)| of two samples.
    /// - Parameters:
    ///   - a: The first sample.
    ///   - b: The second sample.
    /// - Returns: A value in [0, 1]; 0 if either sample is empty.
    /// - Complexity: O((n + m) log(n + m)).
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let x = a.sorted(), y = b.sorted()
        let n = Double(x.count), m = Double(y.count)
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let t = min(x[i], y[j])
            while i < x.count && x[i] <= t { i += 1 }
            while j < y.count && y[j] <= t { j += 1 }
            d = max(d, abs(Double(i) / n - Double(j) / m))
        }
        return d
    }

    static func format(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
