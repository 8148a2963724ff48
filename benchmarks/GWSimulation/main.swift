// gw-simulation-benchmark: the binary-black-hole network's simulation rate (one thread, and a
// batch on all cores through SimulationModel.simulate), the share of the waveform in it, the
// likelihood rate, the bytes per simulation stored as Float32, and the optimal network SNR over
// the prior. Usage: gw-simulation-benchmark [count [snrDraws]]   (defaults 2000, 5000)
// Output: lines of figures, then one JSON object on the last line.
import Foundation
import GravitationalWaves
import Inference
import Spectral
import TensorCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = arguments.count > 0 ? arguments[0] : 2000
let snrDraws = arguments.count > 1 ? arguments[1] : 5000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The last error of a parallel loop.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var error: Error? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))]
}

do {
    let network = try BinaryBlackHoleNetwork(.reduced)
    let model = try network.simulationModel()
    var rng = RandomSource(seed: 2024)
    let thetas = model.prior.sample(count: count, using: &rng)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("configuration: \(network.detectors.map(\.name).joined(separator: ", ")), \(network.grid), \(network.bandBinCount) bins per detector, \(network.outputLength) values per simulation")
    let bytes = 4 * (network.outputLength + network.parameterCount)
    print(String(format: "Float32 storage: %d bytes per simulation (%d data + %d parameters); 10^6 simulations = %.2f GB",
                 bytes, 4 * network.outputLength, 4 * network.parameterCount, Double(bytes) * 1e6 / 1e9))

    // One thread: a plain loop of single simulations (noise included).
    _ = try model.simulate(thetas.row(0), using: &rng)
    var checksum = 0.0
    let single = try seconds {
        for i in 0..<count { checksum += try model.simulate(thetas.row(i), using: &rng)[7] }
    }
    // The waveform alone, one thread.
    let waveform = try seconds {
        for i in 0..<count {
            checksum += try network.waveform.polarizations(of: network.binary(from: thetas.row(i)), on: network.grid).plus.real[100]
        }
    }
    // The noise-free whitened signal alone, one thread (waveform, projection, time shifts, whitening).
    let signalOnly = try seconds {
        for i in 0..<count { checksum += try network.signal(thetas.row(i))[7] }
    }
    // One plain loop per core, each over its share of the rows (no batch bookkeeping).
    let perCore = try seconds {
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: cores) { c in
            var local = RandomSource(seed: UInt64(c + 1))
            for i in stride(from: c, to: count, by: cores) {
                do { _ = try model.simulate(thetas.row(i), using: &local) } catch { errors.error = error }
            }
        }
        if let error = errors.error { throw error }
    }
    // A batch on all cores (what appendSimulations runs).
    let batch = try seconds { checksum += try model.simulate(thetas, using: &rng).data[0, 0] }
    print(String(format: "simulation: %.0f /s on 1 thread (%.1f µs each: waveform %.1f µs, whole noise-free signal %.1f µs, the rest is the unit noise and checks), %.0f /s on %d cores (batch of %d)",
                 Double(count) / single, single / Double(count) * 1e6, waveform / Double(count) * 1e6,
                 signalOnly / Double(count) * 1e6, Double(count) / batch, cores, count))

    let x = try model.simulate(thetas.row(0), using: &rng)
    let likelihood = try seconds { checksum += try network.logLikelihoods(of: thetas, given: x)[1] }
    print(String(format: "simulation in %d plain loops, one per core: %.0f /s", cores, Double(count) / perCore))
    print(String(format: "likelihood: %.0f evaluations/s on %d cores", Double(count) / likelihood, cores))

    // Optimal network SNR over the prior.
    let draws = model.prior.sample(count: snrDraws, using: &rng)
    var snrs = try (0..<draws.rows).map { i in
        try network.optimalSNRs(of: draws.row(i)).reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
    snrs.sort()
    let above = { (threshold: Double) in Double(snrs.filter { $0 >= threshold }.count) / Double(snrs.count) }
    print(String(format: "network SNR over %d prior draws: 5%% %.1f, 25%% %.1f, median %.1f, 75%% %.1f, 95%% %.1f, max %.1f; ≥ 8: %.0f %%, ≥ 10: %.0f %%, ≥ 50: %.1f %%",
                 snrDraws, percentile(snrs, 5), percentile(snrs, 25), percentile(snrs, 50), percentile(snrs, 75),
                 percentile(snrs, 95), snrs.last!, 100 * above(8), 100 * above(10), 100 * above(50)))
    print(String(format: "[checksum %.3e]", checksum))
    print("{\"simulations_per_s_1_thread\": \(Double(count) / single), \"simulations_per_s_all_cores\": \(Double(count) / batch), \"simulations_per_s_plain_loops_all_cores\": \(Double(count) / perCore), \"cores\": \(cores), \"waveform_share\": \(waveform / single), \"signal_share\": \(signalOnly / single), \"likelihoods_per_s\": \(Double(count) / likelihood), \"bytes_per_simulation_float32\": \(bytes), \"snr_median\": \(percentile(snrs, 50)), \"snr_p5\": \(percentile(snrs, 5)), \"snr_p95\": \(percentile(snrs, 95))}")
} catch {
    print("error: \(error)")
    exit(1)
}
