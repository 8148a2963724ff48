import Foundation

extension GPSTime {
    /// TAI − UTC in seconds from each GPS second on which it changed: the IERS leap seconds since
    /// the GPS epoch (Bulletin C; the last, 2017-01-01). GPS − UTC = TAI − UTC − 19 s.
    /// The first entry starts the table at 1980-01-05 12:00 UTC, as LAL's does.
    static let leapSeconds: [(gpsSeconds: Int, taiMinusUTC: Int)] = [
        (-43200, 19), (46_828_800, 20), (78_364_801, 21), (109_900_802, 22), (173_059_203, 23),
        (252_028_804, 24), (315_187_205, 25), (346_723_206, 26), (393_984_007, 27),
        (425_520_008, 28), (457_056_009, 29), (504_489_610, 30), (551_750_411, 31),
        (599_184_012, 32), (820_108_813, 33), (914_803_214, 34), (1_025_136_015, 35),
        (1_119_744_016, 36), (1_167_264_017, 37),
    ]

    /// The UTC time of this GPS second, as whole seconds since 1980-01-06 00:00:00 UTC counted
    /// in days of 86,400 s: during an inserted leap second (23:59:60) the count already reads
    /// the following midnight, as LAL's `XLALGPSToUTC` followed by a Julian date does.
    /// - Throws: ``GravitationalWaveError/timeBeforeLeapSecondTable(gpsSeconds:)``.
    func utcSecondsSinceGPSEpoch() throws -> Int {
        guard seconds >= Self.leapSeconds[0].gpsSeconds else {
            throw GravitationalWaveError.timeBeforeLeapSecondTable(gpsSeconds: seconds)
        }
        let index = Self.leapSeconds.lastIndex { $0.gpsSeconds <= seconds }!
        var utc = seconds - (Self.leapSeconds[index].taiMinusUTC - 19)
        if index > 0 && Self.leapSeconds[index].gpsSeconds == seconds { utc += 1 }  // 23:59:60
        return utc
    }

    /// The Greenwich mean sidereal time at this instant, in radians, **not** reduced modulo 2π
    /// (as `XLALGreenwichMeanSiderealTime` returns it; reduce it yourself if needed).
    ///
    /// Uses the IAU 1982 expression of GMST in terms of UT1 (Aoki et al. 1982, A&A 105, 359):
    /// GMST = 24110.54841 s + 8640184.812866 s·T + 0.093104 s·T² − 6.2·10⁻⁶ s·T³ plus the
    /// elapsed UT1 day, with T the Julian centuries of UT1 since J2000.0 (JD 2451545.0). UT1 is
    /// approximated by UTC (|UT1 − UTC| < 0.9 s; LAL makes the same approximation), obtained
    /// from GPS with the leap-second table; the Julian date is formed from whole UTC seconds and
    /// the nanoseconds are added separately to keep double precision, following LAL.
    ///
    /// - Returns: GMST in radians (2π per sidereal day).
    /// - Throws: ``GravitationalWaveError/timeBeforeLeapSecondTable(gpsSeconds:)`` for times
    ///   before GPS −43200 s.
    public func greenwichMeanSiderealTime() throws -> Double {
        let utc = try utcSecondsSinceGPSEpoch()
        let days = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400)
        let secondOfDay = utc - days * 86400
        // Julian day number of the noon of 1980-01-06 is 2444245; Julian dates begin at noon.
        let julianDate = Double(2_444_245 + days) + (Double(secondOfDay) / 86400 - 0.5)
        let secondsPerCentury = 36525.0 * 86400.0
        let centuriesHigh = (julianDate - 2_451_545.0) / 36525.0
        let centuriesLow = Double(nanoseconds) / (1e9 * secondsPerCentury)
        let t = centuriesHigh + centuriesLow
        // 67310.54841 = 24110.54841 + 43200: the day count starts at noon (J2000.0 is noon).
        var siderealSeconds = (-6.2e-6 * t + 0.093104) * t * t + 67310.54841
        siderealSeconds += 8640184.812866 * centuriesLow
        siderealSeconds += secondsPerCentury * centuriesLow
        siderealSeconds += 8640184.812866 * centuriesHigh
        siderealSeconds += secondsPerCentury * centuriesHigh
        return siderealSeconds * Double.pi / 43200
    }
}
