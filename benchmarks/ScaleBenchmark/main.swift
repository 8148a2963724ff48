// scale-benchmark: the figures of training at gravitational-wave scale (issue 10).
//
//   scale-benchmark append <count> <length>   stores <count> simulations of <length> values (a cheap
//       simulator, 11 parameters, Gaussian noise) in an NPE and prints the bytes per simulation;
//       run it under `/usr/bin/time -v` for the peak RSS.
//   scale-benchmark noise <count> <length>   time of one epoch's batch data: gathering the stored
//       rows, and adding fresh Gaussian noise to stored signals (settings.noise = .freshEachEpoch).
//   scale-benchmark throughput [--threads N] [--parts N] [--steps N]   training throughput
//       (samples/s) of a flow on 1,300-long inputs with DINGO's reduced-basis embedding and with
//       the default MLP embedding, batch 256: N BLAS threads on one batch (--threads), or the
//       batch cut into N parts on N threads with one BLAS thread each (--parts; the trainer's
//       data parallelism, TrainingSettings.threadCount).
//   scale-benchmark sampling [--rows N]   sampling time of the throughput benchmark's NSF on the
//       reduced-basis embedding, one observation per row (as a GNPE Gibbs step): N rows at once
//       (parts of 1,024 rows on all cores) against the same rows 1,024 at a time one after another
//       (one core); the samples are identical. Medians of 5.
//
// The last line is one JSON object with the figures.

import Flows
import Foundation
@testable import Inference   // the store's batch-data step (the package builds with -enable-testing)
import TensorCore

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    if let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) { return v }
    return fallback
}

func append(count: Int, length: Int) throws {
    let model = try SimulationModel {
        for k in 0 ..< 11 { Parameter("p\(k)", Uniform(0, 1)) }
        Simulator(outputLength: length) { θ, _ in (0 ..< length).map { j in θ[j % 11] } }
        NoiseModel.gaussian(sigma: 0.1)
    }
    let npe = NPE(model: model)
    let start = Date()
    try npe.appendSimulations(count: count, seed: 1)
    let seconds = Date().timeIntervalSince(start)
    // The store: θ as Float64, x as Float32 (before this change: both Float64).
    let bytesPerSimulation = 8 * model.parameterCount + 4 * length
    print("stored \(npe.simulationCount) simulations of \(length) values in \(String(format: "%.1f", seconds)) s; "
        + "\(bytesPerSimulation) bytes per simulation")
    print("{\"count\": \(npe.simulationCount), \"length\": \(length), \"bytes_per_simulation\": \(bytesPerSimulation)}")
}

func noise(count: Int, length: Int) throws {
    let model = try SimulationModel {
        for k in 0 ..< 11 { Parameter("p\(k)", Uniform(0, 1)) }
        Simulator(outputLength: length) { θ, _ in (0 ..< length).map { j in θ[j % 11] } }
        NoiseModel.gaussian(sigma: 0.1)
    }
    var figures: [String: Double] = [:]
    for mode in [TrainingNoise.fixed, .freshEachEpoch] {
        let npe = NPE(model: model)
        npe.settings.noise = mode
        try npe.appendSimulations(count: count, seed: 1)
        var rng = RandomSource(seed: 2)
        let rows = Array(0 ..< count)
        let start = Date()
        let x = try npe.simulations.trainingData(rows: rows, noise: mode, seed: 0, using: &rng)
        let seconds = Date().timeIntervalSince(start)
        print("\(mode.rawValue): one epoch's data for \(count) simulations of \(length) values in \(String(format: "%.2f", seconds)) s (\(x.count) values)")
        figures[mode.rawValue] = seconds
    }
    print("{\"gather_s\": \(figures["fixed"] ?? 0), \"fresh_noise_s\": \(figures["freshEachEpoch"] ?? 0)}")
}

func throughput(threads: Int, parts: Int, steps: Int) throws {
    BLAS.setThreadCount(parts > 1 ? 1 : threads)
    let n = 4096, m = 1300, d = 11, batch = 256
    var rng = RandomSource(seed: 7)
    let theta = Tensor(randomUniform: [n, d], low: -1, high: 1, using: &rng)
    var x = Tensor(zeros: [n, m])
    for i in 0 ..< n {
        for j in 0 ..< m {
            x.scalars[i * m + j] = theta[i, j % d] * Float.sin(Float(j) * 0.01 * Float(1 + j % 3)) + 0.3 * Float(rng.nextNormal())
        }
    }
    var results: [String: Double] = [:]
    let embeddings: [(String, EmbeddingArchitecture)] = [
        ("mlp", .defaultMLP(observationLength: m)),
        // 2 channels of 650 values (e.g. two detectors' re/im over 325 bins), 64 coefficients
        // each, residual blocks of 256, 256, 128, as a reduced DINGO network.
        ("reduced_basis", .reducedBasis(channels: 2, lengthPerChannel: 650, basisSize: 64, residualWidths: [256, 256, 128],
                                        outputFeatures: 64)),
    ]
    for (name, embedding) in embeddings {
        let flow = try ConditionalFlow(architecture: FlowArchitecture(
            kind: .neuralSpline, parameterFeatures: d, embedding: embedding, transformCount: 5, hiddenFeatures: 128))
        try flow.fitStandardization(parameters: theta, observations: x)
        if let net = flow.embedding as? ReducedBasisEmbedding {
            let svdStart = Date()
            try net.initializeBasis(fromSignals: flow.observationStandardization.apply(x.gatheringRows(Array(0 ..< 2000))))
            print("\(name): SVD initialisation from 2,000 signals: \(String(format: "%.2f", Date().timeIntervalSince(svdStart))) s")
        }
        let optimizer = Adam(parameters: flow.parameters, learningRate: 5e-4)
        let parallel = DataParallelGradients(flow: flow, parts: parts)
        var order = Array(0 ..< n)
        func step(_ k: Int) throws {
            if k % (n / batch) == 0 { order.shuffle(using: &rng) }
            let rows = Array(order[(k % (n / batch)) * batch ..< (k % (n / batch) + 1) * batch])
            flow.parameters.zeroGradients()
            let random = RandomSource(seed: UInt64(k))
            _ = try parallel?.lossAndGradients(of: theta.gatheringRows(rows), given: x.gatheringRows(rows), random: random)
                ?? flow.lossAndGradients(of: theta.gatheringRows(rows), given: x.gatheringRows(rows), random: random)
            optimizer.step()
        }
        try step(0)   // warm-up
        let start = Date()
        for k in 1 ... steps { try step(k) }
        let seconds = Date().timeIntervalSince(start)
        let rate = Double(steps * batch) / seconds
        let parameterCount = flow.parameters.reduce(0) { $0 + $1.value.count }
        print("\(name): \(String(format: "%.0f", rate)) samples/s (batch \(batch), \(parts > 1 ? "\(parts) parts on as many threads" : "\(threads) BLAS threads"), \(parameterCount) weights)")
        results[name] = rate
    }
    print("{\"mlp_samples_per_s\": \(Int(results["mlp"] ?? 0)), \"reduced_basis_samples_per_s\": \(Int(results["reduced_basis"] ?? 0))}")
}

func sampling(rows: Int) throws {
    let m = 1300, d = 11
    var rng = RandomSource(seed: 7)
    let x = Tensor(randomNormal: [rows, m], using: &rng)
    let flow = try ConditionalFlow(architecture: FlowArchitecture(
        kind: .neuralSpline, parameterFeatures: d,
        embedding: .reducedBasis(channels: 2, lengthPerChannel: 650, basisSize: 64, residualWidths: [256, 256, 128],
                                 outputFeatures: 64),
        transformCount: 5, hiddenFeatures: 128))
    func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0 ..< 5 {
            let start = Date()
            try body()
            times.append(Date().timeIntervalSince(start))
        }
        return times.sorted()[2]
    }
    var all = Tensor(zeros: [0]), pieces: [Float] = []
    let together = try median {
        var r = RandomSource(seed: 1)
        all = try flow.sample(given: x, using: &r)
    }
    let oneAfterAnother = try median {
        var r = RandomSource(seed: 1)
        let z = Tensor(randomNormal: [rows, d], using: &r)   // the same base draws as above
        pieces = []
        for start in stride(from: 0, to: rows, by: 1_024) {
            let range = start ..< min(rows, start + 1_024)
            pieces += try flow.inverse(z.slicingRows(range), given: x.slicingRows(range)).scalars
        }
    }
    let same = zip(all.scalars, pieces).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
    print(String(format: "sampling %d rows, one observation each: %.3f s in parts on %d cores, %.3f s one part after another (%.2f×); samples %@",
                 rows, together, ProcessInfo.processInfo.activeProcessorCount, oneAfterAnother, oneAfterAnother / together,
                 same ? "identical" : "DIFFER"))
    print("{\"rows\": \(rows), \"parallel_s\": \(together), \"sequential_s\": \(oneAfterAnother), \"identical\": \(same)}")
}

do {
    switch arguments.dropFirst().first {
    case "append": try append(count: Int(arguments.count > 2 ? arguments[2] : "") ?? 200_000, length: Int(arguments.count > 3 ? arguments[3] : "") ?? 1300)
    case "noise": try noise(count: Int(arguments.count > 2 ? arguments[2] : "") ?? 100_000, length: Int(arguments.count > 3 ? arguments[3] : "") ?? 1300)
    case "sampling": try sampling(rows: option("--rows", 10_000))
    case "throughput": try throughput(threads: option("--threads", 2), parts: option("--parts", 1), steps: option("--steps", 40))
    default:
        FileHandle.standardError.write(Data("usage: scale-benchmark append <count> <length> | noise <count> <length> | throughput [--threads N] [--parts N] [--steps N] | sampling [--rows N]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
