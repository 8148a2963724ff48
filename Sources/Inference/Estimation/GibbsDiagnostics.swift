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
///
/// **Periodic poses.** For a pose parameter declared periodic (`Parameter(…, periodic: true)`)
/// the proxies are wrapped onto one period and compared with Kuiper's statistic
/// V = max(F_a − F_b) + max(F_b − F_a) (Kuiper 1960), which, unlike KS, does not depend on where
/// the circle is cut; its 1 % critical value is 2.0009·√(2/N) (``circularThreshold``).
public struct GibbsDiagnostics: Sendable, Equatable, Codable {
    /// The pose parameters' names, one per series.
    public var poseNames: [String]
    /// Whether each pose parameter is periodic (its statistics are Kuiper's): `[poseDimension]`.
    public var periodic: [Bool]
    /// The number of chains N.
    public var chainCount: Int
    /// `drift[k][j]`: KS (Kuiper for a periodic pose) statistic between the proxies of iterations k + 2 and k + 1 for pose
    /// parameter j: `[iterations − 1][poseDimension]`.
    public var drift: [[Double]]
    /// The KS statistic, per pose parameter, between the last iteration's proxies and those
    /// ``window`` iterations earlier (or of the first iteration if there are fewer): `[poseDimension]`.
    public var recentDrift: [Double]
    /// The comparison window of ``recentDrift``.
    public var window: Int
    /// The threshold the warning compares a non-periodic pose's ``recentDrift`` with: 1.628·√(2/N).
    public var threshold: Double
    /// The threshold for a periodic pose's (Kuiper) ``recentDrift``: 2.0009·√(2/N).
    public var circularThreshold: Double { Self.circularCriticalValue(chains: chainCount) }
    /// The fraction of θ draws inside the prior's support (draws outside it are redrawn), or 1 if
    /// no support was enforced.
    public var acceptanceRate: Double

    /// Creates diagnostics (the sampler fills them).
    /// - Parameters:
    ///   - poseNames: The pose parameters' names.
    ///   - periodic: Whether each pose is periodic (default: none; missing entries count as `false`).
    ///   - chainCount: N.
    ///   - drift: `[iterations − 1][poseDimension]`.
    ///   - recentDrift: `[poseDimension]`.
    ///   - window: The window of `recentDrift`.
    ///   - acceptanceRate: The fraction of in-support draws.
    public init(poseNames: [String], periodic: [Bool] = [], chainCount: Int, drift: [[Double]], recentDrift: [Double], window: Int,
                acceptanceRate: Double = 1) {
        self.poseNames = poseNames
        self.periodic = poseNames.indices.map { periodic.indices.contains($0) && periodic[$0] }
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

    /// Whether pose parameter `j` is periodic (`false` outside the pose).
    func isPeriodic(_ j: Int) -> Bool { periodic.indices.contains(j) && periodic[j] }

    /// The settling threshold of pose parameter `j`: ``circularThreshold`` if it is periodic,
    /// else ``threshold``.
    /// - Parameter j: A pose index.
    /// - Returns: The threshold its ``recentDrift`` is compared with.
    public func threshold(forPose j: Int) -> Double { isPeriodic(j) ? circularThreshold : threshold }

    /// Whether every pose parameter's ``recentDrift`` is at most its threshold.
    public var hasSettled: Bool { recentDrift.indices.allSatisfy { recentDrift[$0] <= threshold(forPose: $0) } }

    /// A warning naming the unsettled pose parameters, or `nil` when the chains settled.
    public var warning: String? {
        guard !hasSettled else { return nil }
        let moving = recentDrift.indices.filter { recentDrift[$0] > threshold(forPose: $0) }.map { j in
            "\(j < poseNames.count ? poseNames[j] : "pose \(j)") (\(isPeriodic(j) ? "Kuiper" : "KS") \(Self.format(recentDrift[j])) > \(Self.format(threshold(forPose: j))))"
        }
        return "GNPE Gibbs chains have not settled after \(iterations) iterations: the pose proxies of "
            + moving.joined(separator: ", ") + " still moved over the last \(window) iterations "
            + "(thresholds for \(chainCount) chains); run more iterations or widen the kernel"
    }

    /// The 1 % critical value of the two-sample KS test for N against N samples: 1.628·√(2/N).
    public static func criticalValue(chains: Int) -> Double {
        1.628 * (2 / Double(max(chains, 1))).squareRoot()
    }

    /// The 1 % critical value of the two-sample Kuiper test for N against N samples: λ·√(2/N) with
    /// λ = 2.0009 solving 2 Σⱼ (4j²λ² − 1) e^{−2j²λ²} = 0.01 (Kuiper's asymptotic law).
    public static func circularCriticalValue(chains: Int) -> Double {
        2.000918 * (2 / Double(max(chains, 1))).squareRoot()
    }

    /// The two-sample Kuiper statistic V = sup_t (F_a(t) − F_b(t)) + sup_t (F_b(t) − F_a(t)).
    ///
    /// For values on a circle (wrapped onto one period), V does not depend on where the circle
    /// is cut, so it suits periodic parameters (Kuiper, "Tests concerning random points on a
    /// circle", Proc. KNAW A 63, 1960).
    /// - Parameters:
    ///   - a: The first sample.
    ///   - b: The second sample.
    /// - Returns: A value in [0, 1]; 0 if either sample is empty.
    /// - Complexity: O((n + m) log(n + m)).
    public static func kuiper(_ a: [Double], _ b: [Double]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let x = a.sorted(), y = b.sorted()
        let n = Double(x.count), m = Double(y.count)
        var i = 0, j = 0, above = 0.0, below = 0.0
        while i < x.count && j < y.count {
            let t = min(x[i], y[j])
            while i < x.count && x[i] <= t { i += 1 }
            while j < y.count && y[j] <= t { j += 1 }
            let d = Double(i) / n - Double(j) / m
            above = max(above, d)
            below = max(below, -d)
        }
        return above + below
    }

    /// The drift statistic of two samples of one pose parameter: Kuiper's on the values wrapped
    /// onto `[0, period)` for a periodic parameter, else Kolmogorov–Smirnov's.
    /// - Parameters:
    ///   - a: The first sample.
    ///   - b: The second sample.
    ///   - period: The parameter's period, or `nil` if it is not periodic.
    /// - Returns: A value in [0, 1].
    public static func driftStatistic(_ a: [Double], _ b: [Double], period: Double?) -> Double {
        guard let period, period.isFinite, period > 0 else { return kolmogorovSmirnov(a, b) }
        let wrap = { (x: Double) -> Double in
            let r = x - period * (x / period).rounded(.down)
            return r >= period ? 0 : r
        }
        return kuiper(a.map(wrap), b.map(wrap))
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

    enum CodingKeys: String, CodingKey {
        case poseNames, periodic, chainCount, drift, recentDrift, window, threshold, acceptanceRate
    }

    /// Decodes diagnostics; those saved before periodic poses existed decode with none periodic.
    /// - Throws: `DecodingError`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        poseNames = try c.decode([String].self, forKey: .poseNames)
        periodic = try c.decodeIfPresent([Bool].self, forKey: .periodic) ?? poseNames.map { _ in false }
        chainCount = try c.decode(Int.self, forKey: .chainCount)
        drift = try c.decode([[Double]].self, forKey: .drift)
        recentDrift = try c.decode([Double].self, forKey: .recentDrift)
        window = try c.decode(Int.self, forKey: .window)
        threshold = try c.decode(Double.self, forKey: .threshold)
        acceptanceRate = try c.decode(Double.self, forKey: .acceptanceRate)
    }

    static func format(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
