import Flows
import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct EstimatorFileTests {
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estimator-file-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func savedEstimatorLoadsBitIdentically() throws {
        let npe = try NPETests.trainedBoxNPE()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("box.npe")
        try npe.save(to: url)
        try npe.save(to: url)   // overwriting is fine
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["box.npe"], "no temporary files left")
        let loaded = try NPE.load(from: url)
        #expect(loaded.parameterNames == npe.parameterNames)
        #expect(loaded.architecture == npe.architecture && loaded.settings == npe.settings)
        #expect(loaded.history == npe.history)
        #expect(loaded.flow?.weights == npe.flow?.weights)
        #expect(loaded.flow?.parameterStandardization == npe.flow?.parameterStandardization)
        let a = try npe.posterior.sample(count: 500, given: [0.3, 0.9], seed: 11)
        let b = try loaded.posterior.sample(count: 500, given: [0.3, 0.9], seed: 11)
        #expect(a == b)
        #expect(try npe.posterior.logProbability(of: a, given: [0.3, 0.9]) == (try loaded.posterior.logProbability(of: a, given: [0.3, 0.9])))
        // The loaded prior is the saved one.
        #expect(loaded.prior.description == npe.prior.description)
    }

    @Test func damagedFilesGiveDistinctErrors() throws {
        let npe = try NPETests.trainedBoxNPE()
        let bytes = [UInt8](try npe.archive().encoded())
        func decode(_ b: [UInt8]) throws { _ = try EstimatorArchive(decoding: Data(b), path: "f") }
        // Truncated anywhere: inside the magic, the prefix, the header, the payload, the checksum.
        for cut in [3, 20, 40, bytes.count / 2, bytes.count - 1] {
            #expect {
                try decode(Array(bytes[..<cut]))
            } throws: { error in
                guard case .truncated(_, let expected, let found)? = error as? EstimatorFileError else { return false }
                return found == cut && expected > cut
            }
        }
        // Another kind of file.
        let npy = [UInt8](NumPyArray(SampleMatrix(rows: 2, columns: 2)).npyData())
        #expect(throws: EstimatorFileError.notAnEstimatorFile(path: "f")) { try decode(npy) }
        #expect(throws: EstimatorFileError.notAnEstimatorFile(path: "f")) { try decode([]) }
        // A newer format version (intact: its checksum matches).
        var newer = bytes
        newer[8] = UInt8(EstimatorArchive.formatVersion + 1)
        newer.replaceSubrange((newer.count - 4)..., with: withUnsafeBytes(of: CRC32.checksum(newer.dropLast(4)).littleEndian, Array.init))
        #expect(throws: EstimatorFileError.unsupportedVersion(path: "f", found: EstimatorArchive.formatVersion + 1,
                                                              newestSupported: EstimatorArchive.formatVersion)) { try decode(newer) }
        // One flipped bit in the weights.
        var flipped = bytes
        flipped[bytes.count - 100] ^= 0x10
        #expect {
            try decode(flipped)
        } throws: { error in
            if case .checksumMismatch? = error as? EstimatorFileError { return true }
            return false
        }
        // The undamaged bytes decode.
        try decode(bytes)
        #expect(EstimatorFileError.truncated(path: "x.npe", expectedBytes: 10, foundBytes: 5).description.contains("truncated"))
    }

    @Test func archivesHoldNamedJSONAndTensorSections() throws {
        var archive = EstimatorArchive(kind: "gnpe")
        try archive.store(["t0"], as: "pose")
        archive.store(tensors: [Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .pi, 0, -0]), Tensor(shape: [0], scalars: [])],
                      as: "extra")
        let back = try EstimatorArchive(decoding: archive.encoded())
        #expect(back.kind == "gnpe" && back.sectionNames == ["pose", "extra"])
        #expect(try back.decode([String].self, from: "pose") == ["t0"])
        #expect(try back.tensors("extra") == archive.tensors("extra"))
        #expect(throws: EstimatorFileError.missingSection("flow")) { try back.tensors("flow") }
        #expect(throws: EstimatorFileError.wrongKind(expected: "npe", found: "gnpe")) { try NPE(archive: back) }
    }

    @Test func userDefinedPriorsMustBePassedAtLoad() throws {
        struct HalfNormal: Distribution {
            func sample(using rng: inout RandomSource) -> Double { abs(rng.nextNormal()) }
            func logDensity(of x: Double) -> Double { x < 0 ? -.infinity : -0.5 * x * x }
            var support: ClosedRange<Double> { 0 ... .infinity }
        }
        let prior = try JointPrior([("a", Uniform(0, 1)), ("s", HalfNormal())])
        let npe = try NPE(prior: prior, observationLength: 2)
        NPETests.configureSmall(npe, epochs: 1)
        var rng = RandomSource(seed: 1)
        let theta = prior.sample(count: 200, using: &rng)
        try npe.appendSimulations(parameters: theta, data: theta)
        try npe.train()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("custom.npe")
        try npe.save(to: url)
        #expect(throws: EstimatorFileError.priorRequired(parameter: "s", distribution: "HalfNormal")) { try NPE.load(from: url) }
        let loaded = try NPE.load(from: url, prior: prior)
        #expect(try loaded.posterior.sample(count: 50, given: [0.5, 0.5], seed: 2)
                == (try npe.posterior.sample(count: 50, given: [0.5, 0.5], seed: 2)))
        let other = try JointPrior([("a", Uniform(0, 2)), ("s", HalfNormal())])
        #expect(throws: EstimatorFileError.self) { try NPE.load(from: url, prior: other) }
        #expect(throws: EstimatorError.notTrained) { try NPE(model: NPETests.boxModel()).save(to: url) }
    }
}
