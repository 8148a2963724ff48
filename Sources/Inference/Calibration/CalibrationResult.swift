import RealModule

/// The outcome of a simulation-based calibration: per test case and parameter, the rank of the
/// true value among the posterior samples, and what follows from the ranks — the posterior CDF
/// at the truth, P–P (coverage) curves, uniformity p-values and, for a posterior with a
/// density, the expected coverage of highest-density regions.
///
/// For a calibrated posterior every parameter's ranks are uniform on `0 ... posteriorSampleCount`,
/// its P–P curve follows the diagonal and its p-value is not small. An over-confident posterior
/// (too narrow) puts the truth in its tails: CDF values pile up near 0 and 1, the P–P curve rises
/// above the diagonal at low levels and falls below it at high ones, and highest-density regions
/// cover the truth less often than their level. An under-confident one does the opposite.
///
/// In a notebook (the GNPE module) a result shows as its P–P plot; `plot()` builds it and
/// `expectedCoveragePlot()` the highest-density one.
///
/// ```swift
/// let result = try SimulationBasedCalibration(testCases: 200, posteriorSamples: 200).run(npe)
/// result.ranks                           // [cases][parameters], each in 0...200
/// result.pValues                         // [parameters]
/// try result.coverage(parameter: 0, at: [0.05, 0.5, 0.95])
/// try result.expectedCoverage(at: [0.5, 0.9])   // NPE only
/// ```
/// Talts et al., "Validating Bayesian inference algorithms with simulation-based calibration",
/// arXiv 1804.06788 (2018); expected coverage as in Deistler et al., arXiv 2210.04815 (2022).
public struct CalibrationResult: Sendable, Equatable, CustomStringConvertible {
    /// A test case whose posterior could not be sampled.
    public struct FailedCase: Sendable, Equatable {
        /// The test case's number in the run (0-based).
        public var testCase: Int
        /// What went wrong.
        public var reason: String
    }

    /// The parameter names, in column order.
    public let parameterNames: [String]
    /// Whether each parameter is periodic (its uniformity test is Kuiper's): `[parameters]`.
    public let periodic: [Bool]
    /// The number of posterior samples L drawn per test case; ranks lie in `0 ... L`.
    public let posteriorSampleCount: Int
    /// The number of test cases the run was asked for.
    public let plannedCaseCount: Int
    /// Each kept case's number in the run (0-based, increasing): `[cases]`. Numbers are missing
    /// for invalid simulations, failed cases, and cases not reached before an interruption.
    public let caseNumbers: [Int]
    /// The true parameters θ* of the kept cases: `[cases, parameters]`.
    public let truths: SampleMatrix
    /// `ranks[i][j]`: how many of case i's L posterior samples of parameter j lie below θ*_j
    /// (ties split at random), in `0 ... L`: `[cases][parameters]`.
    public let ranks: [[Int]]
    /// For a posterior with a density, how many of case i's samples have a higher density than
    /// θ* (ties split at random), in `0 ... L`: `[cases]`; `nil` without a density.
    public let highestDensityRanks: [Int]?
    /// Simulations of the test set dropped as invalid (NaN, ±∞, or the simulator threw).
    public let droppedSimulationCount: Int
    /// Cases whose posterior sampling failed (they are not among the ranks).
    public let failedCases: [FailedCase]
    /// Whether every planned case was attempted (`false` for an interrupted run's partial result).
    public let isComplete: Bool
    /// Warnings collected during the run (unsettled Gibbs chains, dropped simulations, failures).
    public let warnings: [String]
    /// What was calibrated, for titles and summaries ("NPE", "GNPE"), or `nil`.
    public var label: String?

    /// Creates a result from ranks (a calibration run fills it).
    /// - Parameters:
    ///   - parameterNames: `[parameters]` names.
    ///   - periodic: `[parameters]` flags (missing entries count as `false`).
    ///   - posteriorSampleCount: L ≥ 1.
    ///   - plannedCaseCount: The number of cases asked for.
    ///   - caseNumbers: `[cases]` case numbers.
    ///   - truths: `[cases, parameters]`.
    ///   - ranks: `[cases][parameters]`, each in `0 ... L`.
    ///   - highestDensityRanks: `[cases]` in `0 ... L`, or `nil`.
    ///   - droppedSimulationCount: Invalid simulations dropped.
    ///   - failedCases: Cases whose sampling failed.
    ///   - isComplete: Whether the run finished.
    ///   - warnings: Warnings.
    /// - Throws: ``CalibrationError/invalidArgument(_:)`` if the shapes disagree or a rank lies
    ///   outside `0 ... L`.
    public init(parameterNames: [String], periodic: [Bool], posteriorSampleCount: Int, plannedCaseCount: Int,
                caseNumbers: [Int], truths: SampleMatrix, ranks: [[Int]], highestDensityRanks: [Int]?,
                droppedSimulationCount: Int = 0, failedCases: [FailedCase] = [], isComplete: Bool = true,
                warnings: [String] = []) throws {
        let p = parameterNames.count, n = ranks.count
        guard posteriorSampleCount >= 1 else {
            throw CalibrationError.invalidArgument("posteriorSampleCount must be at least 1, got \(posteriorSampleCount)")
        }
        guard caseNumbers.count == n, truths.rows == n, truths.columns == p, ranks.allSatisfy({ $0.count == p }),
              highestDensityRanks.map({ $0.count == n }) ?? true else {
            throw CalibrationError.invalidArgument(
                "\(n) rank rows, \(caseNumbers.count) case numbers, truths \(truths.rows) × \(truths.columns) and "
                    + "\(highestDensityRanks.map { "\($0.count)" } ?? "no") highest-density ranks for \(p) parameters do not fit together")
        }
        let all = ranks.joined() + (highestDensityRanks ?? [])
        if let bad = all.first(where: { $0 < 0 || $0 > posteriorSampleCount }) {
            throw CalibrationError.invalidArgument("rank \(bad) lies outside 0...\(posteriorSampleCount)")
        }
        self.parameterNames = parameterNames
        self.periodic = parameterNames.indices.map { periodic.indices.contains($0) && periodic[$0] }
        self.posteriorSampleCount = posteriorSampleCount
        self.plannedCaseCount = plannedCaseCount
        self.caseNumbers = caseNumbers
        self.truths = truths
        self.ranks = ranks
        self.highestDensityRanks = highestDensityRanks
        self.droppedSimulationCount = droppedSimulationCount
        self.failedCases = failedCases
        self.isComplete = isComplete
        self.warnings = warnings
    }

    /// The number of kept test cases.
    public var caseCount: Int { ranks.count }

    /// The posterior CDF at the truth estimated from the samples, rank / L, for each case and
    /// parameter: `[cases][parameters]`, each in [0, 1]. These are the `quantiles` a
    /// `CoveragePlot` draws (its P–P curves are their empirical CDFs).
    public var cumulativeProbabilities: [[Double]] {
        let l = Double(posteriorSampleCount)
        return ranks.map { row in row.map { Double($0) / l } }
    }

    /// For a posterior with a density, the level of the smallest highest-density region that
    /// contains the truth, estimated as the fraction of samples denser than θ*: `[cases]` in
    /// [0, 1]; `nil` without a density.
    public var highestDensityLevels: [Double]? {
        let l = Double(posteriorSampleCount)
        return highestDensityRanks?.map { Double($0) / l }
    }

    /// One uniformity test per parameter (Kuiper's for a periodic one): `[parameters]`; empty
    /// when no case was kept.
    public var uniformityTests: [RankUniformityTest] {
        guard caseCount > 0 else { return [] }
        return parameterNames.indices.compactMap { j in
            try? RankUniformityTest(ranks: ranks.map { $0[j] }, rankCount: posteriorSampleCount, periodic: periodic[j])
        }
    }

    /// Each parameter's uniformity p-value: `[parameters]`; empty when no case was kept.
    public var pValues: [Double] { uniformityTests.map(\.pValue) }

    /// The Kolmogorov–Smirnov test of the highest-density ranks, or `nil` without a density or cases.
    public var highestDensityUniformityTest: RankUniformityTest? {
        guard let highestDensityRanks, !highestDensityRanks.isEmpty else { return nil }
        return try? RankUniformityTest(ranks: highestDensityRanks, rankCount: posteriorSampleCount, periodic: false)
    }

    /// The P–P curve of parameter `j`: for each credibility level p, the fraction of cases whose
    /// posterior CDF at the truth (``cumulativeProbabilities``) is at most p. A calibrated
    /// posterior gives ≈ p.
    /// - Parameters:
    ///   - j: The parameter index.
    ///   - levels: Levels p in [0, 1].
    /// - Returns: `[levels]` fractions in [0, 1].
    /// - Throws: ``CalibrationError/invalidArgument(_:)`` for an index out of range, a level
    ///   outside [0, 1] (or NaN), or a result without cases.
    public func coverage(parameter j: Int, at levels: [Double]) throws -> [Double] {
        guard parameterNames.indices.contains(j) else {
            throw CalibrationError.invalidArgument("parameter index \(j) is outside 0..<\(parameterNames.count)")
        }
        return try Self.empiricalCDF(of: cumulativeProbabilities.map { $0[j] }, at: levels)
    }

    /// The expected coverage of highest-density regions: for each level p, the fraction of cases
    /// whose truth lies inside the posterior's highest-density region of mass p (its
    /// ``highestDensityLevels`` is at most p). A calibrated posterior gives ≈ p; an over-confident
    /// one less, an under-confident one more.
    /// - Parameter levels: Levels p in [0, 1].
    /// - Returns: `[levels]` fractions in [0, 1].
    /// - Throws: ``CalibrationError/densityUnavailable(_:)`` if the posterior had no density
    ///   (GNPE); ``CalibrationError/invalidArgument(_:)`` for a level outside [0, 1] or no cases.
    public func expectedCoverage(at levels: [Double]) throws -> [Double] {
        guard let levelsOfTruth = highestDensityLevels else {
            throw CalibrationError.densityUnavailable(
                "this calibration's posterior gave no density (GNPE gives samples only), so there are no highest-density "
                    + "regions; use the per-parameter coverage(parameter:at:) instead")
        }
        return try Self.empiricalCDF(of: levelsOfTruth, at: levels)
    }

    /// The fraction of `values` at most each level.
    static func empiricalCDF(of values: [Double], at levels: [Double]) throws -> [Double] {
        guard !values.isEmpty else { throw CalibrationError.invalidArgument("the result holds no test cases") }
        if let bad = levels.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw CalibrationError.invalidArgument("coverage levels must lie in [0, 1], got \(bad)")
        }
        let sorted = values.sorted()
        return levels.map { level in
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] <= level { low = mid + 1 } else { high = mid }
            }
            return Double(low) / Double(sorted.count)
        }
    }

    /// A summary: cases, samples, and per parameter the test statistic and p-value.
    public var description: String {
        var text = "Simulation-based calibration" + (label.map { " of \($0)" } ?? "") + ": \(caseCount) test case" + (caseCount == 1 ? "" : "s")
            + (isComplete ? "" : " (interrupted after \(caseCount) of \(plannedCaseCount))")
            + ", \(posteriorSampleCount) posterior samples each"
        for (j, test) in uniformityTests.enumerated() {
            text += "\n  \(parameterNames[j]): \(test.kind.rawValue) \(Self.format(test.statistic)), p = \(Self.format(test.pValue))"
        }
        if let test = highestDensityUniformityTest {
            text += "\n  highest-density levels: KS \(Self.format(test.statistic)), p = \(Self.format(test.pValue))"
        }
        for warning in warnings { text += "\nwarning: " + warning }
        return text
    }

    /// Three significant digits (fixed formatting, so text output is reproducible).
    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        if v != 0 && abs(v) < 0.001 {
            let exponent = Int(Double.log10(v.magnitude).rounded(.down))
            let mantissa = v / pow10(exponent)
            return "\(((mantissa * 100).rounded()) / 100)e\(exponent)"
        }
        return "\((v * 1000).rounded() / 1000)"
    }

    private static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0 ..< abs(e) { r *= 10 }
        return e < 0 ? 1 / r : r
    }
}
