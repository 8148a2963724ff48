// gw-waveforms-benchmark: time per TaylorF2 waveform (both polarisations) on one grid, one
// thread. Run through benchmarks/gw-waveforms, which also times LALSimulation on the same grid.
// Usage: gw-waveforms-benchmark [fMin fMax deltaF [repeats [perRepeat]]]
// Output: one line of figures, then one JSON object on the last line.
import Foundation
import GravitationalWaves
import Spectral

let arguments = CommandLine.arguments.dropFirst().compactMap(Double.init)
let fMin = arguments.count > 0 ? arguments[0] : 20
let fMax = arguments.count > 1 ? arguments[1] : 1024
let deltaF = arguments.count > 2 ? arguments[2] : 0.125
let repeats = arguments.count > 3 ? Int(arguments[3]) : 9
let perRepeat = arguments.count > 4 ? Int(arguments[4]) : 40

do {
    let grid = try FrequencyGrid(minimumFrequency: fMin, maximumFrequency: fMax, spacing: deltaF)
    let model = TaylorF2()
    let binaries = try (0..<perRepeat).map { i in
        try AlignedSpinBinary(
            mass1: 30 + Double(i % 7), mass2: 25 - Double(i % 5), spin1: 0.3, spin2: -0.2,
            distance: 500, inclination: 0.4, referencePhase: 1.1)
    }
    var checksum = 0.0
    _ = try model.polarizations(of: binaries[0], on: grid)  // warm-up
    var perWaveform: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        for binary in binaries {
            let h = try model.polarizations(of: binary, on: grid)
            checksum += h.plus.real[grid.binCount / 2]
        }
        perWaveform.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(perRepeat))
    }
    perWaveform.sort()
    let median = perWaveform[perWaveform.count / 2]
    // Batches on all cores (ProcessInfo.activeProcessorCount threads).
    var batchTimes: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let batch = try model.polarizations(of: binaries, on: grid)
        checksum += batch[0].plus.real[grid.binCount / 2]
        batchTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(perRepeat))
    }
    batchTimes.sort()
    let batchMedian = batchTimes[batchTimes.count / 2]
    print(
        String(
            format:
                "swift TaylorF2: %.1f µs per waveform (median of %d × %d), %d bins (%g–%g Hz, Δf = %g Hz) [checksum %.3e]",
            median * 1e6, repeats, perRepeat, grid.binCount, fMin, fMax, deltaF, checksum))
    print(
        String(
            format: "swift TaylorF2 batch on %d cores: %.1f µs per waveform (%.0f waveforms/s)",
            ProcessInfo.processInfo.activeProcessorCount, batchMedian * 1e6, 1 / batchMedian))
    print(
        "{\"swift_taylorf2_s\": \(median), \"swift_taylorf2_batch_s\": \(batchMedian), \"cores\": \(ProcessInfo.processInfo.activeProcessorCount), \"bins\": \(grid.binCount), \"f_min\": \(fMin), \"f_max\": \(fMax), \"delta_f\": \(deltaF)}"
    )
} catch {
    print("error: \(error)")
    exit(1)
}
