import Foundation
import Testing

@testable import GravitationalWaves

@Suite struct SiderealTimeTests {
    /// GMST against `XLALGreenwichMeanSiderealTime` at 24 GPS times: 1980 (the start of the
    /// leap-second table), around leap seconds (1981, 2016/17), non-integer times, and 2048.
    @Test func greenwichMeanSiderealTimeMatchesLAL() throws {
        let fixture = try Fixtures.decode(Fixtures.SiderealTimes.self, "gmst.json")
        #expect(fixture.times.count >= 20)
        var worst = 0.0
        for entry in fixture.times {
            let time = GPSTime(seconds: entry.gpsSeconds, nanoseconds: entry.gpsNanoseconds)
            let gmst = try time.greenwichMeanSiderealTime()
            let error = abs(gmst - entry.gmst)
            worst = max(worst, error / abs(entry.gmst))
            #expect(error <= 1e-9 * abs(entry.gmst), "GPS \(time): \(gmst) vs LAL \(entry.gmst)")
            // Reduced modulo 2π the angle itself agrees to 1e-9 rad.
            #expect(error <= 1e-9, "GPS \(time): absolute error \(error) rad")
        }
        print("GMST: worst relative error \(worst) over \(fixture.times.count) times")
    }

    @Test func leapSecondsAndInvalidTimes() throws {
        // During the leap second 2016-12-31 23:59:60 UTC (GPS 1167264017) UTC reads the next
        // midnight, as at GPS 1167264018.
        let during = try GPSTime(seconds: 1_167_264_017).utcSecondsSinceGPSEpoch()
        let after = try GPSTime(seconds: 1_167_264_018).utcSecondsSinceGPSEpoch()
        #expect(during == after)
        #expect(after - (try GPSTime(seconds: 1_167_264_016).utcSecondsSinceGPSEpoch()) == 1)
        #expect(after % 86400 == 0)  // 2017-01-01 00:00:00 UTC
        #expect(throws: GravitationalWaveError.timeBeforeLeapSecondTable(gpsSeconds: -43201)) {
            try GPSTime(seconds: -43201).greenwichMeanSiderealTime()
        }
        #expect(throws: GravitationalWaveError.self) { try GPSTime(Double.nan) }
        let t = try GPSTime(1126259462.4)
        #expect(t.seconds == 1_126_259_462 && abs(t.nanoseconds - 400_000_000) < 300)
        let negative = try GPSTime(-1.25)
        #expect(negative.seconds == -2 && negative.nanoseconds == 750_000_000)
        #expect(GPSTime(seconds: 5, nanoseconds: -1) == GPSTime(seconds: 4, nanoseconds: 999_999_999))
        #expect(GPSTime(seconds: Int.max, nanoseconds: 2_000_000_000).seconds == Int.max)
        #expect(GPSTime(seconds: 1, nanoseconds: 5).description == "1.000000005")
    }
}
