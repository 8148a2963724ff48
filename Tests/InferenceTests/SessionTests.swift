import Foundation
import TensorCore
import Testing

@testable import Inference

/// Keeping work in the session directory: checkpoints and resumption of simulation runs, kept
/// estimators and their sidecars, restoring instead of retraining, and the crash context a
/// trapping simulator leaves. Each test uses its own directory through
/// `SessionStore.withDirectory`, which affects only the test's own task.
@Suite struct SessionTests {
    /// A damped oscillator on 40 points with Gaussian noise (3 parameters with names).
    static func model(frequencyScale: Double = 1) throws -> SimulationModel {
        let times = (0..<40).map { -1 + 0.1 * Double($0) }
        return try SimulationModel {
            Parameter("omega0", Uniform(1, 5))
            Parameter("beta", Uniform(0.05, 0.5))
            Parameter("t0", Uniform(-0.5, 0.5))
            Simulator(outputLength: 40) { θ, _ in
                times.map { t in t < θ[2] ? 0 : exp(-θ[1] * (t - θ[2])) * sin(frequencyScale * θ[0] * (t - θ[2])) }
            }
            NoiseModel.gaussian(sigma: 0.1)
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gnpe-session-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// Every regular file under `kept/` has mode 0600.
    static func expectPrivateFiles(in directory: URL) throws {
        let kept = directory.appendingPathComponent("kept")
        let files = try FileManager.default.subpathsOfDirectory(atPath: kept.path)
        #expect(!files.isEmpty)
        for file in files {
            let path = kept.appendingPathComponent(file).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            #expect(try permissions(path) == 0o600, "\(file)")
        }
    }

    static func sidecars(in directory: URL) throws -> [KeptItem] {
        let kept = directory.appendingPathComponent("kept")
        return try FileManager.default.contentsOfDirectory(atPath: kept.path).filter { $0.hasSuffix(".json") }.map {
            name in
            try JSONDecoder().decode(KeptItem.self, from: Data(contentsOf: kept.appendingPathComponent(name)))
        }
    }

    @Test func anInterruptedRunResumesFromItsCheckpointBitIdentically() throws {
        let model = try Self.model()
        let reference = NPE(model: model)
        try reference.appendSimulations(count: 6000, seed: 3)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A first worker: checkpoints after every block, then is interrupted at simulation 5,001
        // (an interrupt stops every work item at once, so a few rows before it may be unfinished).
        let done = try SessionStore.withDirectory(directory, checkpointInterval: 0) { () throws -> Int in
            let first = NPE(model: model)
            #expect(throws: InterruptedError.self) {
                try SimulationRun.$interruptionRowForTesting.withValue(5000) {
                    try first.appendSimulations(count: 6000, seed: 3)
                }
            }
            return first.simulationCount
        }
        #expect(done > 1000 && done <= 5000)
        let identity = SimulationRunIdentity(model: model, count: 6000, seed: 3)
        let folder = directory.appendingPathComponent("kept/\(identity.id)")
        let (checkpoint, _, _) = try SimulationCheckpoint.read(folder)
        #expect(checkpoint.processed == done && checkpoint.kept == done && !checkpoint.complete)
        #expect(checkpoint.parts.count >= 3)  // spans several checkpoints
        let partial = try SimulationBatch(sessionCheckpoint: folder)
        let sameParameters = partial.parameters.storage == Array(reference.parameters.storage[..<(done * 3)])
        let sameData = partial.data.storage == Array(reference.data.storage[..<(done * 40)])
        #expect(sameParameters && sameData)
        let item = try #require(try Self.sidecars(in: directory).first { $0.kind == "simulations" })
        #expect(item.summary.contains("\(Count.grouped(done)) of 6,000 done") && item.path == folder.path)
        #expect(item.restore == "let simulations = try SimulationBatch(sessionCheckpointPath: \"\(folder.path)\")")
        let viaRestoreLine = try SimulationBatch(sessionCheckpointPath: folder.path)
        #expect(viaRestoreLine.data == partial.data)
        // A new worker (a fresh estimator) resumes: only the missing 1,000 simulations run.
        try SessionStore.withDirectory(directory, checkpointInterval: 0) {
            let second = NPE(model: model)
            let resumed = try second.appendSimulations(count: 6000, seed: 3)
            let identical = second.parameters == reference.parameters && second.data == reference.data
            #expect(resumed == 6000 && identical)
            // Complete now: a third run restores it without simulating.
            let third = NPE(model: model)
            let restored = try third.appendSimulations(count: 6000, seed: 3)
            let identical3 = third.data == reference.data
            #expect(restored == 6000 && identical3)
        }
        #expect(try SimulationCheckpoint.read(folder).0.complete)
        try Self.expectPrivateFiles(in: directory)
    }

    /// A fresh estimator that resumes (or restores) a run counts the simulations the run dropped
    /// before the checkpoint too: the same count as one uninterrupted run.
    @Test func aResumedRunCountsTheSimulationsDroppedBeforeItsCheckpoint() throws {
        let times = (0..<10).map { Double($0) }
        let model = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 10) { θ, _ in
                θ[0] > 0.9 ? [Double](repeating: .nan, count: 10) : times.map { θ[0] * $0 }
            }
        }
        let reference = NPE(model: model)
        try reference.appendSimulations(count: 6000, seed: 5)
        #expect(reference.discardedSimulationCount > 400 && reference.simulationCount + reference.discardedSimulationCount == 6000)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SessionStore.withDirectory(directory, checkpointInterval: 0) {
            let first = NPE(model: model)
            #expect(throws: InterruptedError.self) {
                try SimulationRun.$interruptionRowForTesting.withValue(5000) {
                    try first.appendSimulations(count: 6000, seed: 5)
                }
            }
            #expect(first.discardedSimulationCount > 0)
            let second = NPE(model: model)
            try second.appendSimulations(count: 6000, seed: 5)
            #expect(second.parameters == reference.parameters)
            #expect(second.discardedSimulationCount == reference.discardedSimulationCount)
            let third = NPE(model: model)
            try third.appendSimulations(count: 6000, seed: 5)
            #expect(third.discardedSimulationCount == reference.discardedSimulationCount)
        }
    }

    @Test func aBatchSimulatorsRunResumesAtAChunkBoundaryBitIdentically() throws {
        let model = try BatchSimulatorTests.model()
        let reference = NPE(model: model)
        try reference.appendSimulations(count: 3000, seed: 12)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SessionStore.withDirectory(directory, checkpointInterval: 0) {
            let first = NPE(model: model)
            #expect(throws: InterruptedError.self) {
                try SimulationRun.$interruptionRowForTesting.withValue(2000) {
                    try first.appendSimulations(count: 3000, seed: 12)
                }
            }
            // Chunks of 64 rows draw from one stream each: the run stops at a chunk boundary.
            #expect(first.simulationCount % 64 == 0 && first.simulationCount <= 2000)
            let second = NPE(model: model)
            let kept = try second.appendSimulations(count: 3000, seed: 12)
            let identical = second.parameters == reference.parameters && second.data == reference.data
            #expect(kept == 3000 && identical)
        }
    }

    @Test func aRunStoppedByAWrongLengthIsReplacedOnceTheSimulatorIsFixed() throws {
        let broken = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in θ[0] > 0.95 ? [θ[0]] : [θ[0], 2] }
        }
        let fixed = try SimulationModel {
            Parameter("a", Uniform(0, 1))
            Simulator(outputLength: 2) { θ, _ in [θ[0], 1] }
        }
        let npe = NPE(model: broken)
        #expect(throws: SimulationError.self) { try npe.appendSimulations(count: 2000, seed: 1) }
        #expect(npe.simulationCount > 0)
        // The same estimator's store continues only a run whose first simulations still match:
        // the fixed simulator gives other output, so the stopped run's simulations are replaced.
        let other = NPE(model: fixed)
        try other.appendSimulations(count: 2000, seed: 1)
        try SessionStore.withDirectory(nil) {
            var store = npe.simulations
            let kept = try store.simulate(fixed, count: 2000, seed: 1)
            #expect(kept == 2000)
            let identical = store.data == other.data && store.parameters == other.parameters
            #expect(identical)
        }
    }

    @Test func aChangedSimulatorInvalidatesTheCheckpoint() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try Self.model()
        let changed = try Self.model(frequencyScale: 1.01)
        try SessionStore.withDirectory(directory, checkpointInterval: 0) {
            try NPE(model: old).appendSimulations(count: 2000, seed: 8)
            let npe = NPE(model: changed)
            try npe.appendSimulations(count: 2000, seed: 8)
            let fresh = NPE(model: changed)
            try SessionStore.withDirectory(nil) { try fresh.appendSimulations(count: 2000, seed: 8) }
            let identical = npe.data == fresh.data && npe.parameters == fresh.parameters
            #expect(identical)
        }
        // The checkpoint now holds the changed simulator's output.
        let folder = directory.appendingPathComponent(
            "kept/\(SimulationRunIdentity(model: changed, count: 2000, seed: 8).id)")
        let kept = try SimulationBatch(sessionCheckpoint: folder)
        let fresh = NPE(model: changed)
        try fresh.appendSimulations(count: 2000, seed: 8)
        let identical = kept.data == fresh.data
        #expect(identical)
    }

    @Test func shortRunsLeaveNoCheckpointAndKeepingIsOffWithoutADirectory() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SessionStore.withDirectory(directory, checkpointInterval: 60) {
            try NPE(model: Self.model()).appendSimulations(count: 500, seed: 1)
        }
        #expect(try Self.sidecars(in: directory).isEmpty)
        SessionStore.withDirectory(nil) {
            #expect(SessionStore.directory == nil && SessionStore.keptItems().isEmpty)
        }
    }

    static func trainingSettings() -> TrainingSettings {
        TrainingSettings(batchSize: 100, maximumEpochs: 4, seed: 7)
    }

    @Test func trainingIsDeterministicSoAKeptEstimatorIsRestoredInsteadOfRetrained() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Self.model()
        var rng = RandomSource(seed: 1)
        let observation = try model.simulate([3, 0.2, 0.1], using: &rng)
        try SessionStore.withDirectory(directory) {
            let npe = NPE(model: model)
            npe.settings = Self.trainingSettings()
            try npe.appendSimulations(count: 1000, seed: 2)
            var epochs = 0
            try npe.train { _ in epochs += 1 }
            #expect(epochs == 4)
            let samples = try npe.posterior.sample(count: 50, given: observation, seed: 5)

            // The sidecar is valid JSON with the fields the kernel reads, and its restore line's API works.
            let items = try Self.sidecars(in: directory).filter { $0.kind == "estimator" }
            let item = try #require(items.first)
            #expect(items.count == 1)
            #expect(item.path.hasSuffix(".npe") && FileManager.default.fileExists(atPath: item.path))
            #expect(item.restore == "let npe = try NPE.load(fromPath: \"\(item.path)\")")
            #expect(
                item.summary.hasPrefix(
                    "NPE, 3 parameters (omega0, beta, t0), trained on 1,000 simulations, best validation loss"))
            #expect(ISO8601DateFormatter().date(from: item.createdAt) != nil)
            let raw = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: item.path.replacingOccurrences(of: ".npe", with: ".json"))))
            #expect(
                Set((raw as? [String: Any])?.keys.map { $0 } ?? []) == [
                    "kind", "summary", "restore", "path", "createdAt",
                ])
            let loaded = try NPE.load(fromPath: item.path)  // the restore line's call
            #expect(try loaded.posterior.sample(count: 50, given: observation, seed: 5) == samples)

            // Same simulations and settings in a new estimator: restored, no epoch runs, same samples.
            let again = NPE(model: model)
            again.settings = Self.trainingSettings()
            try again.appendSimulations(count: 1000, seed: 2)
            var epochsAgain = 0
            try again.train { _ in epochsAgain += 1 }
            #expect(epochsAgain == 0)
            #expect(try again.posterior.sample(count: 50, given: observation, seed: 5) == samples)
            #expect(again.history?.trainingLoss == npe.history?.trainingLoss)

            // Forced: trains again — and gives the same weights (training is deterministic).
            try again.train(force: true) { _ in epochsAgain += 1 }
            #expect(epochsAgain == 4)
            #expect(try again.posterior.sample(count: 50, given: observation, seed: 5) == samples)

            // Other settings: not the kept one.
            again.settings.seed = 8
            try again.train { _ in epochsAgain += 1 }
            #expect(epochsAgain == 8)
        }
        try Self.expectPrivateFiles(in: directory)
    }

    @Test func aKeptGNPEEstimatorLoadsThroughItsRestoreLine() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try DampedOscillator.model()
        var rng = RandomSource(seed: 2)
        let observation = try model.simulate([3, 0.2, 0.1], using: &rng)
        try SessionStore.withDirectory(directory) {
            let gnpe = try GNPEEstimator(model: model)
            gnpe.settings = TrainingSettings(batchSize: 100, maximumEpochs: 2, seed: 3)
            gnpe.iterations = 3
            try gnpe.appendSimulations(count: 400, seed: 4)
            try gnpe.train()
            let item = try #require(try Self.sidecars(in: directory).first { $0.kind == "estimator" })
            #expect(item.restore == "let gnpe = try GNPEEstimator.load(fromPath: \"\(item.path)\", model: model)")
            let loaded = try GNPEEstimator.load(fromPath: item.path, model: model)
            let a = try gnpe.posterior.sample(count: 20, given: observation, seed: 6)
            let b = try loaded.posterior.sample(count: 20, given: observation, seed: 6)
            #expect(a == b)
        }
    }

    // MARK: - Crash context

    /// The environment variables of the child process below.
    static let crashDirectoryVariable = "GNPE_TEST_CRASH_DIRECTORY"
    static let crashRowVariable = "GNPE_TEST_CRASH_ROW"
    static let crashKindVariable = "GNPE_TEST_CRASH_KIND"

    /// How the child's simulator crashes.
    enum CrashKind: String, CaseIterable, Sendable {
        /// Index out of range: a Swift trap (SIGILL on x86-64, SIGTRAP on arm64).
        case trap
        /// A store through a null pointer (SIGSEGV).
        case memoryFault
        /// `abort()` (SIGABRT).
        case abort

        var signals: [Int32] {
            switch self {
            case .trap: return [SIGILL, SIGTRAP]
            case .memoryFault: return [SIGSEGV, SIGBUS]
            case .abort: return [SIGABRT]
            }
        }

        var verb: String {
            switch self {
            case .trap: return "the simulator trapped"
            case .memoryFault: return "the simulator crashed with a memory fault"
            case .abort: return "the simulator aborted"
            }
        }
    }

    /// Runs in a child process only (see the next test): simulates with a simulator that traps
    /// at one θ, under the crash handler. The process dies; the parent checks what it left.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[crashDirectoryVariable] != nil))
    func childProcessWhoseSimulatorTraps() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = URL(fileURLWithPath: try #require(environment[Self.crashDirectoryVariable]))
        let row = try #require(Int(environment[Self.crashRowVariable] ?? ""))
        let kind = try #require(CrashKind(rawValue: environment[Self.crashKindVariable] ?? ""))
        var rng = RandomSource(seed: 11)
        let target = Self.crashModel(trapAt: nil).prior.sample(count: 5000, using: &rng)[row, 0]
        try SessionStore.withDirectory(directory) {
            try NPE(model: Self.crashModel(trapAt: target, kind: kind)).appendSimulations(count: 5000, seed: 11)
        }
        Issue.record("the simulator did not trap")
    }

    static func crashModel(trapAt target: Double?, kind: CrashKind = .trap) -> SimulationModel {
        // The declarations are valid; `try?` keeps the helper non-throwing.
        (try? SimulationModel {
            Parameter("omega₀", Uniform(1, 5))
            Parameter("beta", Uniform(0.05, 0.5))
            Simulator(outputLength: 2) { θ, _ in
                if let target, θ[0] == target {
                    switch kind {
                    case .trap:
                        let values: [Double] = []
                        return [values[Int(θ[1])]]  // index out of range
                    case .memoryFault:
                        UnsafeMutablePointer<Double>(bitPattern: Int(θ[1]) + 8)?.pointee = 1
                    case .abort:
                        abort()
                    }
                }
                return [θ[0], θ[1]]
            }
        })!
    }

    @Test(arguments: CrashKind.allCases)
    func aCrashingSimulatorLeavesTheCrashContext(kind: CrashKind) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let row = 3210
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--testing-library", "swift-testing", "--filter", "childProcessWhoseSimulatorTraps"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.crashDirectoryVariable] = directory.path
        environment[Self.crashRowVariable] = String(row)
        environment[Self.crashKindVariable] = kind.rawValue
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(kind.signals.contains(process.terminationStatus))
        let file = directory.appendingPathComponent("crash-context.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        var rng = RandomSource(seed: 11)
        let theta = Self.crashModel(trapAt: nil).prior.sample(count: 5000, using: &rng).row(row)
        let expected =
            "\(kind.verb) while simulating θ = (omega₀ = \(Count.short(theta[0])), beta = \(Count.short(theta[1]))) "
            + "(simulation 3,211 of 5,000, seed 11)\n"
        #expect(text == expected)
        #expect(try Self.permissions(file.path) == 0o600)
    }

    @Test(arguments: [
        (2.314, "2.314"), (-0.5, "-0.5"), (0, "0"), (1e-7, "1e-07"), (123_456_789, "1.23457e+08"), (123456, "123456"),
        (1.5e12, "1.5e+12"),
        (0.000123, "0.000123"), (3.0, "3"), (99999.4, "99999.4"), (Double.nan, "nan"), (-Double.infinity, "-inf"),
        (0.1, "0.1"), (4.9999999, "5"),
    ])
    func theSignalSafeFormatterWritesNumbersLikePrintf(value: Double, text: String) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        var out = SignalSafeBuffer(base: buffer, capacity: 64)
        out.append(number: value)
        #expect(String(decoding: UnsafeBufferPointer(start: buffer, count: out.count), as: UTF8.self) == text)
        if value.isFinite { #expect(Count.short(value) == text) }
    }
}
