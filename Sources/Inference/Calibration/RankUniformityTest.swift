import RealModule

/// A test of simulation-based-calibration ranks against the discrete uniform law on
/// `0 ... rankCount`: Kolmogorov–Smirnov's for an ordinary parameter, Kuiper's for a periodic
/// one, with an asymptotic p-value.
///
/// For a calibrated posterior the rank of the truth among `rankCount` posterior samples is
/// uniform on `0 ... rankCount` (Talts et al., arXiv 1804.06788, theorem 1). The statistic
/// compares the ranks' empirical CDF with that law's CDF `(k + 1)/(rankCount + 1)`; it is
/// computed with ``GibbsDiagnostics/kolmogorovSmirnov(_:_:)`` and ``GibbsDiagnostics/kuiper(_:_:)``
/// against the grid `0, 1, …, rankCount`, whose empirical CDF is exactly that law's.
///
/// **Periodic parameters.** The rank of a periodic parameter depends on where its circle is cut
/// (the prior's lower bound); Kuiper's V = D⁺ + D⁻ does not (Kuiper 1960), so it tests
/// uniformity on the circle.
///
/// **p-values.** Kolmogorov's asymptotic law Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²} and Kuiper's
/// Q_K(λ) = 2 Σ_{j≥1} (4j²λ² − 1) e^{−2j²λ²}, with Stephens' finite-n corrections
/// λ = (√n + 0.12 + 0.11/√n) D and λ = (√n + 0.155 + 0.24/√n) V (M. A. Stephens, "Use of the
/// Kolmogorov–Smirnov, Cramér–von Mises and related statistics without extensive tables",
/// JRSS B 32, 1970). Against a discrete law the test is conservative (p-values a little too
/// large), negligibly so for 100 or more ranks. Written by hand: no maintained Swift package
/// provides these distributions.
public struct RankUniformityTest: Sendable, Equatable {
    /// Which statistic was used.
    public enum Statistic: String, Sendable, Equatable {
        /// sup |F_n − F| (an ordinary parameter).
        case kolmogorovSmirnov = "KS"
        /// sup (F_n − F) + sup (F − F_n) (a periodic parameter).
        case kuiper = "Kuiper"
    }

    /// The statistic used.
    public let kind: Statistic
    /// Its value, in [0, 1].
    public let statistic: Double
    /// The asymptotic p-value, in [0, 1]: small when the ranks are not uniform.
    public let pValue: Double
    /// The number of ranks n.
    public let sampleSize: Int

    /// Tests ranks for uniformity on `0 ... rankCount`.
    /// - Parameters:
    ///   - ranks: `[n]` ranks, each in `0 ... rankCount`.
    ///   - rankCount: The number of posterior samples each rank was taken among (≥ 1).
    ///   - periodic: Whether to use Kuiper's statistic (for a periodic parameter).
    /// - Throws: ``CalibrationError/invalidArgument(_:)`` for no ranks, a `rankCount` below 1 or
    ///   a rank outside `0 ... rankCount`.
    public init(ranks: [Int], rankCount: Int, periodic: Bool) throws {
        guard !ranks.isEmpty else { throw CalibrationError.invalidArgument("a uniformity test needs at least one rank") }
        guard rankCount >= 1 else { throw CalibrationError.invalidArgument("rankCount must be at least 1, got \(rankCount)") }
        if let bad = ranks.first(where: { $0 < 0 || $0 > rankCount }) {
            throw CalibrationError.invalidArgument("rank \(bad) lies outside 0...\(rankCount)")
        }
        let values = ranks.map(Double.init)
        let grid = (0 ... rankCount).map(Double.init)
        kind = periodic ? .kuiper : .kolmogorovSmirnov
        statistic = periodic ? GibbsDiagnostics.kuiper(values, grid) : GibbsDiagnostics.kolmogorovSmirnov(values, grid)
        sampleSize = ranks.count
        pValue = periodic
            ? Self.kuiperPValue(statistic: statistic, sampleSize: ranks.count)
            : Self.kolmogorovSmirnovPValue(statistic: statistic, sampleSize: ranks.count)
    }

    /// The asymptotic p-value of a one-sample Kolmogorov–Smirnov statistic D for n values.
    /// - Parameters:
    ///   - statistic: D in [0, 1].
    ///   - sampleSize: n ≥ 1.
    /// - Returns: P(D_n ≥ statistic) under the null, in [0, 1].
    public static func kolmogorovSmirnovPValue(statistic: Double, sampleSize: Int) -> Double {
        let root = Double(max(sampleSize, 1)).squareRoot()
        let lambda = (root + 0.12 + 0.11 / root) * statistic
        guard lambda.isFinite else { return statistic.isNaN ? .nan : 0 }
        guard lambda > 0 else { return 1 }
        var sum = 0.0
        if lambda < 1.18 {
            // Jacobi's dual series, fast for small λ: 1 − (√(2π)/λ) Σ e^{−(2j−1)²π²/(8λ²)}.
            for j in 1 ... 20 {
                let odd = Double(2 * j - 1)
                sum += Double.exp(-odd * odd * Double.pi * Double.pi / (8 * lambda * lambda))
            }
            return clamp(1 - (2 * Double.pi).squareRoot() / lambda * sum)
        }
        for j in 1 ... 100 {
            let term = Double.exp(-2 * Double(j * j) * lambda * lambda)
            sum += (j % 2 == 1 ? 1 : -1) * term
            if term < 1e-16 { break }
        }
        return clamp(2 * sum)
    }

    /// The asymptotic p-value of a one-sample Kuiper statistic V for n values.
    /// - Parameters:
    ///   - statistic: V in [0, 1].
    ///   - sampleSize: n ≥ 1.
    /// - Returns: P(V_n ≥ statistic) under the null, in [0, 1].
    public static func kuiperPValue(statistic: Double, sampleSize: Int) -> Double {
        let root = Double(max(sampleSize, 1)).squareRoot()
        let lambda = (root + 0.155 + 0.24 / root) * statistic
        guard lambda.isFinite else { return statistic.isNaN ? .nan : 0 }
        // The series is 1 to double precision below λ ≈ 0.4 (where it converges slowly).
        guard lambda > 0.4 else { return 1 }
        var sum = 0.0
        for j in 1 ... 100 {
            let jj = Double(j * j)
            let term = (4 * jj * lambda * lambda - 1) * Double.exp(-2 * jj * lambda * lambda)
            sum += term
            if abs(term) < 1e-16 { break }
        }
        return clamp(2 * sum)
    }

    private static func clamp(_ p: Double) -> Double { min(max(p, 0), 1) }
}
