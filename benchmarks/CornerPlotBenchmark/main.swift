// Benchmark: a corner plot of 100,000 samples × 6 parameters with two overlaid sample sets, and a
// sky map (Mollweide, 50 %/90 % regions) of 100,000 sky positions in two sets.
//
// Prints the render time of each run, the median, the SVG size, and as its last line one JSON
// object {"render_s": …, "svg_bytes": …, "sky_render_s": …, "sky_svg_bytes": …}. Goals (issue 4,
// corner plot): under 0.3 s and 300 KB in a release build. Run through `benchmarks/corner-plot`,
// which builds in release first.
//
// Usage: corner-plot-benchmark [--samples N] [--runs R] [--output file.svg] [--dark]

import Foundation
import Plotting

/// SplitMix64 with Box–Muller normals: a self-contained, seeded source for the test data.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Samples of a correlated, partly non-Gaussian 6-D posterior, `[count, 6]`.
func posteriorSamples(count: Int, shift: Double, seed: UInt64) -> [[Double]] {
    var random = SplitMix(state: seed)
    return (0..<count).map { _ in
        let z = (0..<6).map { _ in random.normal() }
        let m1 = 36 + 3 * z[0] + shift
        let m2 = 29 + 2.5 * (0.7 * z[0] + 0.71 * z[1])
        let distance = 410 * exp(0.2 * z[2])
        let inclination = 1.2 + 0.4 * z[3] + 0.05 * z[2] * z[2]
        let phase = 3.14159 + 1.2 * z[4]
        let time = 0.012 * z[5] + 0.004 * shift
        return [m1, m2, distance, inclination, phase, time]
    }
}

var sampleCount = 100_000
var runs = 7
var output: String?
var theme = Theme.light
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--samples": sampleCount = Int(arguments.next() ?? "") ?? sampleCount
    case "--runs": runs = max(1, Int(arguments.next() ?? "") ?? runs)
    case "--output": output = arguments.next()
    case "--dark": theme = .dark
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        exit(2)
    }
}

let gnpe = posteriorSamples(count: sampleCount, shift: 0, seed: 1)
let npe = posteriorSamples(count: sampleCount, shift: 0.8, seed: 2)
let parameters: [CornerPlot.Parameter] = [
    .init("m₁", unit: "M☉", truth: 36), .init("m₂", unit: "M☉", truth: 29),
    .init("d_L", unit: "Mpc", truth: 410), .init("θ_JN", unit: "rad", truth: 1.2),
    .init("φ_c", unit: "rad", range: 0...6.283, truth: 3.1), .init("t_c", unit: "s", truth: 0),
]

var summarySeconds: [Double] = []
var drawSeconds: [Double] = []

/// Builds the plot (validation, summaries, ranges) and draws it; records both phases.
func render() throws -> String {
    let start = DispatchTime.now().uptimeNanoseconds
    let plot = try CornerPlot(
        sets: [.init("GNPE", samples: gnpe), .init("NPE", samples: npe)], parameters: parameters,
        title: "Posterior: GNPE vs NPE", theme: theme)
    let built = DispatchTime.now().uptimeNanoseconds
    let svg = plot.svg
    let end = DispatchTime.now().uptimeNanoseconds
    summarySeconds.append(Double(built - start) / 1e9)
    drawSeconds.append(Double(end - built) / 1e9)
    return svg
}

var times: [Double] = []
var svg = ""
do {
    _ = try render()  // warm-up
    for run in 1...runs {
        let start = DispatchTime.now().uptimeNanoseconds
        svg = try render()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(seconds)
        print("run \(run): \(String(format: "%.4f", seconds)) s")
    }
} catch {
    FileHandle.standardError.write(Data("corner plot failed: \(error)\n".utf8))
    exit(1)
}
times.sort()
let median = times[times.count / 2]

// The sky map of the same number of samples: two sets of (α, δ) on the Mollweide projection with
// 50 % and 90 % credible regions (issue 10).
var skyRandom = SplitMix(state: 3)
func skySamples(count: Int, spread: Double) -> (ra: [Double], dec: [Double]) {
    var ra: [Double] = []
    var dec: [Double] = []
    for _ in 0..<count {
        var alpha = 1.95 + spread * 2 * skyRandom.normal()
        alpha -= 2 * Double.pi * (alpha / (2 * Double.pi)).rounded(.down)
        ra.append(alpha)
        dec.append(max(-Double.pi / 2, min(Double.pi / 2, -1.1 + spread * skyRandom.normal())))
    }
    return (ra, dec)
}
let skyNPE = skySamples(count: sampleCount, spread: 0.25)
let skyGNPE = skySamples(count: sampleCount, spread: 0.08)
var skyTimes: [Double] = []
var skySVG = ""
var skyAreas: [[Double]] = []
do {
    for run in 0...runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let sky = try SkyMap(
            sets: [.init("NPE", rightAscension: skyNPE.ra, declination: skyNPE.dec),
                   .init("GNPE", rightAscension: skyGNPE.ra, declination: skyGNPE.dec)],
            truth: .init(rightAscension: 1.95, declination: -1.1), title: "Sky position", theme: theme)
        skySVG = sky.svg
        skyAreas = sky.credibleAreas
        if run > 0 { skyTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }  // run 0 warms up
    }
} catch {
    FileHandle.standardError.write(Data("sky map failed: \(error)\n".utf8))
    exit(1)
}
skyTimes.sort()
let skyMedian = skyTimes[skyTimes.count / 2]
print(
    "sky map: \(sampleCount) samples × 2 sets, median render \(String(format: "%.4f", skyMedian)) s, svg \(skySVG.utf8.count) bytes, 90% areas \(skyAreas.map { String(format: "%.0f", $0[1]) }.joined(separator: " / ")) deg²"
)
let bytes = svg.utf8.count
if let output { try? Data(svg.utf8).write(to: URL(fileURLWithPath: output)) }
print(
    "phases (median): init \(String(format: "%.4f", summarySeconds.sorted()[summarySeconds.count / 2])) s, draw \(String(format: "%.4f", drawSeconds.sorted()[drawSeconds.count / 2])) s"
)
print("samples: \(sampleCount) × 6 parameters, 2 sets")
print("median render time: \(String(format: "%.4f", median)) s over \(runs) runs (goal < 0.3 s)")
print("svg size: \(bytes) bytes (goal < 300000)")
print(
    "{\"render_s\": \(String(format: "%.4f", median)), \"svg_bytes\": \(bytes), \"samples\": \(sampleCount), \"parameters\": 6, \"sets\": 2, \"sky_render_s\": \(String(format: "%.4f", skyMedian)), \"sky_svg_bytes\": \(skySVG.utf8.count)}"
)
