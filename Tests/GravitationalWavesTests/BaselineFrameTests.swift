import Foundation
import Inference
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct BaselineFrameTests {
    static let gmst = 1.7

    /// The Kolmogorov–Smirnov statistic of `values` against the uniform law on [a, b] (the
    /// library's two-sample statistic against an even grid of 100,001 points, whose empirical CDF
    /// is the uniform one to 10⁻⁵).
    static func uniformKS(_ values: [Double], _ a: Double, _ b: Double) -> Double {
        GibbsDiagnostics.kolmogorovSmirnov(values, (0...100_000).map { a + (b - a) * Double($0) / 100_000 })
    }

    /// The axes are orthonormal and right-handed, ẑ points from the second vertex to the first,
    /// and (α, δ) → (θ, φ) → (α, δ) returns where it started.
    @Test func axesAndRoundTrip() throws {
        let frame = try BaselineFrame(from: .hanford, to: .livingston)
        let (x, y, z) = (frame.axes[0], frame.axes[1], frame.axes[2])
        func dot(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] + a[2] * b[2] }
        for (a, b, expected) in [(x, x, 1.0), (y, y, 1), (z, z, 1), (x, y, 0), (x, z, 0), (y, z, 0)] {
            #expect(abs(dot(a, b) - expected) < 1e-14)
        }
        let cross = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]
        #expect(dot(cross, z) > 1 - 1e-14)
        let b = (0..<3).map { Detector.hanford.location[$0] - Detector.livingston.location[$0] }
        #expect(abs(dot(b, z) - frame.baselineLength) < 1e-6)
        #expect(abs(frame.baselineLength - 3.0017e6) < 1e3)  // H1–L1: 3002 km, 10.0 ms of light travel
        var rng = RandomSource(seed: 17)
        for _ in 0..<500 {
            let ra = rng.nextUniform(in: 0, 2 * .pi)
            let dec = asin(rng.nextUniform(in: -1, 1))
            let (zenith, azimuth) = frame.baseline(rightAscension: ra, declination: dec, greenwichMeanSiderealTime: Self.gmst)
            #expect((0...Double.pi).contains(zenith) && (0..<(2 * Double.pi)).contains(azimuth))
            let back = frame.equatorial(zenith: zenith, azimuth: azimuth, greenwichMeanSiderealTime: Self.gmst)
            #expect(abs(back.declination - dec) < 1e-9)
            #expect(abs(remainder(back.rightAscension - ra, 2 * .pi)) * cos(dec) < 1e-9)
        }
    }

    /// The zenith alone fixes the first two detectors' arrival-time difference (computed from
    /// LAL-checked geocentre delays), whatever the azimuth.
    @Test func zenithFixesTheTimeDifference() throws {
        let frame = try BaselineFrame(from: .hanford, to: .livingston)
        var rng = RandomSource(seed: 3)
        for _ in 0..<200 {
            let zenith = acos(rng.nextUniform(in: -1, 1))
            let azimuth = rng.nextUniform(in: 0, 2 * .pi)
            let (ra, dec) = frame.equatorial(zenith: zenith, azimuth: azimuth, greenwichMeanSiderealTime: Self.gmst)
            let delays = [Detector.hanford, Detector.livingston].map {
                $0.timeDelayFromGeocenter(rightAscension: ra, declination: dec, greenwichMeanSiderealTime: Self.gmst)
            }
            #expect(abs((delays[0] - delays[1]) - frame.arrivalTimeDifference(zenith: zenith)) < 1e-15)
        }
        #expect(abs(frame.arrivalTimeDifference(zenith: 0) + frame.baselineLength / PhysicalConstants.speedOfLight) < 1e-15)
    }

    /// The isotropic prior in (θ, φ) — cos θ and φ uniform — is the isotropic prior in (α, δ):
    /// mapped draws have sin δ and α uniform (Kolmogorov–Smirnov over 20,000 draws).
    @Test func isotropicPriorMapsToTheIsotropicPrior() throws {
        let frame = try BaselineFrame(from: .hanford, to: .virgo)
        var rng = RandomSource(seed: 2026)
        var sinDec: [Double] = []
        var ra: [Double] = []
        for _ in 0..<20_000 {
            let sky = frame.equatorial(
                zenith: acos(rng.nextUniform(in: -1, 1)), azimuth: rng.nextUniform(in: 0, 2 * .pi),
                greenwichMeanSiderealTime: Self.gmst)
            sinDec.append(sin(sky.declination))
            ra.append(sky.rightAscension)
        }
        for (values, a, b) in [(sinDec, -1.0, 1.0), (ra, 0, 2 * .pi)] {
            let d = Self.uniformKS(values, a, b)
            let p = RankUniformityTest.kolmogorovSmirnovPValue(statistic: d, sampleSize: values.count)
            #expect(p > 0.001, "D = \(d), p = \(p)")
        }
        // A frame that is not a rotation would fail: δ itself is not uniform.
        let d = Self.uniformKS(sinDec.map(asin), -.pi / 2, .pi / 2)
        #expect(RankUniformityTest.kolmogorovSmirnovPValue(statistic: d, sampleSize: 20_000) < 1e-6)
    }

    /// A network in the baseline frame is the equatorial network in other coordinates: the same
    /// signal, arrival times and likelihood for the converted θ, the same prior measure (the map
    /// is a rotation; the densities differ by its Jacobian), and samples convert back to (ra, dec).
    @Test func networkInTheBaselineFrameIsTheSameModel() throws {
        var configuration = BinaryBlackHoleNetwork.Configuration.reduced
        let equatorial = try BinaryBlackHoleNetwork(configuration)
        configuration.skyFrame = .detectorBaseline
        let baseline = try BinaryBlackHoleNetwork(configuration)
        #expect(baseline.parameterNames[8...9] == ["zenith", "azimuth"] && baseline.parameterCount == 11)
        let prior = try baseline.prior()
        #expect(prior.names == baseline.parameterNames)
        #expect(prior.distributions[8] is Sine && prior.periodic[9] && !prior.periodic[8])
        let equatorialPrior = try equatorial.prior()
        var rng = RandomSource(seed: 9)
        let draws = prior.sample(count: 20, using: &rng)
        for i in 0..<draws.rows {
            let theta = draws.row(i)
            let converted = try baseline.equatorialParameters(theta)
            #expect(try baseline.parameters(fromEquatorial: converted).enumerated().allSatisfy { abs($0.element - theta[$0.offset]) < 1e-9 })
            let s = try baseline.signal(theta)
            let reference = try equatorial.signal(converted)
            let scale = reference.map(abs).max()!
            #expect(zip(s, reference).allSatisfy { abs($0 - $1) <= 1e-9 * scale })
            #expect(zip(try baseline.arrivalTimes(of: theta), try equatorial.arrivalTimes(of: converted)).allSatisfy { abs($0 - $1) < 1e-12 })
            // One measure in two coordinates: the densities differ by the Jacobian sin θ / cos δ.
            let jacobian = log(sin(theta[8])) - log(cos(converted[9]))
            #expect(abs(try prior.logDensity(of: theta) - equatorialPrior.logDensity(of: converted) - jacobian) < 1e-9)
            let x = reference.map { $0 + 0.5 }
            #expect(abs(try baseline.logLikelihood(of: theta, given: x) - equatorial.logLikelihood(of: converted, given: x)) < 1e-6)
        }
        let samples = try baseline.equatorialSamples(draws)
        #expect(samples.row(3) == (try baseline.equatorialParameters(draws.row(3))))
        #expect(try equatorial.equatorialSamples(draws) == draws)
        // The phase-marginalised wrapper follows the frame.
        #expect(try PhaseMarginalizedNetwork(baseline).parameterNames.contains("zenith"))
    }

    /// Wrong input is refused with errors that name it.
    @Test func refusals() throws {
        #expect(throws: GravitationalWaveError.self) { try BaselineFrame(from: .hanford, to: .hanford) }
        var configuration = BinaryBlackHoleNetwork.Configuration.reduced
        configuration.skyFrame = .detectorBaseline
        configuration.detectors = [.hanford]
        configuration.powerSpectralDensities = nil
        do {
            _ = try BinaryBlackHoleNetwork(configuration)
            Issue.record("one detector was accepted for the baseline frame")
        } catch let error as GravitationalWaveError {
            #expect("\(error)".contains("two detectors"))
        }
        configuration.detectors = Detector.builtIn
        let network = try BinaryBlackHoleNetwork(configuration)
        #expect(throws: GravitationalWaveError.self) { try network.equatorialSamples(SampleMatrix(rows: 2, columns: 10)) }
        #expect(throws: GravitationalWaveError.self) { try network.equatorialParameters([1, 2, 3]) }
        var rng = RandomSource(seed: 5)
        var bad = try network.prior().sample(count: 2, using: &rng)
        try bad.setRow(1, to: bad.row(1).enumerated().map { $0.offset == 9 ? .nan : $0.element })
        do {
            _ = try network.equatorialSamples(bad)
            Issue.record("a NaN sample was converted")
        } catch let error as GravitationalWaveError {
            #expect("\(error)".contains("sample 1") && "\(error)".contains("azimuth"))
        }
    }
}
