import Foundation
@testable import Inference

/// Fuzzes the estimator-file reader (`EstimatorArchive`, the GNPEARCH format) and the NPE loader
/// on top of it.
///
/// The first byte picks a mode, the rest is the file:
/// - even: read as it is (magic, sizes, version and CRC-32 checks);
/// - odd: the last four bytes are first replaced by the CRC-32 of the bytes before them, so that
///   mutated files pass the checksum and reach the header JSON, the section table and the
///   tensors (otherwise almost every mutation stops at the checksum).
/// An archive that reads must encode to bytes that read back to the same encoding; NPE loading
/// from it must throw or succeed, never trap.
///
/// `FuzzMain.swift` exports it to libFuzzer as `LLVMFuzzerTestOneInput`.
public func fuzzEstimatorFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let mode = bytes.first else { return 0 }
    var file = Array(bytes.dropFirst())
    if mode % 2 == 1 && file.count >= 4 {
        let crc = CRC32.checksum(file[..<(file.count - 4)])
        withUnsafeBytes(of: crc.littleEndian) { file.replaceSubrange((file.count - 4)..., with: $0) }
    }
    guard let archive = try? EstimatorArchive(decoding: Data(file), path: "fuzz.npe") else { return 0 }
    do {
        let encoded = try archive.encoded()
        guard try EstimatorArchive(decoding: encoded).encoded() == encoded else {
            fatalError("an archive changed through encode → decode → encode")
        }
    } catch {
        fatalError("an archive that was read does not encode and read back: \(error)")
    }
    _ = try? NPE(archive: archive)
    return 0
}
