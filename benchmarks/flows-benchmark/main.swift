// flows-benchmark: training and sampling throughput of this library's conditional flows on the
// benchmark problem of benchmarks/flows (3 parameters, 200-dimensional data, a 2×128 MLP
// embedding, NSF and MAF with 5 transforms). Run through `benchmarks/flows`, which compares it
// with the PyTorch reference on the same data.
//
// Usage: flows-benchmark <data-dir> [--epochs N] [--threads N]
// Writes <data-dir>/theta.f32 and x.f32 (little-endian float32, row-major) and prints one JSON
// object with the measurements on its last line.

import Flows
import Foundation
import TensorCore

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: flows-benchmark <data-dir> [--epochs N] [--threads N]\n".data(using: .utf8)!)
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
func option(_ name: String, _ fallback: Int) -> Int {
    if let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) { return v }
    return fallback
}
let epochs = option("--epochs", 3)
let threads = option("--threads", 1)
BLAS.setThreadCount(threads)

// MARK: - Data: θ ~ U(−1, 1)³, x_j = θ₀ + θ₁ sin(ω_j) + θ₂² cos(ω_j) + 0.1 ε, j < 200.

let n = 10_000, d = 3, m = 200
var rng = RandomSource(seed: 2024)
var theta = Tensor(randomUniform: [n, d], low: -1, high: 1, using: &rng)
var x = Tensor(zeros: [n, m])
for i in 0..<n {
    for j in 0..<m {
        let w = Float(j) * 0.05
        x.scalars[i * m + j] = theta[i, 0] + theta[i, 1] * sin(w) + theta[i, 2] * theta[i, 2] * cos(w)
            + 0.1 * Float(rng.nextNormal())
    }
}
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
func write(_ t: Tensor, _ name: String) throws {
    let data = t.scalars.withUnsafeBufferPointer { Data(buffer: $0) }
    try data.write(to: directory.appendingPathComponent(name))
}
try write(theta, "theta.f32")
try write(x, "x.f32")

// MARK: - Measurements

func peakResidentMegabytes() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan
        return kb / 1024
    }
    return .nan
}
func resetPeak() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }
func now() -> Double { Date().timeIntervalSince1970 }

struct Result { var train: Double; var sample: Double; var trainMB: Double; var sampleMB: Double; var loss: Float }

func run(_ kind: FlowArchitecture.Kind) throws -> Result {
    let arch = FlowArchitecture(
        kind: kind, parameterFeatures: d,
        embedding: .mlp(inputFeatures: m, hidden: [128, 128], outputFeatures: 20, activation: .relu),
        transformCount: 5, hiddenFeatures: 50, hiddenLayerCount: 2, binCount: 10, seed: 1)
    let flow = try ConditionalFlow(architecture: arch)
    try flow.fitStandardization(parameters: theta, observations: x)
    let adam = Adam(parameters: flow.parameters, learningRate: 5e-4)
    let batch = 200
    var order = Array(0..<n)
    var shuffle = RandomSource(seed: 7)
    var loss: Float = 0
    // One warm-up epoch, then timed epochs.
    resetPeak()
    var start = 0.0
    for epoch in 0...epochs {
        if epoch == 1 { start = now() }
        order.shuffle(using: &shuffle)
        for b in stride(from: 0, to: n, by: batch) {
            let rows = Array(order[b..<min(b + batch, n)])
            flow.parameters.zeroGradients()
            loss = try flow.lossAndGradients(of: theta.gatheringRows(rows), given: x.gatheringRows(rows))
            flow.parameters.clipGradientNorm(to: 5)
            adam.step()
        }
    }
    let train = Double(epochs * n) / (now() - start)
    let trainMB = peakResidentMegabytes()
    resetPeak()
    let observation = x.slicingRows(0..<1)
    var sampler = RandomSource(seed: 3)
    _ = try flow.sample(count: 1000, given: observation, using: &sampler)
    var best = Double.infinity
    for _ in 0..<3 {
        let t0 = now()
        let s = try flow.sample(count: 10_000, given: observation, using: &sampler)
        best = min(best, now() - t0)
        precondition(s.isFinite, "non-finite samples")
    }
    return Result(train: train, sample: 10_000 / best, trainMB: trainMB, sampleMB: peakResidentMegabytes(), loss: loss)
}

let maf = try run(.maskedAutoregressive)
let nsf = try run(.neuralSpline)
for (name, r) in [("MAF", maf), ("NSF", nsf)] {
    print(String(format: "swift %@: train %.0f samples/s (peak %.0f MB, last loss %.3f), sample %.0f samples/s (peak %.0f MB)",
                 name, r.train, r.trainMB, r.loss, r.sample, r.sampleMB))
}
print(String(format: "{\"train_maf\": %.1f, \"sample_maf\": %.1f, \"train_nsf\": %.1f, \"sample_nsf\": %.1f, \"train_peak_mb_maf\": %.1f, \"sample_peak_mb_maf\": %.1f, \"train_peak_mb_nsf\": %.1f, \"sample_peak_mb_nsf\": %.1f, \"threads\": %d}",
             maf.train, maf.sample, nsf.train, nsf.sample, maf.trainMB, maf.sampleMB, nsf.trainMB, nsf.sampleMB, threads))
