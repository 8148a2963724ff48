// Benchmark: the cost of keeping work while simulating (issue 11).
//
// Times `NPE.appendSimulations(count:seed:)` on the damped oscillator (200 values per
// simulation, Gaussian noise) in three modes, interleaved, each run in a fresh session directory:
//
// - `off`:        no session directory (nothing recorded, nothing kept);
// - `crash`:      a session directory with checkpoints disabled: only the crash context (per-thread
//                 slots recording each simulation's index and θ for the signal handler);
// - `checkpoint`: a session directory with a 0.2 s checkpoint interval (crash context and `.npy`
//                 checkpoints, 25 times as often as the default 5 s: the worst case of a long run).
//
// Prints each run, the median per mode, the overhead of each mode against `off`, and as its last
// line one JSON object. Build in release: `swift build -c release --product simulation-benchmark`.
//
// Usage: simulation-benchmark [--count N] [--runs R]

import Foundation
import Inference

var count = 100_000
var runs = 5
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--count": count = Int(arguments.popFirst() ?? "") ?? count
    case "--runs": runs = Int(arguments.popFirst() ?? "") ?? runs
    default:
        FileHandle.standardError.write(Data("usage: simulation-benchmark [--count N] [--runs R]\n".utf8))
        exit(2)
    }
}

let model = try DampedOscillator.model()
enum Mode: String, CaseIterable { case off, crash, checkpoint }

/// Seconds for one run in `mode`.
func time(_ mode: Mode) throws -> Double {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulation-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let npe = NPE(model: model)
    let start = Date()
    switch mode {
    case .off: try SessionStore.withDirectory(nil) { _ = try npe.appendSimulations(count: count, seed: 1) }
    case .crash: try SessionStore.withDirectory(directory, checkpointInterval: .infinity) { _ = try npe.appendSimulations(count: count, seed: 1) }
    case .checkpoint: try SessionStore.withDirectory(directory, checkpointInterval: 0.2) { _ = try npe.appendSimulations(count: count, seed: 1) }
    }
    return Date().timeIntervalSince(start)
}

_ = try time(.off)   // warm up
var times: [Mode: [Double]] = [:]
for run in 1 ... runs {
    for mode in Mode.allCases {
        let t = try time(mode)
        times[mode, default: []].append(t)
        print("run \(run) \(mode.rawValue): \(String(format: "%.3f", t)) s (\(String(format: "%.2f", t / Double(count) * 1e6)) µs per simulation)")
    }
}
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
let base = median(times[.off] ?? [1])
var json: [String] = ["\"count\": \(count)", "\"runs\": \(runs)"]
for mode in Mode.allCases {
    let m = median(times[mode] ?? [0])
    let overhead = (m / base - 1) * 100
    print("median \(mode.rawValue): \(String(format: "%.3f", m)) s, \(String(format: "%+.2f", overhead)) % against off")
    json.append("\"\(mode.rawValue)_s\": \(String(format: "%.4f", m))")
}
print("{" + json.joined(separator: ", ") + "}")
