// gw-waveforms-benchmark: time per waveform (both polarisations) of TaylorF2 and IMRPhenomD on
// one grid, one thread, and in batches on all cores. Run through benchmarks/gw-waveforms, which
// also times LALSimulation on the same grid.
// Usage: gw-waveforms-benchmark [fMin fMax deltaF [repeats [perRepeat]]]
// Output: one line of figures per model, then one JSON object on the last line.
import Foundation
import GravitationalWaves
import Spectral

let arguments = CommandLine.arguments.dropFirst().compactMap(Double.init)
let fMin = arguments.count > 0 ? arguments[0] : 20
let fMax = arguments.count > 1 ? arguments[1] : 1024
let deltaF = arguments.count > 2 ? arguments[2] : 0.125
let repeats = arguments.count > 3 ? Int(arguments[3]) : 9
let perRepeat = arguments.count > 4 ? Int(arguments[4]) : 40

/// Median seconds per waveform: one thread, then a batch on all cores.
func time(_ model: some FrequencyDomainWaveform, _ binaries: [AlignedSpinBinary], on grid: FrequencyGrid) throws
    -> (single: Double, batch: Double, checksum: Double)
{
    var checksum = 0.0
    _ = try model.polarizations(of: binaries[0], on: grid)  // warm-up
    var single: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        for binary in binaries {
            let h = try model.polarizations(of: binary, on: grid)
            checksum += h.plus.real[grid.binCount / 4]
        }
        single.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(binaries.count))
    }
    var batch: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let hs = try model.polarizations(of: binaries, on: grid)
        checksum += hs[0].plus.real[grid.binCount / 4]
        batch.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(binaries.count))
    }
    single.sort()
    batch.sort()
    return (single[single.count / 2], batch[batch.count / 2], checksum)
}

do {
    let grid = try FrequencyGrid(minimumFrequency: fMin, maximumFrequency: fMax, spacing: deltaF)
    let binaries = try (0..<perRepeat).map { i in
        try AlignedSpinBinary(
            mass1: 30 + Double(i % 7), mass2: 25 - Double(i % 5), spin1: 0.3, spin2: -0.2,
            distance: 500, inclination: 0.4, referencePhase: 1.1)
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    var json = [String]()
    for (key, model) in [("taylorf2", TaylorF2() as any FrequencyDomainWaveform), ("imrphenomd", IMRPhenomD())] {
        let (single, batch, checksum) = try time(model, binaries, on: grid)
        print(
            String(
                format:
                    "swift %@: %.1f µs per waveform (median of %d × %d), batch on %d cores %.1f µs (%.0f waveforms/s), %d bins (%g–%g Hz, Δf = %g Hz) [checksum %.3e]",
                model.name, single * 1e6, repeats, perRepeat, cores, batch * 1e6, 1 / batch, grid.binCount, fMin, fMax,
                deltaF, checksum))
        json.append("\"swift_\(key)_s\": \(single), \"swift_\(key)_batch_s\": \(batch)")
    }
    print(
        "{\(json.joined(separator: ", ")), \"cores\": \(cores), \"bins\": \(grid.binCount), \"f_min\": \(fMin), \"f_max\": \(fMax), \"delta_f\": \(deltaF)}"
    )
} catch {
    print("error: \(error)")
    exit(1)
}
