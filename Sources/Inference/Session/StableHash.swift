import Foundation

/// A 128-bit hash that is the same in every process and build (Swift's `Hasher` is seeded per
/// process, so it cannot name files that a later worker must find). Two 64-bit lanes of
/// multiply–xorshift mixing over 64-bit words; fast enough to hash 10⁷ doubles in a few tens of
/// milliseconds. Not cryptographic: it identifies the session's own work, it does not defend
/// against an adversary. (Hand-written because the package's only hash library, swift-crypto, is
/// not a dependency of this module and SHA-256 over 10⁸ bytes would cost seconds.)
struct StableHash {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Mixes in one 64-bit word.
    @inline(__always)
    mutating func combine(_ word: UInt64) {
        a = Self.mix(a ^ word) &+ 0x9E37_79B9_7F4A_7C15
        b = Self.mix(b &+ (word ^ 0xD6E8_FEB8_6659_FD93)) ^ (b >> 17)
        length &+= 1
    }

    /// Mixes in the bit patterns of `values`.
    mutating func combine(_ values: [Double]) {
        combine(UInt64(values.count))
        for v in values { combine(v.bitPattern) }
    }

    /// Mixes in the bit patterns of `values` (two per word, the last one alone when odd).
    mutating func combine(_ values: [Float]) {
        combine(UInt64(values.count))
        var i = 0
        while i + 1 < values.count {
            combine(UInt64(values[i].bitPattern) | UInt64(values[i + 1].bitPattern) << 32)
            i += 2
        }
        if i < values.count { combine(UInt64(values[i].bitPattern)) }
    }

    /// Mixes in a string's UTF-8 bytes.
    mutating func combine(_ text: String) {
        combine(Data(text.utf8))
    }

    /// Mixes in bytes (8 at a time, the tail zero-padded, then the count).
    mutating func combine(_ data: Data) {
        data.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                combine(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            for k in 0..<(raw.count - i) { tail |= UInt64(raw[i + k]) << (8 * UInt64(k)) }
            combine(tail)
        }
        combine(UInt64(data.count))
    }

    /// 32 hexadecimal digits.
    var hexDigest: String {
        let x = Self.mix(a ^ length)
        let y = Self.mix(b ^ (length &* 0x9E37_79B9_7F4A_7C15))
        let hx = String(x, radix: 16)
        let hy = String(y, radix: 16)
        return String(repeating: "0", count: 16 - hx.count) + hx + String(repeating: "0", count: 16 - hy.count) + hy
    }
}
