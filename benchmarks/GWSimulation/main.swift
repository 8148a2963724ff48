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

/// CPU seconds used by the whole process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds of the last `seconds(_:)` call: wall time × the cores it actually got.
var lastCPUSeconds = 0.0

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = processCPUSeconds()
    try body()
    lastCPUSeconds = processCPUSeconds() - cpuStart
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The last error of a parallel loop.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var error: Error? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            stored = newValue
            lock.unlock()
        }
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
    print(
        "configuration: \(network.detectors.map(\.name).joined(separator: ", ")), \(network.grid), \(network.bandBinCount) bins per detector, \(network.outputLength) values per simulation"
    )
    let bytes = 4 * (network.outputLength + network.parameterCount)
    print(
        String(
            format: "Float32 storage: %d bytes per simulation (%d data + %d parameters); 10^6 simulations = %.2f GB",
            bytes, 4 * network.outputLength, 4 * network.parameterCount, Double(bytes) * 1e6 / 1e9))

    // One thread: a plain loop of single simulations (noise included).
    _ = try model.simulate(thetas.row(0), using: &rng)
    var checksum = 0.0
    let single = try seconds {
        for i in 0..<count { checksum += try model.simulate(thetas.row(i), using: &rng)[7] }
    }
    let singleCPU = lastCPUSeconds
    // The waveform alone, one thread.
    let waveform = try seconds {
        for i in 0..<count {
            checksum += try network.waveform.polarizations(of: network.binary(from: thetas.row(i)), on: network.grid)
                .plus.real[100]
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
    let perCoreCPU = lastCPUSeconds
    // A batch on all cores (what appendSimulations runs).
    let batch = try seconds { checksum += try model.simulate(thetas, using: &rng).data[0, 0] }
    let batchCPU = lastCPUSeconds
    print(
        String(
            format:
                "simulation: %.0f /s on 1 thread (%.1f µs each: waveform %.1f µs, whole noise-free signal %.1f µs, the rest is the unit noise and checks), %.0f /s on %d cores (batch of %d)",
            Double(count) / single, single / Double(count) * 1e6, waveform / Double(count) * 1e6,
            signalOnly / Double(count) * 1e6, Double(count) / batch, cores, count))

    let x = try model.simulate(thetas.row(0), using: &rng)
    let likelihood = try seconds { checksum += try network.logLikelihoods(of: thetas, given: x)[1] }
    print(
        String(
            format:
                "CPU time per simulation: %.1f µs on 1 thread, %.1f µs in %d plain loops, %.1f µs in the batch (a shared machine gives fewer cores than asked: compare these)",
            singleCPU / Double(count) * 1e6, perCoreCPU / Double(count) * 1e6, cores, batchCPU / Double(count) * 1e6))
    print(
        String(
            format:
                "simulation in %d plain loops, one per core: %.0f /s (the process got %.2f cores: %.0f simulations per CPU-second; the batch got %.2f cores)",
            cores, Double(count) / perCore, perCoreCPU / perCore, Double(count) / perCoreCPU, batchCPU / batch))
    print(String(format: "likelihood: %.0f evaluations/s on %d cores", Double(count) / likelihood, cores))

    // Optimal network SNR over the prior.
    let draws = model.prior.sample(count: snrDraws, using: &rng)
    var snrs = try (0..<draws.rows).map { i in
        try network.optimalSNRs(of: draws.row(i)).reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
    snrs.sort()
    let above = { (threshold: Double) in Double(snrs.filter { $0 >= threshold }.count) / Double(snrs.count) }
    print(
        String(
            format:
                "network SNR over %d prior draws: 5%% %.1f, 25%% %.1f, median %.1f, 75%% %.1f, 95%% %.1f, max %.1f; ≥ 8: %.0f %%, ≥ 10: %.0f %%, ≥ 50: %.1f %%",
            snrDraws, percentile(snrs, 5), percentile(snrs, 25), percentile(snrs, 50), percentile(snrs, 75),
            percentile(snrs, 95), snrs.last!, 100 * above(8), 100 * above(10), 100 * above(50)))
    print(String(format: "[checksum %.3e]", checksum))
    print(
        "{\"simulations_per_s_1_thread\": \(Double(count) / single), \"simulations_per_s_all_cores\": \(Double(count) / batch), \"simulations_per_s_plain_loops_all_cores\": \(Double(count) / perCore), \"cores\": \(cores), \"cpu_us_per_simulation_1_thread\": \(singleCPU / Double(count) * 1e6), \"cpu_us_per_simulation_batch\": \(batchCPU / Double(count) * 1e6), \"waveform_share\": \(waveform / single), \"signal_share\": \(signalOnly / single), \"likelihoods_per_s\": \(Double(count) / likelihood), \"bytes_per_simulation_float32\": \(bytes), \"snr_median\": \(percentile(snrs, 50)), \"snr_p5\": \(percentile(snrs, 5)), \"snr_p95\": \(percentile(snrs, 95))}"
    )
} catch {
    print("error: \(error)")
    exit(1)
}
