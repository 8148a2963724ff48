// Benchmark: the cost of keeping work while simulating (issue 11).
//
// Times `NPE.appendSimulations(count:seed:)` on the damped oscillator (200 values per
// simulation, Gaussian noise) in three modes, interleaved, each run in a fresh session directory:
//
// - `matrix`:     `SimulationModel.simulateFromPrior(count:using:)`, the one-shot engine that
//                 `appendSimulations` used before runs were done in blocks (for reference; it
//                 returns the simulations without storing them in an estimator);
// - `off`:        no session directory (nothing recorded, nothing kept);
// - `crash`:      a session directory with checkpoints disabled: only the crash context (per-thread
//                 slots recording each simulation's index and θ for the signal handler);
// - `checkpoint`: a session directory with a 0.2 s checkpoint interval (crash context and `.npy`
//                 checkpoints, 25 times as often as the default 5 s: the worst case of a long run).
//
// Prints each run, the median wall and CPU (user + system) time per mode, the overhead of each
// mode against `off` (CPU time is the steadier figure on a shared machine), and as its last line
// one JSON object. Build in release: `swift build -c release --product simulation-benchmark`.
//
// `--repeats K` makes the simulator K times slower (it computes the signal K times), to see the
// checkpoints of a simulator slow enough to be worth keeping: for the plain oscillator (a few µs
// per simulation, 1.6 KB of output) writing costs more than a tenth of simulating, so its runs
// are not checkpointed (see SimulationCheckpointWriter's write budget).
//
// Usage: simulation-benchmark [--count N] [--runs R] [--repeats K]

import Foundation
import Inference
import TensorCore

var count = 100_000
var runs = 5
var repeats = 1
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--count": count = Int(arguments.popFirst() ?? "") ?? count
    case "--runs": runs = Int(arguments.popFirst() ?? "") ?? runs
    case "--repeats": repeats = max(1, Int(arguments.popFirst() ?? "") ?? repeats)
    default:
        FileHandle.standardError.write(Data("usage: simulation-benchmark [--count N] [--runs R] [--repeats K]\n".utf8))
        exit(2)
    }
}

let model =
    repeats == 1
    ? try DampedOscillator.model()
    : try SimulationModel {
        Parameter("omega0", Uniform(1, 5))
        Parameter("beta", Uniform(0.05, 0.5))
        Parameter("t0", Uniform(-2, 2))
        Simulator(outputLength: 200) { θ, _ in
            var x = DampedOscillator.signal(omega0: θ[0], beta: θ[1], t0: θ[2])
            for _ in 1..<repeats { x[0] += 0 * DampedOscillator.signal(omega0: θ[0], beta: θ[1], t0: θ[2])[0] }
            return x
        }
        NoiseModel.gaussian(sigma: DampedOscillator.noiseSigma)
    }
enum Mode: String, CaseIterable { case matrix, off, crash, checkpoint }

/// The checkpoint parts the last `checkpoint` run wrote.
var partsWritten = 0

/// CPU seconds (user + system) of the process so far: less sensitive than wall time to other
/// processes on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// The CPU seconds of the last run.
var lastCPU = 0.0

/// Wall seconds for one run in `mode` (its CPU seconds go to `lastCPU`).
func time(_ mode: Mode) throws -> Double {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "simulation-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let npe = NPE(model: model)
    let cpuStart = cpuSeconds()
    let start = Date()
    switch mode {
    case .matrix:
        var rng = RandomSource(seed: 1)
        _ = try model.simulateFromPrior(count: count, using: &rng)
    case .off: try SessionStore.withDirectory(nil) { _ = try npe.appendSimulations(count: count, seed: 1) }
    case .crash:
        try SessionStore.withDirectory(directory, checkpointInterval: .infinity) {
            _ = try npe.appendSimulations(count: count, seed: 1)
        }
    case .checkpoint:
        try SessionStore.withDirectory(directory, checkpointInterval: 0.2) {
            _ = try npe.appendSimulations(count: count, seed: 1)
        }
    }
    let seconds = Date().timeIntervalSince(start)
    lastCPU = cpuSeconds() - cpuStart
    if mode == .checkpoint {
        let kept = directory.appendingPathComponent("kept")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: kept.path)) ?? []
        partsWritten = files.filter { $0.contains("/parameters-") }.count
    }
    return seconds
}

_ = try time(.off)  // warm up
var times: [Mode: [Double]] = [:]
var cpuTimes: [Mode: [Double]] = [:]
for run in 1...runs {
    for mode in Mode.allCases {
        let t = try time(mode)
        times[mode, default: []].append(t)
        cpuTimes[mode, default: []].append(lastCPU)
        let parts = mode == .checkpoint ? ", \(partsWritten) checkpoint parts" : ""
        print(
            "run \(run) \(mode.rawValue): \(String(format: "%.3f", t)) s (\(String(format: "%.2f", t / Double(count) * 1e6)) µs per simulation\(parts))"
        )
    }
}
func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s[s.count / 2]
}
let base = median(times[.off] ?? [1])  // overheads are against `off`
let cpuBase = median(cpuTimes[.off] ?? [1])
var json: [String] = ["\"count\": \(count)", "\"runs\": \(runs)", "\"repeats\": \(repeats)"]
for mode in Mode.allCases {
    let m = median(times[mode] ?? [0])
    let c = median(cpuTimes[mode] ?? [0])
    print(
        "median \(mode.rawValue): \(String(format: "%.3f", m)) s wall (\(String(format: "%+.2f", (m / base - 1) * 100)) %), "
            + "\(String(format: "%.3f", c)) s CPU (\(String(format: "%+.2f", (c / cpuBase - 1) * 100)) %) against off")
    json.append("\"\(mode.rawValue)_s\": \(String(format: "%.4f", m))")
    json.append("\"\(mode.rawValue)_cpu_s\": \(String(format: "%.4f", c))")
}
print("{" + json.joined(separator: ", ") + "}")
