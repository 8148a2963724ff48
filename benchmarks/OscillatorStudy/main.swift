// The damped-oscillator study of issue 5 (the toy example of Dax et al., ICLR 2022,
// arXiv 2111.13139, with this project's settings): NPE with an MLP embedding, NPE with a 1-D
// convolutional embedding and GNPE with the MLP embedding, trained on 10³, 10⁴ and 10⁵
// simulations, compared by c2st (sbibm's definition) against reference posteriors (tempered SMC
// with the exact likelihood) on 10 fixed observations.
//
// Seeds (the same everywhere): observations `DampedOscillator.fixedObservations(seed: 2024)`;
// reference for observation i: SMC seed 5000 + i (cached under .build/oscillator-references/);
// training simulations for a budget: seed 1 (so the three methods see the same simulations per
// budget); training seed 0; posterior samples for observation i: seed 100 + i; c2st seed 7.
//
// Prints a table (method × budget → c2st mean ± sd, training time, time to draw 10,000 samples)
// and, as its last line, one JSON object
// {"c2st": {"npe_mlp": {"1000": …}, …}, "c2st_sd": {…}, "train_s": {…}, "sample_s": {…}}.
// Run it through `benchmarks/oscillator-study`, which builds in release first.

import Foundation
import Inference
import TensorCore

setvbuf(stdout, nil, _IOLBF, 0)

func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let options: StudyOptions
do {
    options = try StudyOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    note("oscillator-study: \(error)")
    exit(2)
}

let observationSeed: UInt64 = 2024
// Always draw the study's 10 observations (more if asked) and use the first N, so a quick run
// evaluates a subset of the full study's observations (the draws depend on the count).
let drawn = DampedOscillator.fixedObservations(count: max(10, options.observations), seed: observationSeed)
let fixed = (
    parameters: drawn.parameters.selecting(rows: Array(0 ..< options.observations)),
    observations: drawn.observations.selecting(rows: Array(0 ..< options.observations)))
let cache = ReferenceCache(
    directory: options.referenceDirectory, observationSeed: observationSeed, referenceSeed: 5000,
    count: options.samples)

// MARK: - References

var references: [SampleMatrix] = []
let referenceStart = Date()
var sampledReferences = 0
for i in 0 ..< options.observations {
    let (samples, cached) = try cache.samples(forObservation: i, observation: fixed.observations.row(i))
    if !cached { sampledReferences += 1 }
    references.append(samples)
}
if let directory = options.sampleDirectory {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try NumPyArray(fixed.observations).write(to: directory.appendingPathComponent("observations.npy"))
    try NumPyArray(fixed.parameters).write(to: directory.appendingPathComponent("truths.npy"))
    for (i, reference) in references.enumerated() {
        try NumPyArray(reference).write(to: directory.appendingPathComponent("reference-obs\(i).npy"))
    }
}
note(String(format: "references: %d observations (%d sampled, %d cached) in %.1f s",
           options.observations, sampledReferences, options.observations - sampledReferences,
           Date().timeIntervalSince(referenceStart)))

// MARK: - Methods

/// One cell of the table: c2st per observation, training and sampling times.
struct Cell {
    var c2st: [Double] = []
    var trainSeconds = 0.0
    var sampleSeconds: [Double] = []
    var epochs = 0

    var mean: Double { c2st.reduce(0, +) / Double(max(c2st.count, 1)) }
    var sd: Double {
        guard c2st.count > 1 else { return 0 }
        let m = mean
        return (c2st.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(c2st.count - 1)).squareRoot()
    }
    var meanSampleSeconds: Double { sampleSeconds.reduce(0, +) / Double(max(sampleSeconds.count, 1)) }
}

// NPE ignores the equivariance; GNPE reads its kernel from the model.
let model = try DampedOscillator.model(kernel: .uniform(width: options.kernelWidth), interpolation: options.interpolation)
let simulationSeed: UInt64 = 1
let c2st = ClassifierTwoSampleTest(seed: 7)
var results: [StudyMethod: [Int: Cell]] = [:]

for budget in options.budgets {
    // All methods get the same simulations for a budget (same seed, same model).
    for method in options.methods {
        var cell = Cell()
        let trainStart = Date()
        let sampler = try trainMethod(method, budget: budget, seed: simulationSeed, options: options, model: model) { epochs in
            cell.epochs = epochs
        }
        cell.trainSeconds = Date().timeIntervalSince(trainStart)
        note("\(method.title) \(budget): " + String(format: "trained in %.1f s (%d epochs)", cell.trainSeconds, cell.epochs))
        for i in 0 ..< options.observations {
            let sampleStart = Date()
            let samples = try sampler(fixed.observations.row(i), options.samples, 100 + UInt64(i))
            cell.sampleSeconds.append(Date().timeIntervalSince(sampleStart))
            if let directory = options.sampleDirectory {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try NumPyArray(samples).write(to: directory.appendingPathComponent("\(method.rawValue)-\(budget)-obs\(i).npy"))
            }
            cell.c2st.append(try c2st.accuracy(references[i], samples))
            note(String(format: "  observation %d: c2st %.3f, sampling %.2f s; ", i, cell.c2st.last!, cell.sampleSeconds.last!)
                 + marginalComparison(samples, reference: references[i]))
        }
        results[method, default: [:]][budget] = cell
    }
}

/// Per parameter, the shift of the sample mean in reference standard deviations and the ratio
/// of standard deviations: where a high c2st comes from.
func marginalComparison(_ samples: SampleMatrix, reference: SampleMatrix) -> String {
    let m = samples.columnMeans, c = samples.columnCovariance
    let rm = reference.columnMeans, rc = reference.columnCovariance
    return zip(DampedOscillator.parameterNames.indices, DampedOscillator.parameterNames).map { j, name in
        let sd = rc[j][j].squareRoot()
        return String(format: "%@ Δmean %+.2f sd, sd ×%.2f", name, (m[j] - rm[j]) / sd, c[j][j].squareRoot() / sd)
    }.joined(separator: "; ")
}

// MARK: - Report

print("")
print("Damped-oscillator study: c2st against reference posteriors (mean ± sd over \(options.observations) observations)")
print("method     simulations   c2st            train (s)   epochs   sample \(options.samples) (s)")
for method in options.methods {
    for budget in options.budgets {
        guard let cell = results[method]?[budget] else { continue }
        let name = method.title.padding(toLength: 10, withPad: " ", startingAt: 0)
        print(name + String(format: " %11d   %.3f ± %.3f   %9.1f   %6d   %8.2f",
                            budget, cell.mean, cell.sd, cell.trainSeconds, cell.epochs, cell.meanSampleSeconds))
    }
}

func table(_ value: (Cell) -> Double, digits: Int) -> [String: [String: Double]] {
    var out: [String: [String: Double]] = [:]
    let scale = pow(10, Double(digits))
    for (method, cells) in results {
        out[method.rawValue] = Dictionary(uniqueKeysWithValues: cells.map { (String($0.key), (value($0.value) * scale).rounded() / scale) })
    }
    return out
}
let summary: [String: [String: [String: Double]]] = [
    "c2st": table(\.mean, digits: 4), "c2st_sd": table(\.sd, digits: 4),
    "train_s": table(\.trainSeconds, digits: 1), "sample_s": table(\.meanSampleSeconds, digits: 3),
]
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
print(String(decoding: try encoder.encode(summary), as: UTF8.self))
