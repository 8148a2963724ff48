import Foundation
import Inference
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct BinaryBlackHoleNetworkTests {
    static let theta = [30.0, 0.8, 0.3, -0.2, 400, 1.3, 0.6, 0.7, 1.9, -0.4, 0.013]

    static func network() throws -> BinaryBlackHoleNetwork { try BinaryBlackHoleNetwork(.reduced) }

    /// The reduced preset's layout: 20–128 Hz at Δf = 0.5 Hz is 217 bins, 3 detectors, re and im.
    @Test func layoutOfTheReducedConfiguration() throws {
        let network = try Self.network()
        #expect(network.grid.spacing == 0.5 && network.grid.duration == 2)
        #expect(network.bandBinCount == 217)
        #expect(network.frequencies.first == 20 && network.frequencies.last == 128)
        #expect(network.outputLength == 3 * 217 * 2)
        #expect(network.detectors.map(\.name) == ["H1", "L1", "V1"])
        #expect(network.dataIndex(detector: 1, bin: 3) == (217 + 3) * 2)
        let model = try network.simulationModel()
        #expect(model.outputLength == 1302 && model.parameterNames == network.parameterNames)
        #expect(model.noiseModels.count == 1 && model.noiseModels[0].gaussianSigma == 1)
    }

    /// The prior has DINGO's names and order, the field's distributions, and the preset's ranges.
    @Test func priorNamesAndRanges() throws {
        let network = try Self.network()
        let prior = try network.prior()
        #expect(prior.names == network.parameterNames && network.parameterNames[8...9] == ["ra", "dec"])
        #expect(prior.names.count == 11)
        #expect(prior.periodic == [false, false, false, false, false, true, false, true, true, false, false])
        let supports = prior.distributions.map { [$0.support.lowerBound, $0.support.upperBound] }
        let expected: [[Double]] = [
            [20, 40], [0.25, 1], [-0.9, 0.9], [-0.9, 0.9], [100, 1000], [0, 2 * .pi], [0, .pi], [0, .pi],
            [0, 2 * .pi], [-.pi / 2, .pi / 2], [-0.1, 0.1],
        ]
        for (i, (s, e)) in zip(supports, expected).enumerated() {
            #expect(abs(s[0] - e[0]) < 1e-12 && abs(s[1] - e[1]) < 1e-12, "\(prior.names[i]): \(s) vs \(e)")
        }
        #expect(prior.distributions[0] is UniformInComponentsChirpMass)
        #expect(prior.distributions[1] is UniformInComponentsMassRatio)
        #expect((prior.distributions[4] as? PowerLaw)?.exponent == 2)
        #expect(prior.distributions[6] is Sine && prior.distributions[9] is Cosine)
        // Every prior draw simulates.
        var rng = RandomSource(seed: 4)
        let draws = prior.sample(count: 64, using: &rng)
        for i in 0..<draws.rows {
            let s = try network.signal(draws.row(i))
            #expect(s.allSatisfy { $0.isFinite })
        }
    }

    /// Bad configurations throw typed errors that name the problem.
    @Test func badConfigurationsAreRejected() throws {
        func rejects(_ change: (inout BinaryBlackHoleNetwork.Configuration) -> Void, mentioning word: String) {
            var configuration = BinaryBlackHoleNetwork.Configuration.reduced
            change(&configuration)
            do {
                _ = try BinaryBlackHoleNetwork(configuration)
                Issue.record("accepted a configuration that should mention \(word)")
            } catch let error as GravitationalWaveError {
                guard case .invalidConfiguration(let message) = error else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(message.contains(word), "\(message)")
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
        rejects({ $0.minimumFrequency = 128 }, mentioning: "below the maximum")
        rejects({ $0.minimumFrequency = 200 }, mentioning: "below the maximum")
        rejects({ $0.minimumFrequency = 0 }, mentioning: "positive")
        rejects({ $0.maximumFrequency = .nan }, mentioning: "finite")
        rejects({ $0.duration = 0 }, mentioning: "duration")
        rejects({ $0.duration = -2 }, mentioning: "duration")
        rejects({ $0.duration = .infinity }, mentioning: "duration")
        rejects({ $0.detectors = [] }, mentioning: "at least one")
        rejects({ $0.detectors = [.hanford, .hanford] }, mentioning: "twice")
        rejects({ $0.powerSpectralDensities = [.advancedLIGODesign] }, mentioning: "1 PSDs for 3 detectors")
        rejects({ $0.priorRanges.massRatio = 0.5...2 }, mentioning: "mass-ratio")
        rejects({ $0.priorRanges.maximumSpin = 1.5 }, mentioning: "spin")
        rejects({ $0.priorRanges.geocentricTimeHalfWidth = 0 }, mentioning: "geocent_time")
        // An ASD file that stops at 100 Hz does not cover a band to 128 Hz.
        let table = try PowerSpectralDensity(text: "10 1e-23\n50 4e-24\n100 3e-24\n", name: "short.txt")
        rejects(
            { $0.powerSpectralDensities = [.advancedLIGODesign, table, .advancedVirgoDesign] },
            mentioning: "L1 (short.txt) does not cover")
    }

    /// θ of the wrong length or with NaN, and θ outside the physical domain, throw.
    @Test func badParametersAreRejected() throws {
        let network = try Self.network()
        #expect(throws: GravitationalWaveError.self) { try network.signal([30, 0.8]) }
        var nan = Self.theta
        nan[8] = .nan
        #expect(throws: GravitationalWaveError.self) { try network.signal(nan) }
        #expect(throws: GravitationalWaveError.self) { try network.arrivalTimes(of: nan) }
        var q = Self.theta
        q[1] = 1.5
        #expect(throws: GravitationalWaveError.self) { try network.signal(q) }
        var spin = Self.theta
        spin[2] = 1.2
        #expect(throws: GravitationalWaveError.self) { try network.signal(spin) }
        var distance = Self.theta
        distance[4] = -5
        #expect(throws: GravitationalWaveError.self) { try network.signal(distance) }
    }

    /// Whitened noise-only data has unit variance per real and imaginary component: coloured
    /// noise drawn from each detector's PSD, whitened by the network's layout.
    @Test func noiseOnlyDataHasUnitVariance() throws {
        let network = try Self.network()
        var rng = RandomSource(seed: 11)
        var sum = 0.0
        var sumSquares = 0.0
        var count = 0
        for _ in 0..<20 {
            let noise: [FrequencySeries<Double>] = network.noiseSpectra.map { $0.sampleNoise(using: &rng) }
            let x = try network.observation(fromStrain: noise)
            for v in x {
                sum += v
                sumSquares += v * v
            }
            count += x.count
        }
        let mean = sum / Double(count)
        let variance = sumSquares / Double(count) - mean * mean
        // 26,040 deviates: the standard error of the variance is 0.009, of the mean 0.006.
        #expect(abs(variance - 1) < 0.04, "variance \(variance)")
        #expect(abs(mean) < 0.03, "mean \(mean)")
    }

    /// The arrival times are geocent_time plus LAL's geocentre delays (XLALTimeDelayFromEarthCenter
    /// fixtures) at the reference time, and a common shift of geocent_time moves them all by it.
    @Test func arrivalTimesMatchLALDelays() throws {
        let fixture = try Fixtures.decode(Fixtures.Antenna.self, "antenna.json")
        var worst = 0.0
        for row in fixture.delays.prefix(20) {
            var configuration = BinaryBlackHoleNetwork.Configuration.reduced
            configuration.referenceTime = GPSTime(seconds: row.gpsSeconds, nanoseconds: row.gpsNanoseconds)
            let network = try BinaryBlackHoleNetwork(configuration)
            var theta = Self.theta
            theta[8] = row.ra
            theta[9] = row.dec
            theta[10] = 0
            let times = try network.arrivalTimes(of: theta)
            for (t, expected) in zip(times, [row.H1, row.L1, row.V1]) {
                worst = max(worst, abs(t - expected))
                #expect(abs(t - expected) < 1e-9, "\(t) vs LAL \(expected)")
            }
            theta[10] = 0.0731
            let shifted = try network.arrivalTimes(of: theta)
            for (a, b) in zip(shifted, times) { #expect(abs(a - b - 0.0731) < 1e-15) }
        }
        print("network arrival times: worst |Δt| against LAL \(worst) s")
    }

    /// The strain equals Detector.projectedStrain (antenna patterns and delays at GMST(t_c)) when
    /// geocent_time = 0, and a non-zero geocent_time only multiplies it by e^{−2πif t_c}: the
    /// patterns stay those of the reference time.
    @Test func strainAgreesWithTheDetectorProjection() throws {
        let network = try Self.network()
        var theta = Self.theta
        theta[10] = 0
        let binary = try network.binary(from: theta)
        #expect(abs(binary.chirpMass - 30) < 1e-12 && abs(binary.massRatio - 0.8) < 1e-12)
        let polarizations = try IMRPhenomD().polarizations(of: binary, on: network.grid)
        let strains = try network.strain(of: theta)
        for (detector, strain) in zip(network.detectors, strains) {
            let expected = try detector.projectedStrain(
                polarizations, rightAscension: theta[8], declination: theta[9], polarization: theta[7],
                geocentricTime: network.referenceTime, referenceTime: network.referenceTime)
            let scale = expected.magnitudes.max()!
            for k in network.grid.bandBins {
                #expect(abs(strain.real[k] - expected.real[k]) < 1e-12 * scale)
                #expect(abs(strain.imaginary[k] - expected.imaginary[k]) < 1e-12 * scale)
            }
        }
        let tc = 0.047
        theta[10] = tc
        for (unshifted, shifted) in zip(strains, try network.strain(of: theta)) {
            let expected = try unshifted.timeShifted(by: tc)
            let scale = expected.magnitudes.max()!
            for k in network.grid.bandBins {
                #expect(abs(shifted.real[k] - expected.real[k]) < 1e-11 * scale)
                #expect(abs(shifted.imaginary[k] - expected.imaginary[k]) < 1e-11 * scale)
            }
        }
    }

    /// The simulator's whitened signal is the strain whitened by NoiseSpectrum, its norm per
    /// detector is NoiseSpectrum's optimal SNR, and the layout round-trips through whitenedSeries.
    @Test func signalIsTheWhitenedStrainAndCarriesTheSNR() throws {
        let network = try Self.network()
        let s = try network.signal(Self.theta)
        let strains = try network.strain(of: Self.theta)
        let viaLayout = try network.observation(fromStrain: strains)
        let scale = s.map(abs).max()!
        for i in s.indices { #expect(abs(s[i] - viaLayout[i]) < 1e-10 * scale, "index \(i)") }
        let snrs = try network.optimalSNRs(of: Self.theta)
        for (channel, spectrum) in network.noiseSpectra.enumerated() {
            let rho = try spectrum.optimalSNR(of: strains[channel])
            #expect(
                abs(snrs[channel] / rho - 1) < 1e-10, "\(network.detectors[channel].name): \(snrs[channel]) vs \(rho)")
            let white = try spectrum.whitened(strains[channel])
            let series = try network.whitenedSeries(of: s)[channel]
            for k in network.grid.bandBins {
                #expect(abs(series.real[k] - Double(white.real[k])) < 1e-6 * scale)
            }
        }
        print("θ = \(Self.theta): SNRs \(snrs)")
        #expect(snrs.allSatisfy { $0 > 1 })
        // The whitened time series: Parseval (the band does not cover the grid: no noise check).
        let (times, values) = try network.whitenedTimeSeries(of: s)
        #expect(values.count == 3 && times.count == values[0].count && times.count == 2 * 256)
        for (channel, x) in values.enumerated() {
            let energy = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(energy.squareRoot() / snrs[channel] - 1) < 1e-3)
            // The merger (t_I ≈ 13 ms ± 21 ms from t_ref) is where the whitened strain peaks.
            let peak = x.indices.max { abs(x[$0]) < abs(x[$1]) }!
            #expect(abs(times[peak]) < 0.06, "peak at \(times[peak]) s")
        }
    }

    /// The README's example of the network model, as written there.
    @Test func readmeExampleRuns() throws {
        let network = try BinaryBlackHoleNetwork(.reduced)
        let model = try network.simulationModel()
        let theta = [30, 0.8, 0.3, -0.2, 400, 1.3, 0.6, 0.7, 1.9, -0.4, 0.013]
        let s = try network.signal(theta)
        let t = try network.arrivalTimes(of: theta)
        var rng = RandomSource(seed: 1)
        let x = try model.simulate(theta, using: &rng)
        let logL = try network.logLikelihood(of: theta, given: x)
        let moved = network.timeTranslations.transformingData(x, by: [0.01, 0, -0.003])
        let gnpeModel = try SimulationModel {
            network
            Equivariance(
                pose: network.arrivalTimePose, group: network.timeTranslations,
                kernel: .uniform(width: 0.002), exactPart: .commonTranslation(moving: "geocent_time"))
        }
        #expect(s.count == 1302 && t.count == 3 && logL.isFinite && moved.count == x.count)
        #expect(gnpeModel.equivariances.count == 1)
    }
}
