// conv-benchmark: throughput of the 1-D convolutional embedding on the autodiff tape
// (`EmbeddingArchitecture.convolutional`, the sizes of NPE's `defaultConvolutional(observationLength: 200)`:
// channels 1 → 8 → 16, kernel 5, max pooling by 2, a 128-unit layer to 32 features), on batches
// of 200 observations of length 200, and of a masked autoregressive flow trained on top of it.
//
// Usage: conv-benchmark [--repetitions N] [--batches N] [--threads N] [--only embedding|convolution|flow]
// (`--only` runs one group of measurements, e.g. under a profiler; the others print as 0.)
// Prints one line per measurement (medians over the repetitions) and one JSON object on its last
// line.

import Flows
import Foundation
import TensorCore

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    if let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) { return v }
    return fallback
}
let repetitions = option("--repetitions", 5)
let batchesPerRepetition = option("--batches", 20)
let threads = option("--threads", 1)
BLAS.setThreadCount(threads)
let only = arguments.firstIndex(of: "--only").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
func runs(_ group: String) -> Bool { only == nil || only == group }

let batch = 200, length = 200, parameterCount = 4
let architecture = EmbeddingArchitecture.convolutional(
    channels: 1, length: length, convolutionChannels: [8, 16], kernelSize: 5, poolSize: 2,
    hidden: [128], outputFeatures: 32, activation: .relu)

var rng = RandomSource(seed: 2025)
let x = Tensor(randomUniform: [batch, length], low: -2, high: 2, using: &rng)
let theta = Tensor(randomUniform: [batch, parameterCount], low: -1, high: 1, using: &rng)

func now() -> Double { Date().timeIntervalSince1970 }
/// User + system CPU seconds of this process: a steadier clock than the wall on a shared machine
/// (with one BLAS thread the work is single-threaded, so CPU time is the time it would take alone).
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }

/// Median samples per wall second and per CPU second of `body` (one call = one batch) over the
/// repetitions, after one warm-up batch.
func measure(_ group: String, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    guard runs(group) else { return (0, 0) }
    try body()
    var wall = [Double](), cpu = [Double]()
    for _ in 0..<repetitions {
        let t0 = now(), c0 = cpuNow()
        for _ in 0..<batchesPerRepetition { try body() }
        wall.append(Double(batchesPerRepetition * batch) / (now() - t0))
        cpu.append(Double(batchesPerRepetition * batch) / (cpuNow() - c0))
    }
    return (median(wall), median(cpu))
}

// MARK: - Embedding forward + backward

let network = architecture.makeNetwork(using: &rng)
let embedding = measure("embedding") {
    network.parameters.zeroGradients()
    let tape = Tape(isTraining: true)
    let y = network.embed(tape.constant(x), on: tape)
    tape.backward(from: tape.sum(y))
}
let embeddingForward = measure("embedding") {
    let tape = Tape(isTraining: true)
    _ = network.embed(tape.constant(x), on: tape)
}

// MARK: - The convolutions alone (second layer: 8 → 16 channels on length 100)

let x2 = Tensor(randomUniform: [batch, 8, length / 2], low: -1, high: 1, using: &rng)
let w2 = Tensor(randomUniform: [16, 8 * 5], low: -0.3, high: 0.3, using: &rng)
let b2 = Tensor(randomUniform: [16], low: -0.3, high: 0.3, using: &rng)
let convolutionForward = measure("convolution") {
    let tape = Tape()
    _ = tape.convolved1D(tape.constant(x2), weight: tape.constant(w2), bias: tape.constant(b2), kernelSize: 5, padding: 2)
}
let convolutionForwardBackward = measure("convolution") {
    let tape = Tape()
    let y = tape.convolved1D(tape.variable(x2), weight: tape.variable(w2), bias: tape.variable(b2), kernelSize: 5, padding: 2)
    tape.backward(from: tape.sum(y))
}
let poolForwardBackward = measure("convolution") {
    let tape = Tape()
    let y = tape.maxPooled1D(tape.variable(x2), size: 2)
    tape.backward(from: tape.sum(y))
}

// MARK: - A masked autoregressive flow trained on the embedding

let flow = try ConditionalFlow(architecture: FlowArchitecture(
    kind: .maskedAutoregressive, parameterFeatures: parameterCount, embedding: architecture, seed: 1))
try flow.fitStandardization(parameters: theta, observations: x)
let adam = Adam(parameters: flow.parameters, learningRate: 5e-4)
let training = try measure("flow") {
    flow.parameters.zeroGradients()
    _ = try flow.lossAndGradients(of: theta, given: x)
    _ = flow.parameters.clipGradientNorm(to: 5)
    adam.step()
}

let results: [(key: String, label: String, rate: (wall: Double, cpu: Double))] = [
    ("embedding_forward_backward", "CNN embedding forward+backward", embedding),
    ("embedding_forward", "CNN embedding forward", embeddingForward),
    ("conv_forward", "conv 8→16 (length 100) forward", convolutionForward),
    ("conv_forward_backward", "conv 8→16 (length 100) forward+backward", convolutionForwardBackward),
    ("pool_forward_backward", "max pool (8 × 100) forward+backward", poolForwardBackward),
    ("flow_training", "MAF + CNN embedding training step", training),
]
for r in results where r.rate.wall > 0 {
    print(r.label.padding(toLength: 42, withPad: " ", startingAt: 0)
          + String(format: "%9.0f samples/s wall, %9.0f samples/CPU-s", r.rate.wall, r.rate.cpu))
}
let fields = results.map { String(format: "\"%@\": %.1f, \"%@_cpu\": %.1f", $0.key, $0.rate.wall, $0.key, $0.rate.cpu) }
print("{" + fields.joined(separator: ", ") + ", \"threads\": \(threads), \"repetitions\": \(repetitions)}")
