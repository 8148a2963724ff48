import Foundation
import Testing
import TensorCore
@testable import Inference

/// A user-defined group: positive scalings acting on data by multiplication.
struct Scaling: PoseGroup {
    var dimension: Int { 1 }
    var identity: [Double] { [1] }
    func composing(_ g: [Double], _ h: [Double]) -> [Double] { [g[0] * h[0]] }
    func inverse(of g: [Double]) -> [Double] { [1 / g[0]] }
    func transformingData(_ x: [Double], by g: [Double]) -> [Double] { x.map { $0 * g[0] } }
}

@Suite struct GroupTests {
    static let grid = (0 ..< 80).map { -2 + 0.05 * Double($0) }
    static let groups: [(String, any PoseGroup)] = [
        ("time translation ×2", TimeTranslation(grid: grid, channels: 2)),
        ("value translation ×3", ValueTranslation(dimension: 3)),
        ("SO(2)", PlaneRotation()),
        ("scaling (user)", Scaling()),
    ]

    static func randomElement(_ group: any PoseGroup, _ rng: inout RandomSource) -> [Double] {
        if group is Scaling { return [exp(rng.nextNormal())] }
        if group is PlaneRotation { return [rng.nextUniform(in: -.pi, .pi)] }
        return (0 ..< group.dimension).map { _ in rng.nextNormal() }
    }

    /// Distance between elements; angles compared modulo 2π.
    static func distance(_ group: any PoseGroup, _ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { group is PlaneRotation ? abs(PlaneRotation.wrapped($0 - $1)) : abs($0 - $1) }.max() ?? 0
    }

    @Test(arguments: 0 ..< 4)
    func groupLaws(_ index: Int) {
        let (name, group) = Self.groups[index]
        var rng = RandomSource(seed: UInt64(index))
        for _ in 0 ..< 200 {
            let g = Self.randomElement(group, &rng), h = Self.randomElement(group, &rng), k = Self.randomElement(group, &rng)
            let left = group.composing(group.composing(g, h), k)
            let right = group.composing(g, group.composing(h, k))
            #expect(Self.distance(group, left, right) < 1e-12, "\(name): associativity")
            #expect(Self.distance(group, group.composing(g, group.identity), g) < 1e-12, "\(name): right identity")
            #expect(Self.distance(group, group.composing(group.identity, g), g) < 1e-12, "\(name): left identity")
            #expect(Self.distance(group, group.composing(g, group.inverse(of: g)), group.identity) < 1e-12, "\(name): inverse")
            #expect(Self.distance(group, group.composing(group.inverse(of: g), g), group.identity) < 1e-12, "\(name): inverse")
        }
    }

    /// T(g⁻¹)T(g)x = x and T(g)T(h) = T(gh) on data, for groups whose action has no edges.
    @Test(arguments: 1 ..< 4)
    func dataActionIsAHomomorphism(_ index: Int) {
        let (name, group) = Self.groups[index]
        var rng = RandomSource(seed: 10 + UInt64(index))
        let x = (0 ..< 12).map { _ in rng.nextNormal() }
        for _ in 0 ..< 50 {
            let g = Self.randomElement(group, &rng), h = Self.randomElement(group, &rng)
            let back = group.transformingData(group.transformingData(x, by: g), by: group.inverse(of: g))
            #expect(zip(back, x).allSatisfy { abs($0 - $1) < 1e-12 }, "\(name): T(g⁻¹)T(g)x ≠ x")
            let twice = group.transformingData(group.transformingData(x, by: h), by: g)
            let once = group.transformingData(x, by: group.composing(g, h))
            #expect(zip(twice, once).allSatisfy { abs($0 - $1) < 1e-12 }, "\(name): T(g)T(h) ≠ T(gh)")
        }
    }

    @Test func rotationPreservesNorms() {
        let x = [1.0, 2.0, -3.0, 0.5]
        let y = PlaneRotation().transformingData(x, by: [0.7])
        #expect(abs(hypot(y[0], y[1]) - hypot(1, 2)) < 1e-12)
        #expect(abs(atan2(y[1], y[0]) - atan2(2.0, 1.0) - 0.7) < 1e-12)
    }

    @Test func wholeStepTimeShiftsMoveSamplesExactly() {
        let g = TimeTranslation(grid: Self.grid, channels: 2)
        let n = Self.grid.count
        var rng = RandomSource(seed: 5)
        let x = (0 ..< 2 * n).map { _ in rng.nextNormal() }
        for s in [1, 3, 17] {
            let delta = [Double(s) * 0.05, Double(s + 2) * 0.05]
            let y = g.transformingData(x, by: delta)
            for c in 0 ..< 2 {
                let shift = c == 0 ? s : s + 2
                for k in 0 ..< n {
                    let expected = k - shift >= 0 ? x[c * n + k - shift] : 0
                    #expect(y[c * n + k] == expected)
                }
            }
            // T(−Δ)T(Δ)x = x except the last samples, which left the window.
            let back = g.transformingData(y, by: g.inverse(of: delta))
            for c in 0 ..< 2 {
                let shift = c == 0 ? s : s + 2
                for k in 0 ..< n - shift { #expect(back[c * n + k] == x[c * n + k]) }
                for k in n - shift ..< n { #expect(back[c * n + k] == 0) }
            }
            // Same-sign shifts compose exactly.
            let twice = g.transformingData(g.transformingData(x, by: delta), by: delta)
            let once = g.transformingData(x, by: g.composing(delta, delta))
            #expect(twice == once)
        }
    }

    @Test(arguments: [TimeTranslation.Interpolation.linear, .cubic])
    func fractionalShiftsAreAccurateOnSmoothSignals(_ interpolation: TimeTranslation.Interpolation) {
        let grid = (0 ..< 200).map { 0.05 * Double($0) }
        let g = TimeTranslation(grid: grid, interpolation: interpolation)
        let omega = 2.0
        let x = grid.map { sin(omega * $0) }
        let h = 0.05
        for delta in [0.013, 0.025, 0.37, -0.21] {
            let y = g.transformingData(x, by: [delta])
            // Interior points only: the edges take zeros from outside the window.
            let margin = Int(abs(delta) / h) + 3
            // Interpolation error bounds: linear h²/8·max|x''|, cubic (Keys) O(h³).
            let bound = interpolation == .linear ? h * h / 8 * omega * omega * 1.01 : h * h * h * pow(omega, 3)
            for k in margin ..< grid.count - margin {
                #expect(abs(y[k] - sin(omega * (grid[k] - delta))) <= bound, "k = \(k), Δ = \(delta)")
            }
            let back = g.transformingData(y, by: [-delta])
            for k in margin ..< grid.count - margin { #expect(abs(back[k] - x[k]) <= 2 * bound) }
        }
    }

    @Test(arguments: [BlurKernel.uniform(width: 0.4), .gaussian(sigma: 0.3)])
    func kernelSamplingStatistics(_ kernel: BlurKernel) {
        var rng = RandomSource(seed: 11)
        let n = 50_000
        let eps = (0 ..< n).map { _ in kernel.sample(dimension: 2, using: &rng) }
        for j in 0 ..< 2 {
            let v = eps.map { $0[j] }
            let mean = v.reduce(0, +) / Double(n)
            let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let sd = kernel.standardDeviation
            #expect(abs(mean) < 5 * sd / Double(n).squareRoot())
            #expect(abs(variance / (sd * sd) - 1) < 0.03)
            let fourth = v.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n) / (variance * variance)
            if case .uniform(let w) = kernel.shape {
                #expect(v.allSatisfy { abs($0) <= w / 2 })
                #expect(abs(fourth - 1.8) < 0.05)  // kurtosis of a uniform
            } else {
                #expect(abs(fourth - 3) < 0.15)  // kurtosis of a normal
            }
        }
        // The density is normalised (1-D numeric integral).
        let h = 1e-4
        let total = stride(from: -3.0, to: 3.0, by: h).reduce(0) { $0 + exp(kernel.logDensity(of: [$1 + h / 2])) * h }
        #expect(abs(total - 1) < 1e-3)
    }

    /// Whole-sample proxies keep what GNPE needs: the probability of a proxy ĝ given t₀ is a
    /// function of ĝ − t₀ alone, P(ĝ = kh | t₀) = |[kh − h/2, kh + h/2] ∩ [t₀ − w/2, t₀ + w/2]| / w
    /// for a uniform κ of width w (κ convolved with the rounding cell), wherever t₀ sits between
    /// grid points; so the flow's target p(θ − ĝ | T(ĝ⁻¹)x) is the same for every proxy.
    @Test func wholeSampleProxiesFollowTheKernelConvolvedWithTheRoundingCell() throws {
        let h = 0.05, w = 0.2
        let model = try DampedOscillator.model(kernel: .uniform(width: w), interpolation: .wholeSamples)
        let e = model.equivariances[0]
        let n = 40_000
        for (index, t0) in [0.0, 0.013, 0.025, -1.2371].enumerated() {
            var rng = RandomSource(seed: 70 + UInt64(index))
            var counts = [Int: Int]()
            for _ in 0 ..< n {
                let proxy = e.proxy(forPose: [t0], using: &rng)[0]
                let k = Int((proxy / h).rounded())
                #expect(abs(proxy - Double(k) * h) < 1e-12, "a proxy off the grid: \(proxy)")
                counts[k, default: 0] += 1
            }
            let lowest = Int(((t0 - w / 2) / h).rounded(.down)) - 1, highest = Int(((t0 + w / 2) / h).rounded(.up)) + 1
            var total = 0.0
            for k in lowest ... highest {
                let cell = (Double(k) * h - h / 2, Double(k) * h + h / 2)
                let p = max(0, min(cell.1, t0 + w / 2) - max(cell.0, t0 - w / 2)) / w
                total += p
                let observed = Double(counts[k] ?? 0) / Double(n)
                #expect(abs(observed - p) <= 5 * (p * (1 - p) / Double(n)).squareRoot() + 1e-12,
                        "t₀ = \(t0), ĝ = \(Double(k) * h): frequency \(observed), expected \(p)")
            }
            #expect(abs(total - 1) < 1e-9)
            #expect(counts.keys.allSatisfy { $0 >= lowest && $0 <= highest })
        }
    }

    @Test func proxiesAndRelativeParametersInvert() throws {
        let model = try GaussianLocationModel().model(kernel: .uniform(width: 1))
        let e = model.equivariances[0]
        var rng = RandomSource(seed: 4)
        for _ in 0 ..< 100 {
            let theta = model.prior.sample(using: &rng)
            let proxy = e.proxy(forPose: e.pose(of: theta), using: &rng)
            #expect(abs(proxy[0] - theta[0]) <= 0.5)
            let relative = e.relativeParameters(theta, proxy: proxy)
            #expect(abs(relative[0] - (theta[0] - proxy[0])) < 1e-12 && relative[1] == theta[1])
            let back = e.absoluteParameters(relative, proxy: proxy)
            #expect(zip(back, theta).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }
}

@Suite struct BatchEquivarianceTests {
    @Test func batchOperationsMatchRowByRow() throws {
        let model = try DampedOscillator.model(kernel: .uniform(width: 0.2))
        let e = model.equivariances[0]
        var rng = RandomSource(seed: 9)
        let sims = try model.simulateFromPrior(count: 300, using: &rng)
        var r1 = RandomSource(seed: 1), r2 = RandomSource(seed: 1)
        let proxies = try e.proxies(for: sims.parameters, using: &r1)
        #expect(try proxies == e.proxies(for: sims.parameters, using: &r2))
        let offsets = (0 ..< 300).map { proxies[$0, 0] - sims.parameters[$0, 2] }
        #expect(offsets.allSatisfy { abs($0) <= 0.1 })
        let standardised = e.standardising(sims.data, proxies: proxies)
        let relative = e.relativeParameters(sims.parameters, proxies: proxies)
        for i in stride(from: 0, to: 300, by: 13) {
            #expect(standardised.row(i) == e.standardising(sims.data.row(i), proxy: proxies.row(i)))
            #expect(relative[i, 2] == sims.parameters[i, 2] - proxies[i, 0])
        }
        let back = e.absoluteParameters(relative, proxies: proxies)
        #expect(zip(back.storage, sims.parameters.storage).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
