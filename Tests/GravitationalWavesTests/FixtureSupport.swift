import Foundation
import Inference

/// Reads the LAL reference fixtures written by `scripts/gw-fixtures` (copied into the test
/// bundle from Tests/GravitationalWavesTests/Fixtures).
enum Fixtures {
    static func url(_ name: String) throws -> URL {
        if let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) {
            return folder.appendingPathComponent(name)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }

    struct SiderealTimes: Decodable {
        struct Entry: Decodable {
            let gpsSeconds: Int
            let gpsNanoseconds: Int
            let gmst: Double
        }
        let times: [Entry]
    }

    struct Detectors: Decodable {
        struct Entry: Decodable {
            let location: [Double]
            let response: [[Double]]
            let vertexLatitudeRadians, vertexLongitudeRadians, vertexElevation: Double
            let xArmAzimuthRadians, yArmAzimuthRadians, xArmAltitudeRadians, yArmAltitudeRadians: Double
        }
        let detectors: [String: Entry]
    }

    struct Antenna: Decodable {
        struct Response: Decodable {
            let ra, dec, psi, gmst: Double
            let H1, L1, V1: [Double]
        }
        struct Delay: Decodable {
            let ra, dec: Double
            let gpsSeconds, gpsNanoseconds: Int
            let H1, L1, V1: Double
        }
        let responses: [Response]
        let delays: [Delay]
    }

    struct DesignPSDs: Decodable {
        let frequencies: [Double]
        let aLIGOZeroDetHighPower: [Double]
        let AdvVirgo: [Double]
    }

    struct Waveforms: Decodable {
        struct Point: Decodable {
            let mass1, mass2, chi1, chi2, distanceMpc, inclination, phiRef: Double
            let fMin, fMax, deltaF, fRef: Double
            let binCount, firstBin: Int
            let peakPlusAmplitude, snrALIGOZeroDetHighPower: Double
        }
        let approximant: String
        let points: [Point]
    }

    /// One stored bin of a fixture waveform.
    struct Sample {
        let bin: Int
        let plusReal, plusImaginary, crossReal, crossImaginary: Double
    }

    /// The fixture's points and, per point, its stored bins.
    static func waveforms(_ approximant: String) throws -> (points: [Waveforms.Point], samples: [[Sample]]) {
        let meta = try decode(Waveforms.self, approximant + ".json")
        let array = try NumPyArray(contentsOf: url(approximant + ".npy"))
        var samples = [[Sample]](repeating: [], count: meta.points.count)
        let columns = array.shape[1]
        for row in 0..<array.shape[0] {
            let v = Array(array.values[row * columns..<(row + 1) * columns])
            samples[Int(v[0])].append(
                Sample(
                    bin: Int(v[1]), plusReal: v[2], plusImaginary: v[3],
                    crossReal: v[4], crossImaginary: v[5]))
        }
        return (meta.points, samples)
    }
}
