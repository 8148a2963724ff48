import Foundation
import Testing
import TensorCore
@testable import Inference

/// Damaged, truncated and concurrently written estimator files: every variant is refused with a
/// typed error that names the problem, never a trap and never a silently different model.
@Suite struct EstimatorRobustnessTests {
    /// An NPE with a tiny flow (one transform, 4 hidden units) trained for one epoch: its file
    /// is under 2 KB, so that every byte and every bit of it can be damaged in turn.
    static func tinyNPE(seed: UInt64 = 1) throws -> NPE {
        let npe = NPE(model: try NPETests.boxModel())
        npe.architecture.transformCount = 1
        npe.architecture.hiddenFeatures = 4
        npe.architecture.hiddenLayerCount = 1
        npe.architecture.embedding = .identity(features: npe.observationLength)
        npe.settings.maximumEpochs = 1
        npe.settings.batchSize = 50
        try npe.appendSimulations(count: 200, seed: seed)
        try npe.train()
        return npe
    }

    static func decode(_ bytes: [UInt8]) throws { _ = try EstimatorArchive(decoding: Data(bytes), path: "tiny.npe") }

    /// `bytes` with its closing CRC-32 recomputed, as a file written that way would have it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let crc = CRC32.checksum(out.dropLast(4))
        out.replaceSubrange((out.count - 4)..., with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        return out
    }

    @Test func everyTruncationIsRefusedAsTruncated() throws {
        let bytes = [UInt8](try Self.tinyNPE().archive().encoded())
        #expect(bytes.count < 8_000, "the tiny file stays tiny (\(bytes.count) bytes)")
        #expect(throws: EstimatorFileError.notAnEstimatorFile(path: "tiny.npe")) { try Self.decode([]) }
        for cut in 1..<bytes.count {
            do {
                try Self.decode(Array(bytes[..<cut]))
                Issue.record("a file cut to \(cut) of \(bytes.count) bytes was read")
            } catch let error as EstimatorFileError {
                guard case .truncated(_, let expected, let found) = error, found == cut, expected > cut else {
                    Issue.record("cut at \(cut): \(error)")
                    continue
                }
                #expect(error.description.contains("truncated"))
            }
        }
    }

    @Test func everyFlippedBitIsRefusedAndNamed() throws {
        let bytes = [UInt8](try Self.tinyNPE().archive().encoded())
        try Self.decode(bytes)
        var counts: [String: Int] = [:]
        for index in bytes.indices {
            for bit in 0..<8 {
                var damaged = bytes
                damaged[index] ^= 1 << bit
                do {
                    try Self.decode(damaged)
                    Issue.record("byte \(index) bit \(bit) flipped was read")
                } catch let error as EstimatorFileError {
                    let region = index < 8 ? "magic" : index < 16 ? "version" : index < 32 ? "sizes" : "contents"
                    switch (region, error) {
                    case ("magic", .notAnEstimatorFile):
                        #expect(error.description.contains("not a saved estimator"))
                    case ("sizes", .truncated):   // a larger size: the file is shorter than it says
                        #expect(error.description.contains("truncated"))
                    case (_, .checksumMismatch) where region != "magic":
                        #expect(error.description.contains("damaged"))
                    default:
                        Issue.record("byte \(index) (\(region)) bit \(bit): unexpected \(error)")
                    }
                    counts[region, default: 0] += 1
                }
            }
        }
        #expect(counts.values.reduce(0, +) == bytes.count * 8)
    }

    /// Regression (found by the bit-flip test): a payload size with its top bit set made the
    /// reader add past `Int.max` and trap.
    @Test func sizesBeyondAnyFileAreTruncationNotATrap() throws {
        let bytes = [UInt8](try Self.tinyNPE().archive().encoded())
        for offset in [23, 31] {   // top byte of the header size, of the payload size
            var damaged = bytes
            damaged[offset] = 0x80
            #expect {
                try Self.decode(damaged)
            } throws: { error in
                guard case .truncated(_, let expected, _)? = error as? EstimatorFileError else { return false }
                return expected > bytes.count
            }
        }
    }

    /// Section tables that pass the checksum but do not fit: offsets past the payload, sizes
    /// that overflow, shapes whose element count overflows, a name listed twice.
    @Test(arguments: [
        (#"{"kind":"npe","sections":[{"name":"a","type":"json","offset":9223372036854775807,"byteCount":1}]}"#, "outside the payload"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"json","offset":2,"byteCount":9223372036854775807}]}"#, "outside the payload"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"json","offset":-1,"byteCount":1}]}"#, "outside the payload"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"float32","offset":0,"byteCount":8,"shapes":[[4611686018427387904,4,0]]}]}"#, "shapes do not match"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"float32","offset":0,"byteCount":8,"shapes":[[2],[9223372036854775807]]}]}"#, "shapes do not match"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"float32","offset":0,"byteCount":8,"shapes":[[-2,-1]]}]}"#, "shapes do not match"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"json","offset":0,"byteCount":2},{"name":"a","type":"json","offset":0,"byteCount":2}]}"#, "twice"),
        (#"{"kind":"npe","sections":[{"name":"a","type":"float64","offset":0,"byteCount":8}]}"#, "unknown type"),
        (#"{"kind":"npe","sections":"#, "header is not valid"),
    ])
    func sectionTablesThatDoNotFitAreMalformed(header: String, problem: String) throws {
        var bytes = Array("GNPEARCH".utf8)
        let payload: [UInt8] = Array("{}".utf8) + [0, 0, 0, 0, 0, 0]
        for field in [UInt64(1) | UInt64(0) << 32, UInt64(header.utf8.count), UInt64(payload.count)] {
            withUnsafeBytes(of: field.littleEndian) { bytes += $0 }
        }
        bytes += Array(header.utf8) + payload + [0, 0, 0, 0]
        #expect {
            try Self.decode(Self.resealed(bytes))
        } throws: { error in
            guard case .malformed(_, let reason)? = error as? EstimatorFileError else { return false }
            return reason.contains(problem)
        }
    }

    @Test func aDamagedVersionIsDamageAndAnIntactNewerOneIsANewerVersion() throws {
        let bytes = [UInt8](try Self.tinyNPE().archive().encoded())
        for version: UInt8 in [0, 2, 200] {
            var file = bytes
            file[8] = version
            #expect {
                try Self.decode(file)
            } throws: { error in
                if case .checksumMismatch? = error as? EstimatorFileError { return true }
                return false
            }
            #expect(throws: EstimatorFileError.unsupportedVersion(path: "tiny.npe", found: UInt32(version), newestSupported: 1)) {
                try Self.decode(Self.resealed(file))
            }
        }
        var longer = bytes
        longer.insert(0, at: 40)
        #expect {
            try Self.decode(longer)
        } throws: { error in
            if case .checksumMismatch? = error as? EstimatorFileError { return true }
            return false
        }
    }

    /// Two writers save different models to one path in a loop while a reader loads it: every
    /// load succeeds and is exactly one of the two models (the save writes a temporary file in
    /// the same directory and renames it over the destination).
    @Test func concurrentSavesAlwaysLeaveOneCompleteModel() throws {
        let models = [try Self.tinyNPE(seed: 1), try Self.tinyNPE(seed: 2)]
        let files = try models.map { try $0.archive().encoded() }
        #expect(files[0] != files[1])
        let dir = try EstimatorFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("shared.npe")
        try models[0].save(to: url)
        let rounds = 150
        let problems = LockedList(), loads = LockedList()
        let writers = models.map { model in
            {
                for _ in 0..<rounds {
                    do { try model.save(to: url) } catch { problems.append("save: \(error)") }
                }
            }
        }
        let reader = {
            for _ in 0..<(2 * rounds) {
                do {
                    let bytes = try Data(contentsOf: url)
                    guard bytes == files[0] || bytes == files[1] else {
                        problems.append("read a file that is neither model (\(bytes.count) bytes)")
                        continue
                    }
                    let weights = try NPE.load(from: url).flow?.weights
                    if weights != models[0].flow?.weights && weights != models[1].flow?.weights {
                        problems.append("loaded weights of neither model")
                    }
                    loads.append("ok")
                } catch { problems.append("load: \(error)") }
            }
        }
        // Threads, not tasks: the cooperative pool has one thread per core and could run the
        // loops one after another.
        let finished = DispatchGroup()
        for job in writers + [reader] {
            finished.enter()
            Thread.detachNewThread {
                job()
                finished.leave()
            }
        }
        finished.wait()
        let found = problems.items
        #expect(found.count == 0, "first problems: \(found.prefix(3))")
        #expect(loads.items.count == 2 * rounds)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["shared.npe"], "no temporary files left")
    }
}

/// A list that threads append to under a lock.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}
