import Foundation
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves
@testable import Inference

@Suite struct DetectorTimeTranslationTests {
    static let theta = [28.0, 0.7, 0.1, 0.4, 300, 0.4, 1.1, 2.1, 4.0, 0.5, -0.03]

    /// x(t) = Δf Σ_k 2 Re(x̃_k e^{2πi f_k t}) evaluated directly in Double, for a series that is
    /// zero at f = 0 and at the Nyquist bin: the band-limited signal between samples.
    static func bandLimitedValue(_ series: FrequencySeries<Double>, at t: Double) -> Double {
        var sum = 0.0
        for k in series.grid.bandBins {
            let phase = 2 * Double.pi * series.grid.frequency(ofBin: k) * t
            sum += 2 * (series.real[k] * cos(phase) - series.imaginary[k] * sin(phase))
        }
        return series.grid.spacing * sum
    }

    /// The group's action on the frequency-domain data is the time shift of each detector's time
    /// series: a whole number of samples moves the samples cyclically, any real shift evaluates
    /// the band-limited signal at t − g_I, both to float precision.
    @Test func actionEqualsShiftingTheTimeSeries() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let group = network.timeTranslations
        let s = try network.signal(Self.theta)
        let original = try network.whitenedSeries(of: s)
        for series in original {
            #expect(series.real.last == 0 && series.imaginary.last == 0)  // nothing at Nyquist
        }
        let dt = original[0].sampleSpacing  // 1/256 s
        // Whole samples: a cyclic roll.
        let whole = [3, -7, 12]
        let rolled = try network.whitenedSeries(of: group.transformingData(s, by: whole.map { Double($0) * dt }))
        for channel in 0..<3 {
            let x = try original[channel].timeSeries()
            let y = try rolled[channel].timeSeries()
            let n = x.count
            let scale = Double(x.map(abs).max()!)
            for j in 0..<n {
                let source = ((j - whole[channel]) % n + n) % n
                #expect(abs(Double(y[j] - x[source])) < 1e-5 * scale, "channel \(channel), sample \(j)")
            }
        }
        // Any real shift: the band-limited signal at t − g.
        let g = [0.01234, -0.00713, 0.0213]
        let moved = try network.whitenedSeries(of: group.transformingData(s, by: g))
        var worst = 0.0
        for channel in 0..<3 {
            let y = try moved[channel].timeSeries()
            let times = moved[channel].sampleTimes
            let scale = Double(y.map(abs).max()!)
            for j in stride(from: 0, to: y.count, by: 3) {
                let expected = Self.bandLimitedValue(original[channel], at: times[j] - g[channel])
                worst = max(worst, abs(Double(y[j]) - expected) / scale)
                #expect(abs(Double(y[j]) - expected) < 1e-5 * scale, "channel \(channel), t = \(times[j])")
            }
        }
        print("per-detector time shift vs the time-domain shift: worst relative error \(worst)")
    }

    /// Group laws on data: T(g)T(h) = T(g + h), T(−g)T(g) = identity, and the action preserves
    /// the norm of each channel (it is unitary, so white noise stays white).
    @Test func groupLaws() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let group = network.timeTranslations
        #expect(group.dimension == 3 && group.identity == [0, 0, 0] && group.composesByAddition)
        var rng = RandomSource(seed: 9)
        let x = (0..<network.outputLength).map { _ in rng.nextNormal() }
        let g = [0.0371, -0.0113, 0.2]
        let h = [-0.0052, 0.0981, -0.137]
        let a = group.transformingData(group.transformingData(x, by: h), by: g)
        let b = group.transformingData(x, by: group.composing(g, h))
        for i in x.indices { #expect(abs(a[i] - b[i]) < 1e-12) }
        let back = group.transformingData(group.transformingData(x, by: g), by: group.inverse(of: g))
        for i in x.indices { #expect(abs(back[i] - x[i]) < 1e-12) }
        let identity = group.transformingData(x, by: group.identity)
        #expect(identity == x)
        let n = 2 * network.bandBinCount
        let moved = group.transformingData(x, by: g)
        for channel in 0..<3 {
            let before = x[(channel * n)..<((channel + 1) * n)].reduce(0) { $0 + $1 * $1 }
            let after = moved[(channel * n)..<((channel + 1) * n)].reduce(0) { $0 + $1 * $1 }
            #expect(abs(after / before - 1) < 1e-13)
        }
        // Hostile input never traps: a non-finite shift poisons its own channel only.
        let poisoned = group.transformingData(x, by: [.nan, 0, 0])
        #expect(poisoned[0].isNaN && poisoned[n] == x[n])
        #expect(group.transformingData([1, 2, 3], by: g).allSatisfy { $0.isNaN })
    }

    /// The overall time translation is an exact symmetry of the simulator: moving geocent_time
    /// by c equals shifting every detector by c; and each detector's channel is the unshifted
    /// projection delayed by its own arrival time.
    @Test func commonShiftIsExact() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let group = network.timeTranslations
        let s = try network.signal(Self.theta)
        let c = 0.0617
        var moved = Self.theta
        moved[10] += c
        let expected = try network.signal(moved)
        let shifted = group.transformingData(s, by: [c, c, c])
        let scale = s.map(abs).max()!
        for i in s.indices { #expect(abs(shifted[i] - expected[i]) < 1e-11 * scale) }
        // Undo each detector's arrival time: the channels become F₊h₊ + F×h× at t = 0.
        let times = try network.arrivalTimes(of: Self.theta)
        let standardized = group.transformingData(s, by: group.inverse(of: times))
        var atZero = Self.theta
        atZero[10] = 0
        let zeroTimes = try network.arrivalTimes(of: atZero)
        let reference = group.transformingData(try network.signal(atZero), by: group.inverse(of: zeroTimes))
        for i in s.indices { #expect(abs(standardized[i] - reference[i]) < 1e-11 * scale) }
    }

    /// Declared in a model, the group is recognised as additive with continuous proxies, so GNPE's
    /// Jacobians are exactly 0 in log and importance sampling accepts it; a wrong data length is
    /// refused when the model is declared.
    @Test func declaredGroupIsAdditive() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let group = network.timeTranslations
        let model = try SimulationModel {
            Parameter("t_H1", Uniform(-0.1, 0.1))
            Parameter("t_L1", Uniform(-0.1, 0.1))
            Parameter("t_V1", Uniform(-0.1, 0.1))
            Simulator(outputLength: network.outputLength) { θ, _ in
                [Double](repeating: θ[0], count: network.outputLength)
            }
            NoiseModel.gaussian(sigma: 1)
            Equivariance(pose: ["t_H1", "t_L1", "t_V1"], group: group, kernel: .uniform(width: 0.002), exact: false)
        }
        let resolved = model.equivariances[0]
        #expect(resolved.hasAdditiveCoordinates)
        #expect(resolved.hasContinuousProxies)
        #expect(resolved.relativeParametersLogJacobian([0.01, 0.02, -0.03], proxy: [0.0105, 0.0199, -0.0301]) == 0)
        let logKernel = resolved.proxyLogDensity([0.0105, 0.0199, -0.0301], givenPose: [0.01, 0.02, -0.03])
        #expect(abs(logKernel - 3 * log(1 / 0.002)) < 1e-9)
        #expect(throws: ModelError.self) {
            try SimulationModel {
                Parameter("t_H1", Uniform(-0.1, 0.1))
                Simulator(outputLength: 10) { θ, _ in [Double](repeating: θ[0], count: 10) }
                Equivariance(
                    pose: ["t_H1"], group: DetectorTimeTranslation(grid: network.grid, channels: 1),
                    kernel: .uniform(width: 0.002))
            }
        }
    }

    /// The GNPE model of the network: the arrival times as a computed pose, the per-detector group,
    /// the common translation exact (moving geocent_time). The declaration is accepted, the pose
    /// is the arrival times, and the Jacobians of GNPE's changes of variables are 1.
    @Test func networkDeclaresItsGNPEModel() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let model = try SimulationModel {
            network
            Equivariance(
                pose: network.arrivalTimePose, group: network.timeTranslations, kernel: .uniform(width: 0.002),
                exactPart: .commonTranslation(moving: "geocent_time"))
        }
        let resolved = model.equivariances[0]
        #expect(network.arrivalTimePose.names == ["t_H1", "t_L1", "t_V1"])
        #expect(try resolved.checkedPose(of: Self.theta) == network.arrivalTimes(of: Self.theta))
        #expect(resolved.hasAdditiveCoordinates && resolved.hasContinuousProxies)
        #expect(resolved.relativeParametersLogJacobian(Self.theta, proxy: [0.01, -0.02, 0.005]) == 0)
        #expect(network.arrivalTimePose.compute([1, 2]).allSatisfy { $0.isNaN })
    }
}
