import Foundation
import TensorCore

/// The GNPE Gibbs sampler: many chains in parallel, one per wanted sample, alternating
///
///     ĝ = g(θ)·ε, ε ~ κ            (blur the current pose into a proxy)
///     θ ~ q(θ | T(ĝ⁻¹)x, ĝ)        (sample the conditional given the standardised data)
///
/// and returning each chain's last θ (Dax et al., "Group equivariant neural posterior
/// estimation", ICLR 2022, arXiv 2111.13139, §3.2, Algorithm 1). The pose g(θ) is read from θ
/// or, for a ``ComputedPose``, computed from it (and checked).
///
/// **What the chain targets.** Both steps are exact conditionals of the joint law
/// p(θ, ĝ | x) = p(θ | x)·κ(g(θ)⁻¹ĝ): ĝ | θ is the kernel around g(θ), and
/// θ | x, ĝ ∝ p(θ | x)·κ(g(θ)⁻¹ĝ) is what the GNPE flow learns. When q is exact the stationary
/// law is that joint, and its θ-marginal is the posterior p(θ | x). A narrow kernel makes
/// successive poses strongly correlated (slow mixing); a wide one leaves the flow more work.
///
/// Draws outside the prior's support (when a prior is given) are redrawn, as the exact
/// conditional has no mass there — after periodic parameters are wrapped onto their prior's
/// interval (a phase drawn at 2π + 0.02 is the point 0.02, not a draw outside the prior). A chain
/// that finds no draw inside after ``maximumRedraws`` rounds keeps its previous θ; at the first
/// iteration, where it has none, it takes the draw of a randomly chosen chain that found one, so
/// no sample lies outside the prior. Per-iteration drift of the proxies is returned as
/// ``GibbsDiagnostics``. The user's interrupt is polled every iteration.
///
/// ```swift
/// let start = try GibbsSampler.initialPoses(fromPrior: model.prior, equivariance: eq, count: 10_000, using: &rng)
/// let result = try GibbsSampler(iterations: 30).sample(
///     observation: x, equivariance: eq, conditional: conditional, initialPoses: start,
///     prior: model.prior, using: &rng)
/// result.samples            // [10_000, parameterCount]
/// result.diagnostics.warning
/// ```
public struct GibbsSampler: Sendable {
    /// The number of Gibbs iterations (default 30, as DINGO's GNPE sampler).
    public var iterations: Int
    /// The window of ``GibbsDiagnostics/recentDrift`` (default 5 iterations).
    public var driftWindow: Int
    /// Rounds of redrawing out-of-support draws per iteration (default 100).
    public var maximumRedraws: Int
    /// The lowest acceptable fraction of draws inside the prior's support (default 1e-3).
    public var minimumAcceptanceRate: Double

    /// The outcome of a run.
    public struct Result: Sendable {
        /// Each chain's last θ: `[chains, parameterCount]`.
        public var samples: SampleMatrix
        /// Each chain's last proxy ĝ: `[chains, poseDimension]`.
        public var proxies: SampleMatrix
        /// The per-iteration drift of the proxies and the warning.
        public var diagnostics: GibbsDiagnostics
    }

    /// Creates a sampler.
    /// - Parameters:
    ///   - iterations: Gibbs iterations (default 30).
    ///   - driftWindow: Window of the settling check (default 5).
    ///   - maximumRedraws: Redraw rounds for out-of-support draws (default 100).
    ///   - minimumAcceptanceRate: Below this fraction of in-support draws the run throws (default 1e-3).
    public init(iterations: Int = 30, driftWindow: Int = 5, maximumRedraws: Int = 100, minimumAcceptanceRate: Double = 1e-3) {
        self.iterations = iterations
        self.driftWindow = driftWindow
        self.maximumRedraws = maximumRedraws
        self.minimumAcceptanceRate = minimumAcceptanceRate
    }

    /// Runs one chain per row of `initialPoses`.
    /// - Parameters:
    ///   - observation: x: `[outputLength]`.
    ///   - equivariance: The model's equivariance (group, kernel, pose positions).
    ///   - conditional: The θ-step, q(θ | T(ĝ⁻¹)x, ĝ).
    ///   - initialPoses: The chains' starting poses: `[chains, poseDimension]`.
    ///   - prior: If given, draws outside its support are redrawn.
    ///   - poseNames: Names for the diagnostics (default "pose 0", "pose 1", …).
    ///   - posePeriods: The period of each pose parameter, `nil` for a non-periodic one:
    ///     `[poseDimension]`; periodic poses' drift is measured with Kuiper's statistic. By default
    ///     taken from `prior` (its periodic parameters; a computed pose is never periodic), else none.
    ///   - rng: The random source.
    ///   - progress: Called after every iteration with its number (1-based) and the drift of each
    ///     pose parameter (empty after the first iteration).
    /// - Returns: The samples, the last proxies and the diagnostics.
    /// - Throws: ``GNPEError/noChains``, ``GNPEError/invalidIterations(_:)``,
    ///   ``GNPEError/initialPoseShape(expected:found:)``, ``GNPEError/invalidObservation(_:)``,
    ///   ``GNPEError/lowAcceptance(rate:draws:)``, the conditional's errors, or `InterruptedError`
    ///   whose `partialResult` is a ``Result`` holding the chains' state after the last complete
    ///   iteration (θ, proxies, diagnostics so far; `nil` if no iteration completed), from which
    ///   a new run can continue (`initialPoses: try equivariance.poses(of: partial.samples)`); for a
    ///   computed pose, ``ModelError/computedPoseLength(pose:found:theta:)`` or
    ///   ``ModelError/nonFinitePose(name:value:theta:)`` naming a drawn θ.
    public func sample(
        observation: [Double], equivariance: ResolvedEquivariance, conditional: some GibbsConditional,
        initialPoses: SampleMatrix, prior: JointPrior? = nil, poseNames: [String]? = nil, posePeriods: [Double?]? = nil,
        using rng: inout RandomSource, progress: ((_ iteration: Int, _ drift: [Double]) -> Void)? = nil
    ) throws -> Result {
        let chains = initialPoses.rows
        let d = equivariance.group.dimension
        guard chains > 0 else { throw GNPEError.noChains }
        guard iterations >= 1 else { throw GNPEError.invalidIterations(iterations) }
        guard initialPoses.columns == d else { throw GNPEError.initialPoseShape(expected: d, found: initialPoses.columns) }
        guard !observation.isEmpty else { throw GNPEError.invalidObservation("it is empty") }
        if let bad = InputValidation.firstUnrepresentable(in: observation) {
            throw GNPEError.invalidObservation(
                "value \(observation[bad]) at index \(bad) is not finite" + (observation[bad].isFinite ? " in Float32" : ""))
        }
        if let (row, column, value) = InputValidation.firstNonFinite(in: initialPoses) {
            throw GNPEError.invalidOption("initial pose [\(row), \(column)] is \(value); starting poses must be finite")
        }
        let names = poseNames ?? (0 ..< d).map { "pose \($0)" }
        let priorPeriods = prior.map { equivariance.posePeriods(in: $0) }
        let periods: [Double?] = (0 ..< d).map { j in
            if let posePeriods { return j < posePeriods.count ? posePeriods[j] : nil }
            guard let priorPeriods, j < priorPeriods.count else { return nil }
            return priorPeriods[j]
        }
        let periodicPoses = periods.map { $0 != nil }
        // Periodic parameters of each draw onto the prior's interval (a draw of the wrong width
        // is left for the conditional's own check).
        func wrapped(_ draw: SampleMatrix) -> SampleMatrix {
            guard let prior, let w = try? prior.wrappingPeriodicParameters(of: draw) else { return draw }
            return w
        }
        var poses = initialPoses
        var theta: SampleMatrix? = nil
        var proxies = SampleMatrix(rows: chains, columns: d)
        var previousProxies: SampleMatrix? = nil
        var history: [SampleMatrix] = []
        var drift: [[Double]] = []
        var drawn = 0, accepted = 0
        // The state after the last complete iteration, attached to an interruption.
        func partial() -> Result? {
            guard let theta else { return nil }
            return Result(samples: theta, proxies: history.last ?? proxies, diagnostics: GibbsDiagnostics(
                poseNames: names, periodic: periodicPoses, chainCount: chains, drift: drift,
                recentDrift: drift.last ?? Array(repeating: 0, count: d),
                window: 1, acceptanceRate: Double(accepted) / Double(max(drawn, 1))))
        }
        do {
            for iteration in 1 ... iterations {
                try Interruption.checkpoint("Gibbs sampling, iteration \(iteration) of \(iterations)")
                // ĝ = g(θ)·ε, one stream per chain so the result does not depend on threads.
                let base = RandomSource(seed: rng.next())
                for i in 0 ..< chains {
                    var local = base.stream(i)
                    proxies.replaceRow(i, with: equivariance.proxy(forPose: poses.row(i), using: &local))
                }
                let standardized = ResolvedEquivariance.mapRows(chains, columns: observation.count) { i in
                    equivariance.standardising(observation, proxy: proxies.row(i))
                }
                var next = try wrapped(conditional.sampleParameters(standardizedData: standardized, proxies: proxies, using: &rng))
                drawn += chains
                if let prior {
                    var pending = (0 ..< chains).filter { !prior.contains(next.row($0)) }
                    accepted += chains - pending.count
                    var round = 0
                    while !pending.isEmpty && round < maximumRedraws {
                        round += 1
                        try Interruption.checkpoint("Gibbs sampling, iteration \(iteration), redrawing outside the prior")
                        let redraw = try wrapped(conditional.sampleParameters(
                            standardizedData: standardized.selecting(rows: pending), proxies: proxies.selecting(rows: pending),
                            using: &rng))
                        drawn += pending.count
                        var still: [Int] = []
                        for (k, i) in pending.enumerated() {
                            let row = redraw.row(k)
                            if prior.contains(row) {
                                next.replaceRow(i, with: row)
                                accepted += 1
                            } else {
                                still.append(i)
                            }
                        }
                        pending = still
                    }
                    let rate = Double(accepted) / Double(drawn)
                    if rate < minimumAcceptanceRate { throw GNPEError.lowAcceptance(rate: rate, draws: drawn) }
                    if let theta {
                        for i in pending { next.replaceRow(i, with: theta.row(i)) }  // stuck chains stay put
                    } else if !pending.isEmpty {
                        // A chain stuck at its first draw has no earlier state inside the prior:
                        // it takes the draw of a chain that found one (the acceptance check above
                        // leaves at least one).
                        let stuck = Set(pending)
                        let inside = (0 ..< chains).filter { !stuck.contains($0) }
                        for i in pending { next.replaceRow(i, with: next.row(inside[Int(rng.next() % UInt64(inside.count))])) }
                    }
                } else {
                    accepted += chains
                }
                theta = next
                poses = try equivariance.poses(of: next)
                var step: [Double] = []
                if let previousProxies {
                    step = (0 ..< d).map { j in
                        GibbsDiagnostics.driftStatistic(proxies.column(j), previousProxies.column(j), period: periods[j])
                    }
                    drift.append(step)
                }
                history.append(proxies)
                if history.count > driftWindow + 1 { history.removeFirst() }
                previousProxies = proxies
                progress?(iteration, step)
            }
        } catch let error as InterruptedError {
            throw error.keeping(partial())
        }
        let window = max(1, min(driftWindow, history.count - 1))
        let recent: [Double] = history.count < 2
            ? Array(repeating: 0, count: d)
            : (0 ..< d).map { j in
                GibbsDiagnostics.driftStatistic(
                    history[history.count - 1].column(j), history[history.count - 1 - window].column(j), period: periods[j])
            }
        let diagnostics = GibbsDiagnostics(
            poseNames: names, periodic: periodicPoses, chainCount: chains, drift: drift, recentDrift: recent, window: window,
            acceptanceRate: Double(accepted) / Double(max(drawn, 1)))
        return Result(samples: theta!, proxies: proxies, diagnostics: diagnostics)  // iterations ≥ 1 sets theta
    }
}

extension GibbsSampler {
    /// Starting poses of the prior: each pose parameter drawn from its prior, or, for a computed
    /// pose, g(θ) for θ drawn from the prior.
    /// - Parameters:
    ///   - prior: The model's prior.
    ///   - equivariance: Where the pose sits in θ, or how it is computed.
    ///   - count: The number of chains.
    ///   - rng: The random source.
    /// - Returns: `[count, poseDimension]`.
    /// - Throws: ``GNPEError/invalidCount(_:)`` for a negative count; for a computed pose,
    ///   ``ModelError/computedPoseLength(pose:found:theta:)`` or ``ModelError/nonFinitePose(name:value:theta:)``.
    public static func initialPoses(fromPrior prior: JointPrior, equivariance: ResolvedEquivariance, count: Int,
                                    using rng: inout RandomSource) throws -> SampleMatrix {
        guard count >= 0 else { throw GNPEError.invalidCount(count) }
        if equivariance.hasComputedPose {
            var m = SampleMatrix(rows: count, columns: equivariance.group.dimension)
            for i in 0 ..< count { m.replaceRow(i, with: try equivariance.checkedPose(of: prior.sample(using: &rng))) }
            return m
        }
        var m = SampleMatrix(rows: count, columns: equivariance.poseIndices.count)
        for i in 0 ..< count {
            for (j, p) in equivariance.poseIndices.enumerated() { m[i, j] = prior.distributions[p].sample(using: &rng) }
        }
        return m
    }

    /// The same starting pose for every chain (e.g. a user's point estimate).
    /// - Parameters:
    ///   - pose: `[poseDimension]`.
    ///   - count: The number of chains.
    /// - Returns: `[count, poseDimension]`.
    /// - Throws: ``GNPEError/invalidCount(_:)`` for a negative count; ``GNPEError/invalidOption(_:)`` naming
    ///   the first NaN or ±∞ in `pose`.
    public static func initialPoses(fixed pose: [Double], count: Int) throws -> SampleMatrix {
        guard count >= 0 else { throw GNPEError.invalidCount(count) }
        if let j = pose.firstIndex(where: { !$0.isFinite }) {
            throw GNPEError.invalidOption("the fixed starting pose has \(pose[j]) at index \(j); it must be finite")
        }
        var m = SampleMatrix(rows: count, columns: pose.count)
        for i in 0 ..< count { m.replaceRow(i, with: pose) }
        return m
    }

    /// Starting poses drawn with replacement from given pose samples (e.g. another method's
    /// posterior samples of the pose).
    /// - Parameters:
    ///   - samples: `[n, poseDimension]`, n ≥ 1.
    ///   - count: The number of chains.
    ///   - rng: The random source.
    /// - Returns: `[count, poseDimension]`.
    /// - Throws: ``GNPEError/invalidOption(_:)`` if `samples` is empty.
    public static func initialPoses(resampling samples: SampleMatrix, count: Int, using rng: inout RandomSource) throws -> SampleMatrix {
        guard samples.rows > 0 else { throw GNPEError.invalidOption("no pose samples to start the chains from") }
        guard count >= 0 else { throw GNPEError.invalidCount(count) }
        let rows = (0 ..< count).map { _ in Int(rng.next() % UInt64(samples.rows)) }
        return samples.selecting(rows: rows)
    }
}
