// conv-benchmark: throughput of the 1-D convolutional embedding on the autodiff tape
// (`EmbeddingArchitecture.convolutional`, the sizes of NPE's `defaultConvolutional(observationLength: 200)`:
// channels 1 → 8 → 16, kernel 5, max pooling by 2, a 128-unit layer to 32 features), on batches
// of 200 observations of length 200, and of a masked autoregressive flow trained on top of it.
//
// Usage: conv-benchmark [--repetitions N] [--batches N] [--threads N]
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

let batch = 200, length = 200, parameterCount = 4
let architecture = EmbeddingArchitecture.convolutional(
    channels: 1, length: length, convolutionChannels: [8, 16], kernelSize: 5, poolSize: 2,
    hidden: [128], outputFeatures: 32, activation: .relu)

var rng = RandomSource(seed: 2025)
let x = Tensor(randomUniform: [batch, length], low: -2, high: 2, using: &rng)
let theta = Tensor(randomUniform: [batch, parameterCount], low: -1, high: 1, using: &rng)

func now() -> Double { Date().timeIntervalSince1970 }
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }

/// Median samples/s of `body` (one call = one batch) over the repetitions, after one warm-up batch.
func measure(_ body: () throws -> Void) rethrows -> Double {
    try body()
    var rates = [Double]()
    for _ in 0..<repetitions {
        let t0 = now()
        for _ in 0..<batchesPerRepetition { try body() }
        rates.append(Double(batchesPerRepetition * batch) / (now() - t0))
    }
    return median(rates)
}

// MARK: - Embedding forward + backward

let network = architecture.makeNetwork(using: &rng)
let embedding = measure {
    network.parameters.zeroGradients()
    let tape = Tape(isTraining: true)
    let y = network.embed(tape.constant(x), on: tape)
    tape.backward(from: tape.sum(y))
}
let embeddingForward = measure {
    let tape = Tape(isTraining: true)
    _ = network.embed(tape.constant(x), on: tape)
}

// MARK: - The convolutions alone (second layer: 8 → 16 channels on length 100)

let x2 = Tensor(randomUniform: [batch, 8, length / 2], low: -1, high: 1, using: &rng)
let w2 = Tensor(randomUniform: [16, 8 * 5], low: -0.3, high: 0.3, using: &rng)
let b2 = Tensor(randomUniform: [16], low: -0.3, high: 0.3, using: &rng)
let convolutionForward = measure {
    let tape = Tape()
    _ = tape.convolved1D(tape.constant(x2), weight: tape.constant(w2), bias: tape.constant(b2), kernelSize: 5, padding: 2)
}
let convolutionForwardBackward = measure {
    let tape = Tape()
    let y = tape.convolved1D(tape.variable(x2), weight: tape.variable(w2), bias: tape.variable(b2), kernelSize: 5, padding: 2)
    tape.backward(from: tape.sum(y))
}
let poolForwardBackward = measure {
    let tape = Tape()
    let y = tape.maxPooled1D(tape.variable(x2), size: 2)
    tape.backward(from: tape.sum(y))
}

// MARK: - A masked autoregressive flow trained on the embedding

let flow = try ConditionalFlow(architecture: FlowArchitecture(
    kind: .maskedAutoregressive, parameterFeatures: parameterCount, embedding: architecture, seed: 1))
try flow.fitStandardization(parameters: theta, observations: x)
let adam = Adam(parameters: flow.parameters, learningRate: 5e-4)
let training = try measure {
    flow.parameters.zeroGradients()
    _ = try flow.lossAndGradients(of: theta, given: x)
    _ = flow.parameters.clipGradientNorm(to: 5)
    adam.step()
}

print(String(format: "embedding forward+backward: %.0f samples/s", embedding))
print(String(format: "embedding forward:          %.0f samples/s", embeddingForward))
print(String(format: "conv 8→16 (len 100) forward:          %.0f samples/s", convolutionForward))
print(String(format: "conv 8→16 (len 100) forward+backward: %.0f samples/s", convolutionForwardBackward))
print(String(format: "max pool (8×100) forward+backward:    %.0f samples/s", poolForwardBackward))
print(String(format: "MAF + conv embedding training step:   %.0f samples/s", training))
print(String(format: "{\"embedding_forward_backward\": %.1f, \"embedding_forward\": %.1f, \"conv_forward\": %.1f, \"conv_forward_backward\": %.1f, \"pool_forward_backward\": %.1f, \"flow_training\": %.1f, \"threads\": %d, \"repetitions\": %d}",
             embedding, embeddingForward, convolutionForward, convolutionForwardBackward, poolForwardBackward, training, threads, repetitions))
