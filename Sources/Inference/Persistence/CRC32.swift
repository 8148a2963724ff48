/// The CRC-32 checksum (IEEE 802.3, polynomial 0xEDB88320 reflected, as zlib's `crc32`).
///
/// Written here because no package the project uses offers it: swift-crypto has hashes but no
/// CRC, and zlib's `crc32` is not exposed by Foundation on Linux (it would take another
/// system-library target). The estimator file needs only detection of accidental damage.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
