import Foundation
import Testing

@testable import GravitationalWaves

@Suite struct DetectorTests {
    static let names = ["H1", "L1", "V1"]

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let difference = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        return difference / b.map { $0 * $0 }.reduce(0, +).squareRoot()
    }

    /// The vertices computed here on the WGS-84 ellipsoid from the published geodetic numbers
    /// agree with LAL's cached locations to 1e-9 relative; the response tensors agree with LAL's
    /// to its single-precision storage (LAL keeps `response` as REAL4).
    @Test(arguments: names)
    func geometryMatchesLALsCachedDetector(_ name: String) throws {
        let fixture = try Fixtures.decode(Fixtures.Detectors.self, "detectors.json").detectors[name]!
        let detector = try Detector.named(name)
        let locationError = Self.relativeError(detector.location, fixture.location)
        #expect(locationError < 1e-9, "\(name) location: relative error \(locationError)")
        let lalResponse = fixture.response.flatMap { $0 }
        let responseError = zip(detector.responseTensor, lalResponse).map { abs($0 - $1) }.max()!
        #expect(responseError < 1e-7, "\(name) response: max |ΔD| \(responseError)")
        // Symmetric and traceless for a differential interferometer with horizontal arms.
        let d = detector.responseTensor
        #expect(abs(d[1] - d[3]) < 1e-15 && abs(d[2] - d[6]) < 1e-15 && abs(d[5] - d[7]) < 1e-15)
        #expect(abs(d[0] + d[4] + d[8]) < 1e-6)
        // LAL's frDetector keeps the same published numbers (in single precision).
        let site = [
            fixture.vertexLatitudeRadians, fixture.vertexLongitudeRadians, fixture.vertexElevation,
            fixture.xArmAzimuthRadians, fixture.yArmAzimuthRadians,
        ]
        print(
            "\(name): location relative error \(locationError), response max |ΔD| \(responseError) (LAL stores REAL4)")
        #expect(site.allSatisfy { $0.isFinite })
    }

    /// F₊, F× against `XLALComputeDetAMResponse` at 50 random sky positions, polarisations and
    /// sidereal times: to 1e-9 with LAL's own (single-precision) tensor, and to the REAL4
    /// rounding of that tensor (< 1e-6) with the tensor computed here.
    @Test func antennaPatternsMatchLAL() throws {
        let fixture = try Fixtures.decode(Fixtures.Antenna.self, "antenna.json")
        let lal = try Fixtures.decode(Fixtures.Detectors.self, "detectors.json").detectors
        #expect(fixture.responses.count >= 50)
        var worstSame = 0.0
        var worstOwn = 0.0
        for name in Self.names {
            let own = try Detector.named(name)
            let lalDetector = try Detector(
                name: name, location: lal[name]!.location,
                responseTensor: lal[name]!.response.flatMap { $0 })
            for row in fixture.responses {
                let expected = name == "H1" ? row.H1 : name == "L1" ? row.L1 : row.V1
                for (detector, tolerance) in [(lalDetector, 1e-9), (own, 1e-6)] {
                    let (fp, fc) = detector.antennaPattern(
                        rightAscension: row.ra, declination: row.dec,
                        polarization: row.psi, greenwichMeanSiderealTime: row.gmst)
                    let error = max(abs(fp - expected[0]), abs(fc - expected[1]))
                    #expect(error < tolerance, "\(name) at \(row): (\(fp), \(fc)) vs \(expected)")
                    if tolerance < 1e-8 { worstSame = max(worstSame, error) } else { worstOwn = max(worstOwn, error) }
                }
            }
        }
        print("antenna patterns: worst |ΔF| \(worstSame) with LAL's tensor, \(worstOwn) with ours")
    }

    /// Arrival-time delays from the geocentre against `XLALTimeDelayFromEarthCenter` (GMST from
    /// the GPS time) to 1e-9 s.
    @Test func timeDelaysMatchLAL() throws {
        let fixture = try Fixtures.decode(Fixtures.Antenna.self, "antenna.json")
        #expect(fixture.delays.count >= 50)
        var worst = 0.0
        for row in fixture.delays {
            let time = GPSTime(seconds: row.gpsSeconds, nanoseconds: row.gpsNanoseconds)
            for (name, expected) in [("H1", row.H1), ("L1", row.L1), ("V1", row.V1)] {
                let delay = try Detector.named(name).timeDelayFromGeocenter(
                    rightAscension: row.ra, declination: row.dec, at: time)
                worst = max(worst, abs(delay - expected))
                #expect(abs(delay - expected) < 1e-9, "\(name): \(delay) vs \(expected)")
                #expect(abs(delay) < 0.0214)
            }
        }
        print("time delays: worst |Δt| \(worst) s")
    }

    @Test func badDetectorsAreRejected() throws {
        #expect(throws: GravitationalWaveError.self) { try Detector.named("K1") }
        #expect(throws: GravitationalWaveError.self) {
            try Detector(name: "X", location: [0, 0], responseTensor: [Double](repeating: 0, count: 9))
        }
        #expect(throws: GravitationalWaveError.self) {
            try Detector(name: "X", location: [0, 0, .nan], responseTensor: [Double](repeating: 0, count: 9))
        }
    }
}
