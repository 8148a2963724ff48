import Foundation
import Testing
import Flows
import TensorCore
@testable import Inference

/// A toy model with a pose computed from θ, in the shape of the gravitational-wave case
/// (Dax et al., ICLR 2022, §5): two channels of a sampled signal whose arrival times are
/// t_I = t₀ + d·s_I (s = (−½, ½)), the group ℝ² shifting each channel by its own time, and the
/// common shift an exact symmetry that moves t₀.
///
/// The signal is a pulse sin(ωτ)·sin²(πτ/L) for 0 ≤ τ = t − t_I ≤ L = 2, zero elsewhere, so
/// that it stays inside the window [−3, 3.9] for every shift the tests use: shifting it is then
/// exact (no edge effect).
enum TwoChannelPulse {
    /// 70 sample times −3, −2.9, …, 3.9.
    static let times: [Double] = (0 ..< 70).map { -3 + 0.1 * Double($0) }
    /// s_I of the two channels.
    static let offsets = [-0.5, 0.5]
    static let sigma = 0.1
    static let pulseLength = 2.0

    /// (t_A, t_B) = t₀ + d·s_I; θ = (ω, t₀, d).
    static func arrivalTimes(_ θ: [Double]) -> [Double] { offsets.map { θ[1] + θ[2] * $0 } }

    /// The noise-free data: `[2 × 70]`.
    static func signal(_ θ: [Double]) -> [Double] {
        arrivalTimes(θ).flatMap { onset in
            times.map { t in
                let tau = t - onset
                guard tau >= 0, tau <= pulseLength else { return 0.0 }
                let envelope = Foundation.sin(Double.pi * tau / pulseLength)
                return Foundation.sin(θ[0] * tau) * envelope * envelope
            }
        }
    }

    static var arrivals: ComputedPose { ComputedPose(["t_A", "t_B"]) { θ in arrivalTimes(θ) } }

    static func model(pose: ComputedPose = arrivals, exactPart: Equivariance.ExactPart = .commonTranslation(moving: "t₀"),
                      group: any PoseGroup = TimeTranslation(grid: times, channels: 2),
                      kernel: BlurKernel = .uniform(width: 0.1)) throws -> SimulationModel {
        try SimulationModel {
            Parameter("ω", Uniform(4, 8))
            Parameter("t₀", Uniform(-1, 1))
            Parameter("d", Uniform(-0.6, 0.6))
            Simulator(outputLength: 140) { θ, _ in signal(θ) }
            NoiseModel.gaussian(sigma: sigma)
            Equivariance(pose: pose, group: group, kernel: kernel, exactPart: exactPart)
        }
    }

    static func observation(_ θ: [Double], seed: UInt64) -> [Double] {
        var rng = RandomSource(seed: seed)
        return signal(θ).map { $0 + sigma * rng.nextNormal() }
    }
}

@Suite struct ComputedPoseTests {
    /// A GNPE trained on the two-channel pulse (small budget), shared by the tests that sample.
    static func trainedEstimator() throws -> GNPEEstimator {
        let gnpe = try GNPEEstimator(model: TwoChannelPulse.model())
        gnpe.settings = TrainingSettings(batchSize: 100, learningRate: 1e-3, maximumEpochs: 20, seed: 2)
        gnpe.architecture.transformCount = 3
        gnpe.architecture.hiddenFeatures = 32
        try gnpe.appendSimulations(count: 2000, seed: 1)
        try gnpe.train()
        return gnpe
    }

    nonisolated(unsafe) static let shared = Result { try trainedEstimator() }

    /// A JSON section of an archive as text ("" if it is missing or not JSON).
    static func json(_ archive: EstimatorArchive, _ name: String) -> String {
        guard case let .json(data)? = archive[name] else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Shifting every channel's data by c and t₀ by c leaves the standardised data, θ relative to
    /// the proxy and the flow's context proxies unchanged (to float precision): the common
    /// translation is exact. Without an exact part the flow models θ itself and sees both proxies.
    @Test(arguments: [0.3, -0.7, 0.5])
    func commonShiftIsExact(shift c: Double) throws {
        let model = try TwoChannelPulse.model()
        let eq = model.equivariances[0]
        #expect(eq.hasComputedPose && eq.poseIndices.isEmpty && eq.movedParameterIndex == 1)
        #expect(eq.poseNames == ["t_A", "t_B"] && eq.contextProxyCount == 1 && !eq.isExact)
        for (k, theta) in [[5.0, 0.2, 0.3], [7.5, -0.4, -0.5], [4.2, 0.6, 0.1]].enumerated() {
            let shifted = [theta[0], theta[1] + c, theta[2]]
            let x = TwoChannelPulse.signal(theta), xShifted = TwoChannelPulse.signal(shifted)
            var rng = RandomSource(seed: UInt64(k)), rngShifted = RandomSource(seed: UInt64(k))
            let proxy = eq.proxy(forPose: try eq.checkedPose(of: theta), using: &rng)
            let proxyShifted = eq.proxy(forPose: try eq.checkedPose(of: shifted), using: &rngShifted)
            for j in 0 ..< 2 { #expect(abs(proxyShifted[j] - proxy[j] - c) < 1e-12) }
            #expect(proxy != eq.pose(of: theta))  // ε was drawn
            let standardized = eq.standardising(x, proxy: proxy)
            let standardizedShifted = eq.standardising(xShifted, proxy: proxyShifted)
            let largest = zip(standardized, standardizedShifted).map { abs($0 - $1) }.max() ?? .infinity
            #expect(largest < 1e-9, "θ = \(theta), c = \(c): standardised data differ by \(largest)")
            #expect(standardized.contains { abs($0) > 0.5 })  // the pulse is there
            let relative = eq.relativeParameters(theta, proxy: proxy)
            let relativeShifted = eq.relativeParameters(shifted, proxy: proxyShifted)
            for j in 0 ..< 3 { #expect(abs(relative[j] - relativeShifted[j]) < 1e-12) }
            #expect(relative[0] == theta[0] && relative[2] == theta[2] && relative[1] == theta[1] - proxy[0])
            #expect(eq.absoluteParameters(relative, proxy: proxy) == theta)
            let context = eq.contextProxies(proxy), contextShifted = eq.contextProxies(proxyShifted)
            #expect(context.count == 1 && abs(context[0] - contextShifted[0]) < 1e-12)
            #expect(abs(context[0] - (proxy[1] - proxy[0])) < 1e-15)
            #expect(eq.relativeParametersLogJacobian(theta, proxy: proxy) == 0)
            // κ(ĝ | g(θ)) is the product of the two components' kernel densities.
            let g = eq.pose(of: theta)
            #expect(eq.proxyLogDensity(proxy, givenPose: g) == BlurKernel.uniform(width: 0.1).logDensity(of: [proxy[0] - g[0], proxy[1] - g[1]]))
        }
        let approximate = try TwoChannelPulse.model(exactPart: .none).equivariances[0]
        #expect(approximate.movedParameterIndex == nil && approximate.contextProxyCount == 2)
        #expect(approximate.relativeParameters([5, 0.2, 0.3], proxy: [0.1, 0.4]) == [5, 0.2, 0.3])
        #expect(approximate.contextProxies([0.1, 0.4]) == [0.1, 0.4])
        // The flow's context: the standardised data followed by the relative proxy.
        var proxies = SampleMatrix(rows: 1, columns: 2)
        try proxies.setRow(0, to: [0.25, 0.75])
        let data = SampleMatrix(rows: 1, columns: 140, repeating: 0.5)
        let tensor = FlowGibbsConditional.context(standardizedData: data, proxies: proxies, equivariance: eq)
        #expect(tensor.shape == [1, 141] && tensor.scalars[140] == 0.5 && tensor.scalars[0] == 0.5)
        #expect(FlowGibbsConditional.context(standardizedData: data, proxies: proxies, equivariance: approximate).shape == [1, 142])
    }

    /// A computed pose g(θ) = θ[p] with the common translation moving p is the exact
    /// equivariance of a parameter pose: the same training pairs, bit for bit.
    @Test func oneComponentComputedPoseIsTheParameterPose() throws {
        func model(computed: Bool) throws -> SimulationModel {
            try SimulationModel {
                Parameter("mu", Uniform(-5, 5))
                Parameter("a", Normal(0, 1))
                Simulator(outputLength: 6) { θ, _ in (0 ..< 6).map { θ[0] + θ[1] * Double($0) } }
                NoiseModel.gaussian(sigma: 0.1)
                if computed {
                    Equivariance(pose: ComputedPose(["mu"]) { θ in [θ[0]] }, group: ValueTranslation(), kernel: .gaussian(sigma: 0.2),
                                 exactPart: .commonTranslation(moving: "mu"))
                } else {
                    Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .gaussian(sigma: 0.2))
                }
            }
        }
        let byParameter = try GNPEEstimator(model: model(computed: false))
        let byFunction = try GNPEEstimator(model: model(computed: true))
        #expect(byFunction.equivariance.isExact && byFunction.contextFeatures == 6)
        try byParameter.appendSimulations(count: 50, seed: 3)
        try byFunction.appendSimulations(count: 50, seed: 3)
        var rngA = RandomSource(seed: 4), rngB = RandomSource(seed: 4)
        let a = try byParameter.trainingExamples(rows: Array(0 ..< 50), using: &rngA)
        let b = try byFunction.trainingExamples(rows: Array(0 ..< 50), using: &rngB)
        #expect(a.parameters.scalars == b.parameters.scalars && a.context.scalars == b.context.scalars)
        #expect(a.parameters.shape == [50, 2] && a.context.shape == [50, 6])
    }

    /// GNPE with the computed pose: Gibbs samples of t₀ and d cover the truth (median within 3
    /// posterior sd, the posterior much narrower than the prior), the chains settle, and GNPE-IS
    /// gives finite weights with a positive efficiency.
    @Test func gnpeWithAComputedPoseRecoversTheArrivalTimes() throws {
        let clock = ContinuousClock.now
        let gnpe = try Self.shared.get()
        print("two-channel GNPE training took \(ContinuousClock.now - clock); epochs \(gnpe.history!.trainingLoss.count)")
        #expect(gnpe.poseNames == ["t_A", "t_B"] && gnpe.contextFeatures == 141 && gnpe.iterations == 30)
        #expect(gnpe.initialNetwork?.parameterFeatures == 2)
        let posterior = try gnpe.posterior
        #expect(posterior.iterations == 30)
        for (k, truth) in [[6.0, 0.3, 0.25], [5.0, -0.5, -0.4]].enumerated() {
            let x = TwoChannelPulse.observation(truth, seed: UInt64(10 + k))
            let result = try posterior.sampleWithDiagnostics(count: 500, given: x, seed: UInt64(k))
            #expect(result.diagnostics.poseNames == ["t_A", "t_B"] && result.diagnostics.periodic == [false, false])
            #expect(result.proxies.columns == 2)
            for j in [1, 2] {
                let column = result.samples.column(j).sorted()
                let median = column[column.count / 2]
                let mean = column.reduce(0, +) / Double(column.count)
                let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count - 1)).squareRoot()
                print("observation \(k), \(gnpe.parameterNames[j]): median \(median) truth \(truth[j]) sd \(sd); drift \(result.diagnostics.recentDrift)")
                #expect(abs(median - truth[j]) < 3 * sd, "observation \(k), \(gnpe.parameterNames[j]): median \(median), truth \(truth[j]), sd \(sd)")
                #expect(sd < 0.1, "the posterior of \(gnpe.parameterNames[j]) is barely narrower than the prior: sd \(sd)")
            }
            // The last proxies sit around each channel's arrival time.
            let arrivals = TwoChannelPulse.arrivalTimes(truth)
            for j in 0 ..< 2 { #expect(abs(result.proxies.columnMeans[j] - arrivals[j]) < 0.1) }
        }
        // Starting from the prior's poses (g(θ) for θ from the prior) reaches the same posterior.
        posterior.initialization = .prior
        let truth = [6.0, 0.3, 0.25]
        let fromPrior = try posterior.sample(count: 300, given: TwoChannelPulse.observation(truth, seed: 10), seed: 5)
        let t0 = fromPrior.column(1).sorted()
        #expect(abs(t0[150] - truth[1]) < 0.1, "from the prior: median t₀ \(t0[150])")

        posterior.initialization = .network
        let x = TwoChannelPulse.observation(truth, seed: 10)
        let weighted = try posterior.importanceSampled(count: 500, given: x, seed: 6)
        let weights = weighted.importanceSampling.normalizedWeights
        print("two-channel GNPE-IS: efficiency \(weighted.sampleEfficiency), log Z \(weighted.logEvidence) ± \(weighted.logEvidenceStandardError)")
        #expect(weights.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(weighted.importanceSampling.logWeights.allSatisfy { !$0.isNaN && $0 < .infinity })
        #expect(weighted.sampleEfficiency > 0 && weighted.logEvidence.isFinite)
        #expect(weighted.proxies.columns == 2 && weighted.proxyDensity.dimension == 2)
    }

    /// Bad declarations are typed errors naming the problem, never traps.
    @Test func badDeclarationsThrowTypedErrors() throws {
        let names = ["ω", "t₀", "d"]
        #expect(throws: ModelError.unknownMovedParameter("t_geo", known: names)) {
            try TwoChannelPulse.model(exactPart: .commonTranslation(moving: "t_geo"))
        }
        let three = ComputedPose(["t_A", "t_B"]) { θ in [θ[1], θ[1], θ[1]] }
        do {
            _ = try TwoChannelPulse.model(pose: three)
            Issue.record("a pose function returning 3 values for 2 names was accepted")
        } catch let error as ModelError {
            guard case let .computedPoseLength(pose, found, theta) = error else { Issue.record("unexpected \(error)"); return }
            #expect(pose == ["t_A", "t_B"] && found == 3 && theta.count == 3)
            #expect(error.description.contains("returned 3 values, expected 2"))
        }
        let nan = ComputedPose(["t_A", "t_B"]) { θ in [θ[1], .nan] }
        do {
            _ = try TwoChannelPulse.model(pose: nan)
            Issue.record("a NaN pose was accepted")
        } catch let error as ModelError {
            guard case let .nonFinitePose(name, value, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(name == "t_B" && value.isNaN && error.description.contains("'t_B'"))
        }
        #expect(throws: ModelError.poseDimensionMismatch(pose: ["t_A"], groupDimension: 2)) {
            try TwoChannelPulse.model(pose: ComputedPose(["t_A"]) { θ in [θ[1]] })
        }
        #expect(throws: ModelError.self) { try TwoChannelPulse.model(pose: ComputedPose(["t_A", "t_A"]) { θ in [θ[1], θ[1]] }) }
        #expect(throws: ModelError.self) { try TwoChannelPulse.model(pose: ComputedPose([]) { _ in [] }) }
        // The common translation needs a group that adds coordinates; a rotation wraps.
        do {
            _ = try SimulationModel {
                Parameter("φ", Uniform(-.pi, .pi))
                Simulator(outputLength: 2) { θ, _ in [Foundation.cos(θ[0]), Foundation.sin(θ[0])] }
                Equivariance(pose: ComputedPose(["angle"]) { θ in [θ[0]] }, group: PlaneRotation(), kernel: .gaussian(sigma: 0.1),
                             exactPart: .commonTranslation(moving: "φ"))
            }
            Issue.record("a common translation of a rotation group was accepted")
        } catch let error as ModelError {
            guard case let .invalidGroup(reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("PlaneRotation"))
        }
        // Without an exact part, a rotation is fine.
        _ = try SimulationModel {
            Parameter("φ", Uniform(-.pi, .pi))
            Simulator(outputLength: 2) { θ, _ in [Foundation.cos(θ[0]), Foundation.sin(θ[0])] }
            Equivariance(pose: ComputedPose(["angle"]) { θ in [θ[0]] }, group: PlaneRotation(), kernel: .gaussian(sigma: 0.1))
        }
    }

    /// A pose function that fails only for some θ (missed by the declaration's probe) gives a
    /// typed error naming θ in training and in Gibbs sampling, and `pose(of:)` never traps.
    @Test func poseFailuresAtRunTimeAreTypedErrors() throws {
        // NaN for ω > 7.98 (0.5 % of the prior), 3 values for ω < 4.02.
        let fragile = ComputedPose(["t_A", "t_B"]) { θ in
            if θ[0] > 7.98 { return [θ[1], .nan] }
            if θ[0] < 4.02 { return [θ[1], θ[1], θ[1]] }
            return TwoChannelPulse.arrivalTimes(θ)
        }
        let model = try TwoChannelPulse.model(pose: fragile)
        let eq = model.equivariances[0]
        #expect(eq.pose(of: [4.01, 0, 0]).count == 2 && eq.pose(of: [4.01, 0, 0]).allSatisfy(\.isNaN))
        let gnpe = try GNPEEstimator(model: model)
        gnpe.settings.maximumEpochs = 1
        try gnpe.appendSimulations(count: 1000, seed: 1)
        #expect(throws: ModelError.self) { try gnpe.train() }
        #expect(gnpe.flow == nil)
        var theta = SampleMatrix(rows: 2, columns: 3)
        try theta.setRow(0, to: [6, 0.1, 0.2])
        try theta.setRow(1, to: [7.99, 0.1, 0.2])
        do {
            _ = try eq.poses(of: theta)
            Issue.record("a NaN pose at θ = [7.99, 0.1, 0.2] was accepted")
        } catch let error as ModelError {  // NaN ≠ NaN: compare by case
            guard case let .nonFinitePose(name, _, at) = error else { Issue.record("unexpected \(error)"); return }
            #expect(name == "t_B" && at == [7.99, 0.1, 0.2])
        }
        // The Gibbs sampler computes the poses of each new θ.
        struct Fixed: GibbsConditional {
            let theta: [Double]
            func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws -> SampleMatrix {
                var m = SampleMatrix(rows: proxies.rows, columns: theta.count)
                for i in 0 ..< proxies.rows { try m.setRow(i, to: theta) }
                return m
            }
        }
        var rng = RandomSource(seed: 1)
        let x = TwoChannelPulse.signal([6, 0.1, 0.2])
        let start = try GibbsSampler.initialPoses(fixed: [0, 0.2], count: 4)
        #expect(throws: ModelError.self) {
            _ = try GibbsSampler(iterations: 3).sample(observation: x, equivariance: eq, conditional: Fixed(theta: [4.01, 0.1, 0.2]),
                                                       initialPoses: start, using: &rng)
        }
        let fine = try GibbsSampler(iterations: 3).sample(observation: x, equivariance: eq, conditional: Fixed(theta: [6, 0.1, 0.2]),
                                                          initialPoses: start, prior: model.prior, using: &rng)
        #expect(fine.samples.row(0) == [6, 0.1, 0.2] && fine.diagnostics.periodic == [false, false])
        // Initial poses from the prior are g(θ) for θ from the prior.
        var priorRNG = RandomSource(seed: 2)
        let fromPrior = try GibbsSampler.initialPoses(fromPrior: TwoChannelPulse.model().prior,
                                                      equivariance: TwoChannelPulse.model().equivariances[0], count: 200, using: &priorRNG)
        #expect(fromPrior.columns == 2 && fromPrior.rows == 200)
        // |t_B − t_A| = |d| ≤ 0.6 and both within t₀ ± 0.3, t₀ ∈ [−1, 1].
        for i in 0 ..< 200 {
            let r = fromPrior.row(i)
            #expect(abs(r[1] - r[0]) <= 0.6 + 1e-12 && abs(r[0]) <= 1.3 && abs(r[1]) <= 1.3)
        }
    }

    /// A computed-pose estimator saves and loads (its pose function comes from the model, the
    /// file records the pose's names and kind); a model declaring another pose is refused; a
    /// parameter pose's configuration is stored as before computed poses existed.
    @Test func saveAndLoadRecordThePoseKind() throws {
        let gnpe = try GNPEEstimator(model: TwoChannelPulse.model())
        gnpe.settings = TrainingSettings(batchSize: 100, maximumEpochs: 2, seed: 1)
        gnpe.architecture.transformCount = 2
        try gnpe.appendSimulations(count: 300, seed: 1)
        try gnpe.train()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("computed-pose-\(UUID().uuidString).gnpe")
        defer { try? FileManager.default.removeItem(at: url) }
        try gnpe.save(to: url)
        let configuration = try Self.json(EstimatorArchive(contentsOf: url), "configuration")
        #expect(configuration.contains("\"poseKind\":\"computed\"") && configuration.contains("commonTranslation"))
        let loaded = try GNPEEstimator.load(from: url, model: TwoChannelPulse.model())
        #expect(loaded.poseNames == ["t_A", "t_B"] && loaded.equivariance.movedParameterIndex == 1)
        let x = TwoChannelPulse.observation([6, 0.3, 0.25], seed: 1)
        #expect(try gnpe.posterior.sample(count: 50, given: x, seed: 3) == loaded.posterior.sample(count: 50, given: x, seed: 3))
        // Other names, another exact part, another kernel: refused.
        let renamed = ComputedPose(["H1", "L1"]) { θ in TwoChannelPulse.arrivalTimes(θ) }
        #expect(throws: GNPEError.self) { try GNPEEstimator.load(from: url, model: TwoChannelPulse.model(pose: renamed)) }
        do {
            _ = try GNPEEstimator.load(from: url, model: TwoChannelPulse.model(exactPart: .none))
            Issue.record("a file trained with an exact common translation loaded into a model without one")
        } catch let error as GNPEError {
            #expect(error.description.contains("commonTranslation") && error.description.contains("exact part none"))
        }
        #expect(throws: GNPEError.self) { try GNPEEstimator.load(from: url, model: TwoChannelPulse.model(kernel: .uniform(width: 0.2))) }
        // The same names with another function: the pose at four fixed prior draws tells.
        let swapped = ComputedPose(["t_A", "t_B"]) { θ in TwoChannelPulse.arrivalTimes(θ).reversed() }
        do {
            _ = try GNPEEstimator.load(from: url, model: TwoChannelPulse.model(pose: swapped))
            Issue.record("a file loaded into a model whose pose function differs")
        } catch let error as GNPEError {
            #expect(error.description.contains("pose function differs"))
        }

        // A pose of parameters vs the same pose computed: the files differ in kind, and a
        // parameter pose's configuration carries no pose kind (as every file before this one).
        func location(computed: Bool) throws -> SimulationModel {
            try SimulationModel {
                Parameter("mu", Uniform(-5, 5))
                Simulator(outputLength: 4) { θ, _ in Array(repeating: θ[0], count: 4) }
                NoiseModel.gaussian(sigma: 0.1)
                if computed {
                    Equivariance(pose: ComputedPose(["mu"]) { θ in [θ[0]] }, group: ValueTranslation(), kernel: .gaussian(sigma: 0.2),
                                 exactPart: .commonTranslation(moving: "mu"))
                } else {
                    Equivariance(pose: ["mu"], group: ValueTranslation(), kernel: .gaussian(sigma: 0.2))
                }
            }
        }
        let plain = try GNPEEstimator(model: location(computed: false))
        plain.settings = TrainingSettings(batchSize: 50, maximumEpochs: 1, seed: 1)
        plain.trainsInitialNetwork = false
        try plain.appendSimulations(count: 100, seed: 1)
        try plain.train()
        let archive = try plain.archive()
        let plainConfiguration = Self.json(archive, "configuration")
        #expect(!plainConfiguration.contains("poseKind") && !plainConfiguration.contains("exactPart"))
        #expect(throws: GNPEError.self) { try GNPEEstimator(archive: archive, model: location(computed: true)) }
        _ = try GNPEEstimator(archive: archive, model: location(computed: false))
    }
}
