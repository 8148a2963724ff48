import Foundation

/// A GPS time: whole seconds since 1980-01-06 00:00:00 UTC plus nanoseconds, as LAL's
/// `LIGOTimeGPS` keeps it (a `Double` alone resolves only ~0.2 µs at today's GPS times).
///
/// ```swift
/// let gw150914 = GPSTime(seconds: 1126259462, nanoseconds: 400_000_000)
/// let gmst = try gw150914.greenwichMeanSiderealTime()      // radians, not reduced mod 2π
/// ```
public struct GPSTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole GPS seconds (the floor of the time).
    public let seconds: Int
    /// Nanoseconds past ``seconds``, 0…999,999,999.
    public let nanoseconds: Int

    /// Creates a time, carrying nanoseconds outside 0…999,999,999 into the seconds (the
    /// seconds saturate at `Int.min`/`Int.max` rather than overflow).
    /// - Parameters:
    ///   - seconds: Whole GPS seconds.
    ///   - nanoseconds: Nanoseconds (any sign; normalised).
    public init(seconds: Int, nanoseconds: Int = 0) {
        var (carry, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if rest < 0 {
            carry -= 1
            rest += 1_000_000_000
        }
        let (sum, overflow) = seconds.addingReportingOverflow(carry)
        self.seconds = overflow ? (carry > 0 ? Int.max : Int.min) : sum
        self.nanoseconds = rest
    }

    /// Creates a time from GPS seconds as a floating-point number, rounded to the nanosecond.
    /// - Parameter time: GPS seconds.
    /// - Throws: ``GravitationalWaveError/invalidParameter(_:)`` if `time` is not finite or
    ///   beyond ±9·10¹⁸ s.
    public init(_ time: Double) throws {
        guard time.isFinite, abs(time) < 9e18 else {
            throw GravitationalWaveError.invalidParameter("GPS time must be finite, got \(time)")
        }
        let whole = time.rounded(.down)
        self.init(seconds: Int(whole), nanoseconds: Int(((time - whole) * 1e9).rounded()))
    }

    /// The time as GPS seconds in a `Double` (rounded to about 0.2 µs at current epochs).
    public var timeInterval: Double { Double(seconds) + Double(nanoseconds) * 1e-9 }

    /// Whether `lhs` is earlier than `rhs`.
    public static func < (lhs: GPSTime, rhs: GPSTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// "seconds.nanoseconds".
    public var description: String {
        let ns = String(nanoseconds)
        return "\(seconds).\(String(repeating: "0", count: 9 - ns.count))\(ns)"
    }
}
