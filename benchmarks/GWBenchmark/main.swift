// gw-benchmark — NPE against GNPE on the reduced three-detector binary-black-hole problem
// (BinaryBlackHoleNetwork.Configuration.reduced: H1, L1, V1, 20–128 Hz, T = 2 s, all 11
// parameters), at the same simulation budget: training time, inference time, and over several
// injections the importance-sampling efficiency (DINGO-IS, Dax et al., PRL 130, 171403 (2023))
// and the largest per-parameter Jensen–Shannon divergence between each network's marginals and
// its own importance-reweighted marginals. `benchmarks/gw` runs it and adds the waveform
// generation rate against LALSimulation.
//
// Usage: gw-benchmark [--simulations N] [--minutes M] [--init-minutes I] [--epochs E]
//                     [--injections K] [--proposals P] [--seed S] [--only npe|gnpe] [--threads T]
//                     [--kernel uniform:WIDTH|gaussian:SIGMA] [--schedule cosine|constant]
//                     [--phase marginalized|inferred] [--iterations G] [--transforms F] [--hidden H] [--batch B]
//                     [--save DIR] [--load DIR] [--temperature T] [--diagnose] [--refit] [--sky equatorial|detectorBaseline]
//   --minutes: each network's training time: NPE's, and GNPE's in all (its initialisation network
//              gets --init-minutes of it, default a fifth, the flow the rest)
//   --threads: training threads per network (default one per core; benchmarks/gw runs NPE and
//              GNPE at once with one each)
//   --phase: marginalized (default) trains both networks on the 10 parameters other than the
//            coalescence phase (PhaseMarginalizedNetwork: the simulator draws φ afresh), weighs
//            against the phase-marginal likelihood and puts φ back from its exact conditional
//            (bilby's phase marginalisation, DINGO-IS's phase reconstruction); inferred: the
//            networks learn all 11
//   --kernel: GNPE's κ per detector, seconds (default gaussian:0.001; uniform:0.002 is DINGO's ±1 ms)
//   --iterations: GNPE's Gibbs iterations per inference (default the estimator's, 30)
//   --transforms, --hidden: the flow's transforms (default 5) and hidden features (default 128)
//   --batch: the training batch size of both networks (default 256)
//   --temperature T: the proposals' temperature τ (the flows' base distribution 𝒩(0, τ²I);
//                    default 1, the flows as trained)
//   --diagnose: also prints GNPE's conditional efficiency at a fixed proxy (θ ~ q(θ | x, ĝ₀) at the
//               mean ĝ₀ of the converged proxies, weighed by p(x | θ)p(θ)κ(ĝ₀ | g(θ))/q(θ | x, ĝ₀)):
//               the flow's accuracy without the proxy density q(ĝ | x); the proposal's widest
//               parameters; and the spread of the H1 − L1 arrival-time difference in the proposal,
//               at the fixed proxy and reweighted, against κ's blur (how finely the flow times the signal)
//   --refit: (experiment) also a second GNPE-IS round per injection whose proxy density is half the
//            first's q(ĝ | x) and half a normal at the first round's importance-weighted proxies
//            (their weighted covariance plus κ's variance): does a better-placed q(ĝ | x) help?
//   --sky: the networks' sky coordinates (default equatorial: ra, dec; detectorBaseline: zenith and
//          azimuth about the H1–L1 baseline, SkyFrame.detectorBaseline; the injections are the same
//          sources either way, converted)
//   --save DIR: writes the trained networks to DIR/npe.npe and DIR/gnpe.gnpe
//   --load DIR: reads them from there instead of simulating and training (inference-side studies
//               on the same networks; the configuration options must match the saved ones)
//   --schedule: the learning rate over the run (default cosine to 1 % of 1e-3, over the time
//               limit when it comes before the epoch limit, as DINGO anneals over its run)
// Output: figures, then one JSON object on the last line.

import Dispatch
import Flows
import Foundation
import GravitationalWaves
import Inference
import TensorCore

struct Options {
    var simulations = 300_000
    var minutes = 55.0
    var initMinutes: Double? = nil
    var threads: Int? = nil
    var epochs = 300
    var injections = 10
    var proposals = 10_000
    var seed: UInt64 = 1
    var only: String? = nil
    var kernel = BlurKernel.gaussian(sigma: 0.001)
    var schedule = TrainingSchedule.cosine(minimumFraction: 0.01)
    var marginalizePhase = true
    var iterations: Int? = nil
    var transforms = 5
    var hidden = 128
    var batchSize = 256
    var saveDirectory: String? = nil
    var loadDirectory: String? = nil
    var temperature = 1.0
    var diagnose = false
    var refit = false
    var skyFrame = SkyFrame.equatorial

    init(arguments: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchmarkError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--simulations": simulations = try Self.number(value())
            case "--minutes": minutes = try Self.number(value())
            case "--init-minutes": initMinutes = try Self.number(value())
            case "--threads": threads = try Self.number(value())
            case "--epochs": epochs = try Self.number(value())
            case "--injections": injections = try Self.number(value())
            case "--proposals": proposals = try Self.number(value())
            case "--seed": seed = try Self.number(value())
            case "--only": only = try value()
            case "--iterations": iterations = try Self.number(value())
            case "--transforms": transforms = try Self.number(value())
            case "--hidden": hidden = try Self.number(value())
            case "--batch": batchSize = try Self.number(value())
            case "--save": saveDirectory = try value()
            case "--load": loadDirectory = try value()
            case "--temperature": temperature = try Self.number(value())
            case "--diagnose": diagnose = true
            case "--refit": refit = true
            case "--sky":
                let text = try value()
                guard let frame = SkyFrame(rawValue: text) else {
                    throw BenchmarkError("--sky takes \(SkyFrame.allCases.map(\.rawValue).joined(separator: " or ")), not \(text)")
                }
                skyFrame = frame
            case "--kernel":
                let parts = try value().split(separator: ":").map(String.init)
                guard parts.count == 2, let number = Double(parts[1]), number > 0 else {
                    throw BenchmarkError("--kernel takes uniform:WIDTH or gaussian:SIGMA (seconds)")
                }
                switch parts[0] {
                case "uniform": kernel = .uniform(width: number)
                case "gaussian": kernel = .gaussian(sigma: number)
                default: throw BenchmarkError("--kernel takes uniform:WIDTH or gaussian:SIGMA (seconds)")
                }
            case "--phase":
                switch try value() {
                case "marginalized": marginalizePhase = true
                case "inferred": marginalizePhase = false
                case let other: throw BenchmarkError("--phase takes marginalized or inferred, not \(other)")
                }
            case "--schedule":
                switch try value() {
                case "cosine": schedule = .cosine(minimumFraction: 0.01)
                case "constant": schedule = .constant
                case let other: throw BenchmarkError("--schedule takes cosine or constant, not \(other)")
                }
            default: throw BenchmarkError("unknown argument \(arguments[i])")
            }
            i += 1
        }
        guard minutes > 0, initialNetworkMinutes > 0, initialNetworkMinutes < minutes else {
            throw BenchmarkError("--init-minutes must lie strictly between 0 and --minutes (\(minutes))")
        }
        guard (threads ?? 1) >= 1 else { throw BenchmarkError("--threads must be at least 1") }
        guard (iterations ?? 1) >= 1, transforms >= 1, hidden >= 1, batchSize >= 1 else {
            throw BenchmarkError("--iterations, --transforms, --hidden and --batch must be at least 1")
        }
        guard saveDirectory == nil || loadDirectory == nil else { throw BenchmarkError("--save and --load exclude each other") }
    }

    /// GNPE's initialisation network's share of its training time.
    var initialNetworkMinutes: Double { initMinutes ?? minutes / 5 }

    static func number<T: LosslessStringConvertible>(_ text: String) throws -> T {
        guard let v = T(text.replacingOccurrences(of: "_", with: "")) else { throw BenchmarkError("not a number: \(text)") }
        return v
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Wall-clock seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func median(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return .nan }
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// What one network gives on one injection.
struct InjectionResult {
    var efficiency: Double
    var jsMax: Double
    var jsWorstParameter: String
    var seconds: Double
}

setvbuf(stdout, nil, _IOLBF, 0)  // figures appear as they are made, also through a pipe
let options: Options
do {
    options = try Options(arguments: CommandLine.arguments)
} catch {
    // A usage error: say what is wrong and exit, without a crash report.
    FileHandle.standardError.write(Data("gw-benchmark: \(error)\n".utf8))
    exit(2)
}
var configuration = BinaryBlackHoleNetwork.Configuration.reduced
configuration.skyFrame = options.skyFrame
let network = try BinaryBlackHoleNetwork(configuration)
let marginalized = try PhaseMarginalizedNetwork(network)
let prior = try network.prior()
/// The networks' prior: without the phase when it is marginalised.
let networkPrior = options.marginalizePhase ? try marginalized.prior() : prior
/// The 11-parameter samples: the phase put back from its exact conditional when marginalised.
func fullSamples(_ samples: SampleMatrix, _ x: [Double], seed: UInt64) throws -> SampleMatrix {
    options.marginalizePhase ? try marginalized.reconstructingPhase(of: samples, given: x, seed: seed) : samples
}
let periods = (0 ..< prior.dimension).map { prior.period(ofParameterAt: $0) }
let names = network.parameterNames
print("configuration: H1, L1, V1, \(network.bandBinCount) bins per detector "
    + "(\(network.frequencies.first!)–\(network.frequencies.last!) Hz, Δf = \(network.grid.spacing) Hz), "
    + "\(network.outputLength) values per simulation (\(4 * network.outputLength + 8 * prior.dimension) bytes stored)")
let trainingBudget = options.loadDirectory.map { "networks loaded from \($0) (their own training budget), " }
    ?? "\(options.simulations) simulations, at most \(options.epochs) epochs or \(options.minutes) min per network "
    + "(GNPE: \(options.minutes - options.initialNetworkMinutes) min flow + \(options.initialNetworkMinutes) min initialisation network), "
    + "\(options.threads.map { "\($0)" } ?? "all") training thread(s), batches of \(options.batchSize), learning rate \(options.schedule), "
print("budget: " + trainingBudget
    + "\(options.injections) injections × \(options.proposals) importance-sampling proposals; "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores; GNPE kernel \(options.kernel); "
    + (options.marginalizePhase ? "phase marginalised (networks on 10 parameters, φ reconstructed)" : "phase inferred by the networks")
    + "; sky frame \(options.skyFrame) (\(network.skyFrame.parameterNames.0), \(network.skyFrame.parameterNames.1))")

var settings = TrainingSettings(batchSize: options.batchSize, learningRate: 1e-3, stopAfterEpochsWithoutImprovement: 15,
                                maximumEpochs: options.epochs, seed: options.seed)
settings.noise = .freshEachEpoch
settings.maximumTrainingSeconds = options.minutes * 60
settings.learningRateSchedule = options.schedule
settings.threadCount = options.threads

/// The flow: a neural spline flow on DINGO's embedding.
func architecture(passthrough: Int) -> FlowArchitecture {
    var a = FlowArchitecture.npeDefault(parameterCount: networkPrior.dimension, observationLength: network.outputLength + passthrough)
    a.kind = .neuralSpline
    a.transformCount = options.transforms
    a.hiddenFeatures = options.hidden
    a.embedding = network.reducedBasisEmbedding(basisSize: 64, residualWidths: [256, 256, 128], outputFeatures: 64,
                                                passthroughFeatures: passthrough)
    return a
}

// The injections: prior draws, unit white noise in the whitened domain. Drawn in (ra, dec) and
// converted, so that every sky frame sees the same sources.
let equatorialPrior = try BinaryBlackHoleNetwork(.reduced).prior()
var injectionRNG = RandomSource(seed: options.seed &+ 1_000)
var injections: [(theta: [Double], x: [Double], snr: Double)] = []
for _ in 0 ..< options.injections {
    let theta = try network.parameters(fromEquatorial: equatorialPrior.sample(using: &injectionRNG))
    let s = try network.signal(theta)
    let x = s.map { $0 + injectionRNG.nextNormal() }
    injections.append((theta, x, s.reduce(0) { $0 + $1 * $1 }.squareRoot()))
}
print("injections: network SNR " + injections.map { String(format: "%.1f", $0.snr) }.joined(separator: ", "))

/// Prints every tenth epoch of a training run (and its first), so that a long run shows it is alive.
func report(_ name: String) -> (EpochReport) -> Void {
    { r in
        guard r.epoch == 1 || r.epoch % 10 == 0 else { return }
        print(String(format: "%@: epoch %d, %.0f s, validation loss %.3f (best %.3f at epoch %d), learning rate %.2g",
                     name, r.epoch, r.elapsedSeconds, r.validationLoss, r.bestValidationLoss, r.bestEpoch, r.learningRate))
    }
}

/// Efficiency and JSD of weighted proposal samples.
func assess(samples: SampleMatrix, weighting: ImportanceSampling) throws -> (Double, Double, String) {
    let js = try MarginalJensenShannon().divergences(samples, samples, secondWeights: weighting.normalizedWeights,
                                                     periods: periods)
    let worst = js.indices.max { js[$0] < js[$1] }!
    return (weighting.sampleEfficiency, js[worst], names[worst])
}

/// What a loaded network's saved training history says (its budget, not this run's options).
func describeLoaded(_ history: TrainingHistory?, initialNetwork: TrainingHistory?) -> String {
    guard let history else { return " (no training history saved)" }
    return String(format: ": trained %d epochs in %.0f s (best validation loss %.3f at epoch %d)%@", history.epochCount,
                  history.elapsedSeconds, history.bestValidationLoss ?? .nan, history.bestEpoch,
                  initialNetwork.map { String(format: ", initialisation network %d epochs in %.0f s", $0.epochCount, $0.elapsedSeconds) } ?? "")
}

var report: [String: Any] = [:]
var trainSeconds: [String: Double] = [:]
var inferenceSeconds: [String: Double] = [:]

// MARK: NPE

if options.only == nil || options.only == "npe" {
    let npeModel = options.marginalizePhase ? try marginalized.simulationModel() : try network.simulationModel()
    let npe: NPE
    if let directory = options.loadDirectory {
        npe = try NPE.load(from: URL(fileURLWithPath: directory).appendingPathComponent("npe.npe"), prior: networkPrior)
        trainSeconds["npe"] = npe.history?.elapsedSeconds
        print("NPE: loaded from \(directory)" + describeLoaded(npe.history, initialNetwork: nil))
    } else {
        npe = NPE(model: npeModel)
        npe.settings = settings
        npe.architecture = architecture(passthrough: 0)
        let (_, simulateSeconds) = try timed { try npe.appendSimulations(count: options.simulations, seed: options.seed) }
        print(String(format: "NPE: %d simulations in %.1f s", npe.simulationCount, simulateSeconds))
        let (history, seconds) = try timed { try npe.train(force: true, progress: report("NPE")) }
        trainSeconds["npe"] = seconds
        print(String(format: "NPE: trained %d epochs in %.0f s (best validation loss %.3f at epoch %d)%@",
                     history.epochCount, seconds, history.bestValidationLoss ?? .nan, history.bestEpoch,
                     history.warnings.isEmpty ? "" : "; " + history.warnings.joined(separator: "; ")))
        if let directory = options.saveDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try npe.save(to: URL(fileURLWithPath: directory).appendingPathComponent("npe.npe"))
        }
    }
    let posterior = try npe.posterior
    var results: [InjectionResult] = []
    for (k, injection) in injections.enumerated() {
        // DINGO-IS: draws outside the prior kept with weight 0, the model's (phase-marginal) likelihood.
        let (result, sampleSeconds) = try timed {
            try posterior.importanceSampled(count: options.proposals, given: injection.x,
                                            logLikelihood: try npeModel.exactLogLikelihood(given: injection.x),
                                            temperature: options.temperature, seed: options.seed &+ UInt64(k))
        }
        let (efficiency, js, worst) = try assess(samples: try fullSamples(result.samples, injection.x, seed: options.seed &+ 77),
                                                 weighting: result.importanceSampling)
        results.append(InjectionResult(efficiency: efficiency, jsMax: js, jsWorstParameter: worst, seconds: sampleSeconds))
        print(String(format: "NPE injection %d (SNR %.1f): efficiency %.2f %%, JSD max %.4f nat (%@), %.1f %% of draws inside the prior, sampling + weights %.2f s",
                     k, injection.snr, 100 * efficiency, js, worst, 100 * result.fractionWithPositiveWeight, sampleSeconds))
    }
    inferenceSeconds["npe"] = median(results.map(\.seconds))
    report["efficiency_npe"] = median(results.map(\.efficiency))
    report["js_max_npe"] = median(results.map(\.jsMax))
}

// MARK: GNPE

if options.only == nil || options.only == "gnpe" {
    let gnpeModel = options.marginalizePhase ? try marginalized.equivariantModel(kernel: options.kernel)
                                             : try network.equivariantModel(kernel: options.kernel)
    let gnpe: GNPEEstimator
    if let directory = options.loadDirectory {
        gnpe = try GNPEEstimator.load(from: URL(fileURLWithPath: directory).appendingPathComponent("gnpe.gnpe"), model: gnpeModel)
        trainSeconds["gnpe"] = gnpe.history.map { $0.elapsedSeconds + (gnpe.initialNetworkHistory?.elapsedSeconds ?? 0) }
        print("GNPE: loaded from \(directory)" + describeLoaded(gnpe.history, initialNetwork: gnpe.initialNetworkHistory))
    } else {
        gnpe = try GNPEEstimator(model: gnpeModel)
        // The same training time as NPE in all: the initialisation network gets its share, the flow the rest.
        gnpe.settings = settings
        gnpe.settings.maximumTrainingSeconds = (options.minutes - options.initialNetworkMinutes) * 60
        gnpe.initialNetworkSettings = settings
        gnpe.initialNetworkSettings?.maximumTrainingSeconds = options.initialNetworkMinutes * 60
        gnpe.architecture = architecture(passthrough: gnpe.equivariance.contextProxyCount)
        let (_, simulateSeconds) = try timed { try gnpe.appendSimulations(count: options.simulations, seed: options.seed) }
        print(String(format: "GNPE: %d simulations in %.1f s", gnpe.simulationCount, simulateSeconds))
        let (history, seconds) = try timed {
            try gnpe.train(force: true, progress: report("GNPE"), initialNetworkProgress: report("GNPE initialisation network"))
        }
        trainSeconds["gnpe"] = seconds
        print(String(format: "GNPE: trained %d epochs in %.0f s, initialisation network (%d epochs) included (best validation loss %.3f at epoch %d)%@",
                     history.epochCount, seconds, gnpe.initialNetworkHistory?.epochCount ?? 0, history.bestValidationLoss ?? .nan, history.bestEpoch,
                     history.warnings.isEmpty ? "" : "; " + history.warnings.joined(separator: "; ")))
        if let directory = options.saveDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try gnpe.save(to: URL(fileURLWithPath: directory).appendingPathComponent("gnpe.gnpe"))
        }
    }
    if let iterations = options.iterations { gnpe.iterations = iterations }
    let posterior = try gnpe.posterior
    var results: [InjectionResult] = []
    var refitEfficiencies: [Double] = []
    for (k, injection) in injections.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        let result: GNPEImportanceSampling
        do {
            // The model's likelihood: the phase-marginal one it declares, or the network's Gaussian one.
            result = try posterior.importanceSampled(count: options.proposals, given: injection.x, temperature: options.temperature,
                                                     seed: options.seed &+ UInt64(k))
        } catch SamplingError.zeroLikelihood {
            // No proposal has t_I(θ) within the kernel of its proxies: the flow has not learnt the
            // arrival times to ±1 ms yet (an under-trained network); efficiency 0.
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            results.append(InjectionResult(efficiency: 0, jsMax: log(2), jsWorstParameter: "all", seconds: seconds))
            print(String(format: "GNPE injection %d (SNR %.1f): every weight is zero (no proposal's arrival times within the kernel of its proxies), %.2f s",
                         k, injection.snr, seconds))
            continue
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (efficiency, js, worst) = try assess(samples: try fullSamples(result.samples, injection.x, seed: options.seed &+ 77),
                                                 weighting: result.importanceSampling)
        results.append(InjectionResult(efficiency: efficiency, jsMax: js, jsWorstParameter: worst, seconds: seconds))
        print(String(format: "GNPE injection %d (SNR %.1f): efficiency %.2f %%, JSD max %.4f nat (%@), %.1f %% of proposals with a non-zero weight, Gibbs + proposal + weights %.2f s%@",
                     k, injection.snr, 100 * efficiency, js, worst, 100 * result.fractionWithPositiveWeight, seconds,
                     result.gibbsDiagnostics.warning.map { "; " + $0 } ?? ""))
        if options.refit {
            // A second round: q₂(ĝ | x) = ½ q(ĝ | x) + ½ 𝒩(weighted mean, weighted covariance + σ_κ² I)
            // of the first round's proxies; weighed on the extended space (θ, ĝ) as GNPE-IS does.
            let kappaVariance = options.kernel.standardDeviation * options.kernel.standardDeviation
            let mean = result.importanceSampling.weightedMean(of: result.proxies)
            var covariance = result.importanceSampling.weightedCovariance(of: result.proxies)
            for a in covariance.indices { covariance[a][a] += kappaVariance }
            let first = result.proxyDensity
            let second = try GaussianMixture(weights: first.weights.map { $0 / 2 } + [0.5], means: first.means + [mean],
                                             covariances: first.covariances + [covariance])
            var rng = RandomSource(seed: options.seed &+ 900 &+ UInt64(k))
            let draws = try posterior.proposalDraws(count: options.proposals, given: injection.x, proxyDensity: second, using: &rng)
            let refitted = try posterior.extendedImportanceSampling(draws, logLikelihood: try gnpeModel.exactLogLikelihood(given: injection.x))
            refitEfficiencies.append(refitted.sampleEfficiency)
            print(String(format: "  refit: second round's efficiency %.2f %% (first %.2f %%), first round's ESS %.1f",
                         100 * refitted.sampleEfficiency, 100 * result.sampleEfficiency, result.importanceSampling.effectiveSampleSize))
        }
        if options.diagnose {
            // The flow's conditional alone: θ ~ q(θ | x, ĝ₀) at the converged proxies' mean, weighed
            // against the extended target p(x | θ)p(θ)κ(ĝ₀ | g(θ)) at that ĝ₀.
            let g0 = result.fittedProxies.columnMeans
            let point = try GaussianMixture(weights: [1], means: [g0],
                                            covariances: [(0 ..< g0.count).map { i in (0 ..< g0.count).map { $0 == i ? 1e-16 : 0 } }])
            var rng = RandomSource(seed: options.seed &+ 500 &+ UInt64(k))
            let draws = try posterior.proposalDraws(count: options.proposals, given: injection.x, proxyDensity: point, using: &rng)
            // log q(θ | x, ĝ) = log q(θ, ĝ | x) − log q(ĝ | x), ĝ within 10⁻⁸ s of ĝ₀; weighed on (θ, ĝ)
            // as GNPE-IS weighs, with the point mass's density taken out of the proposal.
            let logPoint = point.logDensities(of: draws.proxies)
            let logConditional = zip(draws.logDensities, logPoint).map { $0 - $1 }
            let equivariance = posterior.equivariance
            let conditional = try posterior.extendedImportanceSampling(
                (draws.samples, draws.proxies, logConditional), logLikelihood: try gnpeModel.exactLogLikelihood(given: injection.x))
            let lw = result.importanceSampling.logWeights.filter { $0 > -.infinity }
            let mean = lw.reduce(0, +) / Double(max(1, lw.count))
            let sd = (lw.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, lw.count - 1))).squareRoot()
            // How much wider the proposal is than the reweighted posterior, per parameter (circular
            // standard deviations for the periodic ones).
            let weighted = result.normalizedWeights, uniform = [Double](repeating: 1 / Double(result.samples.rows), count: result.samples.rows)
            func spread(_ j: Int, _ w: [Double]) -> Double {
                MarginalJensenShannon.weightedStandardDeviation(of: result.samples.column(j), weights: w,
                                                                period: networkPrior.period(ofParameterAt: j))
            }
            let ratios = (0 ..< result.samples.columns).map { j in (name: result.parameterNames[j], ratio: spread(j, uniform) / spread(j, weighted)) }
            // How finely the draws time the signal: the spread of their first two detectors'
            // arrival-time difference (frame-independent), against the kernel's blur of that
            // difference in the proxies the flow is given (√2 σ_κ).
            func delays(_ samples: SampleMatrix) throws -> [Double] {
                try (0 ..< samples.rows).map { i -> Double in
                    let t = try equivariance.checkedPose(of: samples.row(i))
                    return t[0] - t[1]
                }
            }
            let jointDelays = try delays(result.samples)
            func delaySpread(_ w: [Double], of values: [Double] = jointDelays) -> Double {
                1000 * MarginalJensenShannon.weightedStandardDeviation(of: values, weights: w, period: nil)
            }
            // The same at the fixed proxy ĝ₀: the flow's own timing, without the chains' spread of
            // proxies (a flow that ignored the data's sub-kernel shifts would give κ's blur here).
            let conditionalDelays = try delays(draws.samples)
            let evenly = [Double](repeating: 1 / Double(draws.samples.rows), count: draws.samples.rows)
            let widest = ratios.sorted { $0.ratio > $1.ratio }.prefix(4).map { String(format: "%@ %.1f", $0.name, $0.ratio) }.joined(separator: ", ")
            print(String(format: "  diagnosis: conditional efficiency at the proxies' mean %.2f %% (joint %.2f %%); sd of the joint log weights %.1f; proxy mixture components %d; proposal sd ÷ reweighted sd, widest: %@; %@ − %@ arrival-time difference sd: proposal %.3f ms, at the fixed proxy %.3f ms (reweighted %.3f ms), reweighted %.3f ms, κ's blur of the proxies' difference %.3f ms",
                         100 * conditional.sampleEfficiency, 100 * result.sampleEfficiency, sd, result.proxyDensity.componentCount, widest,
                         network.detectors[0].name, network.detectors[1].name, delaySpread(uniform),
                         delaySpread(evenly, of: conditionalDelays), delaySpread(conditional.normalizedWeights, of: conditionalDelays),
                         delaySpread(weighted),
                         1000 * 2.0.squareRoot() * options.kernel.standardDeviation))
        }
    }
    inferenceSeconds["gnpe"] = median(results.map(\.seconds))
    report["efficiency_gnpe"] = median(results.map(\.efficiency))
    if options.refit { report["efficiency_gnpe_refit"] = median(refitEfficiencies) }
    report["js_max_gnpe"] = median(results.map(\.jsMax))
}

report["train_s"] = trainSeconds
report["inference_s"] = inferenceSeconds
report["injections"] = options.injections
report["proposals"] = options.proposals
report["cores"] = ProcessInfo.processInfo.activeProcessorCount
report["kernel"] = options.kernel.description
if let directory = options.loadDirectory {
    // The loaded networks' budget is not this run's options: train_s comes from their saved histories.
    report["loaded"] = directory
} else {
    report["simulations"] = options.simulations
    report["minutes"] = options.minutes
    report["init_minutes"] = options.initialNetworkMinutes
    report["schedule"] = "\(options.schedule)"
    report["transforms"] = options.transforms
    report["batch"] = options.batchSize
}
report["phase"] = options.marginalizePhase ? "marginalized" : "inferred"
report["temperature"] = options.temperature
report["iterations"] = options.iterations ?? 30
report["sky"] = options.skyFrame.rawValue
if let npe = report["efficiency_npe"] as? Double, let gnpe = report["efficiency_gnpe"] as? Double {
    print(String(format: "median efficiency: NPE %.2f %%, GNPE %.2f %% (GNPE/NPE = %.1f×)", 100 * npe, 100 * gnpe, gnpe / max(npe, 1e-12)))
}
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
