import Foundation
import Inference

/// Fuzzes the `.npy` reader.
///
/// Besides not trapping (and not allocating more than the input justifies: libFuzzer's
/// `-rss_limit_mb` reports that as a crash), an array that reads must hold one value per element
/// of its shape, and write and read back to the same values, bit for bit.
///
/// `FuzzMain.swift` exports it to libFuzzer as `LLVMFuzzerTestOneInput`.
public func fuzzNumPyReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    guard let array = try? NumPyArray(npyData: data, path: "fuzz.npy") else { return 0 }
    guard array.values.count == array.shape.reduce(1, *) else {
        fatalError("\(array.values.count) values for shape \(array.shape)")
    }
    let back: NumPyArray
    do { back = try NumPyArray(npyData: array.npyData(as: .float64), path: "again.npy") } catch {
        fatalError("an array that was read does not read back after writing: \(error)")
    }
    guard back.shape == array.shape, back.values.map(\.bitPattern) == array.values.map(\.bitPattern) else {
        fatalError("an array changed through write → read")
    }
    _ = try? array.matrix()
    return 0
}
