import Foundation
import Testing
import TensorCore
@testable import Inference

/// Timing of the reference sampler on the oscillator study's setting (10,000 samples per
/// observation). Not a timing goal: it only prints figures. Run with
/// `GNPE_TIMING=1 swift test -c release --filter ReferencePosteriorTiming`.
@Suite struct ReferencePosteriorTiming {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GNPE_TIMING"] == "1"))
    func oscillatorReferencePosteriors() throws {
        let (parameters, observations) = DampedOscillator.fixedObservations()
        var times: [Double] = []
        for obs in 0 ..< 10 {
            let theta = parameters.row(obs)
            let x = observations.row(obs)
            var results: [TemperedSMCSampler.Result] = []
            for seed in [1, 2] as [UInt64] {
                var r = RandomSource(seed: seed)
                let start = Date()
                let result = try DampedOscillator.referencePosterior(observation: x, using: &r)
                times.append(Date().timeIntervalSince(start))
                results.append(result)
            }
            let f = { (v: Double) in String(format: "%.4f", v) }
            print("observation \(obs): θ = \(theta.map(f)); stages \(results[0].temperatures.count - 1), evaluations \(results[0].likelihoodEvaluations), time \(String(format: "%.2f", times[times.count - 2])) s")
            for (k, r) in results.enumerated() {
                let m = r.samples.columnMeans, c = r.samples.columnCovariance
                print("  run \(k): mean \(m.map(f)) sd \((0 ..< 3).map { f(c[$0][$0].squareRoot()) }) logZ \(f(r.logEvidence)) acceptance \(r.acceptanceRates.map { String(format: "%.2f", $0) }.joined(separator: " "))")
            }
        }
        print("{\"reference_seconds_per_observation\": \(String(format: "%.3f", times.reduce(0, +) / Double(times.count)))}")
    }
}
