import Flows
import Foundation
import TensorCore

extension GNPEEstimator {
    /// What a GNPE file stores besides the networks and the prior.
    struct Configuration: Codable {
        var observationLength: Int
        var architecture: FlowArchitecture
        var initialNetworkArchitecture: FlowArchitecture?
        var settings: TrainingSettings
        /// Written only when set (files from before it have none: the same as `settings`).
        var initialNetworkSettings: TrainingSettings?
        var iterations: Int
        var equivariance: StoredEquivariance
    }

    /// A description of the equivariance the networks were trained with, checked on loading (the
    /// group and a computed pose's function are code, so the model must be passed to
    /// ``load(from:model:)``).
    ///
    /// `poseKind`, `exactPart` and `poseCheck` are written for a computed pose only (`"computed"`,
    /// the ``Equivariance/ExactPart`` description, and the pose at four fixed prior draws, which
    /// tells a changed pose function on loading), so a pose of parameters is stored as before, and
    /// a file without them (every file from before computed poses) holds a pose of parameters.
    struct StoredEquivariance: Codable, Equatable {
        var pose: [String]
        var group: String
        var kernel: String
        var isExact: Bool
        var poseKind: String?
        var exactPart: String?
        var poseCheck: [[Double]]?

        init(_ resolved: ResolvedEquivariance, prior: JointPrior) {
            let e = resolved.declaration
            pose = e.pose
            group = String(describing: type(of: e.group))
            kernel = e.kernel.description
            isExact = e.isExact
            poseKind = e.computedPose == nil ? nil : "computed"
            exactPart = e.computedPose == nil ? nil : e.exactPart.description
            if e.computedPose != nil {
                var rng = RandomSource(seed: 0x6e70_6f73)
                poseCheck = (0 ..< 4).map { _ in resolved.pose(of: prior.sample(using: &rng)) }
            }
        }

        /// Whether `other` describes the same equivariance: equal fields, and pose checks that
        /// agree to 1e-9 (relative), so that the same function compiled elsewhere still matches.
        func matches(_ other: StoredEquivariance) -> Bool {
            var a = self, b = other
            a.poseCheck = nil
            b.poseCheck = nil
            guard a == b else { return false }
            switch (poseCheck, other.poseCheck) {
            case (nil, nil): return true
            case let (x?, y?):
                guard x.count == y.count else { return false }
                for (u, v) in zip(x, y) {
                    guard u.count == v.count else { return false }
                    for (p, q) in zip(u, v) where !(abs(p - q) <= 1e-9 * max(1, abs(p), abs(q))) { return false }
                }
                return true
            default: return false
            }
        }

        /// `["t₀"]` for parameters, or `computed pose [t_A, t_B], exact part commonTranslation(moving: "t₀")`.
        var poseDescription: String {
            guard let poseKind else { return "\(pose)" }
            return "\(poseKind) pose [\(pose.joined(separator: ", "))], exact part \(exactPart ?? "none")"
        }
    }

    /// The archive kind of GNPE files.
    public static let archiveKind = "gnpe"

    /// The trained estimator as an ``EstimatorArchive``: sections `"prior"`, `"configuration"`
    /// (architectures, settings, iterations, the equivariance's pose names, pose kind, group type,
    /// kernel and exactness), `"history"`, `"flow"` and, if trained, `"initialNetwork"` and
    /// `"initialNetworkHistory"` (each flow with its `.weights` section).
    /// - Throws: ``EstimatorError/notTrained``.
    public func archive() throws -> EstimatorArchive {
        guard let flow else { throw EstimatorError.notTrained }
        var archive = EstimatorArchive(kind: Self.archiveKind)
        try archive.store(prior.storedComponents, as: "prior")
        try archive.store(Configuration(
            observationLength: observationLength, architecture: architecture,
            initialNetworkArchitecture: initialNetworkArchitecture, settings: settings,
            initialNetworkSettings: initialNetworkSettings, iterations: iterations,
            equivariance: StoredEquivariance(equivariance, prior: model.prior)), as: "configuration")
        if let history { try archive.store(history, as: "history") }
        try archive.store(flow, as: "flow")
        if let initialNetwork { try archive.store(initialNetwork, as: "initialNetwork") }
        if let initialNetworkHistory { try archive.store(initialNetworkHistory, as: "initialNetworkHistory") }
        return archive
    }

    /// Saves the trained estimator — both networks (architecture, z-scoring, weights), prior,
    /// settings, Gibbs iterations, a description of the equivariance, training histories — to one
    /// versioned file, atomically. Simulations are not saved.
    /// - Parameter url: The destination file (e.g. `oscillator.gnpe`).
    /// - Throws: ``EstimatorError/notTrained``, ``EstimatorFileError/io(path:reason:)``.
    public func save(to url: URL) throws {
        try archive().write(to: url)
    }

    /// Loads an estimator saved with ``save(to:)``; its posterior gives the same samples for the
    /// same seed as the saved one.
    /// - Parameters:
    ///   - url: The file.
    ///   - model: The model it was trained for (its prior, pose names and kind — parameters or
    ///     computed, with the exact part —, group type, kernel and exactness are checked against
    ///     the file; a computed pose's function is the model's); the loaded estimator can
    ///     simulate and retrain with it.
    /// - Returns: The trained estimator.
    /// - Throws: ``EstimatorFileError`` (wrong magic, truncated, newer version, checksum mismatch,
    ///   wrong kind, prior mismatch), ``GNPEError/modelMismatch(_:)``, ``FlowError``.
    public static func load(from url: URL, model: SimulationModel) throws -> GNPEEstimator {
        try GNPEEstimator(archive: EstimatorArchive(contentsOf: url), model: model)
    }

    /// Rebuilds an estimator from an archive made by ``archive()``.
    /// - Throws: As ``load(from:model:)``.
    public convenience init(archive: EstimatorArchive, model: SimulationModel) throws {
        guard archive.kind == Self.archiveKind else {
            throw EstimatorFileError.wrongKind(expected: Self.archiveKind, found: archive.kind)
        }
        try self.init(model: model)
        _ = try JointPrior.restoring(archive.decode([StoredPriorComponent].self, from: "prior"), given: model.prior)
        let configuration = try archive.decode(Configuration.self, from: "configuration")
        let declared = StoredEquivariance(equivariance, prior: model.prior)
        guard configuration.equivariance.matches(declared) else {
            let saved = configuration.equivariance
            if let savedCheck = saved.poseCheck, let declaredCheck = declared.poseCheck {
                var a = saved, b = declared
                a.poseCheck = nil
                b.poseCheck = nil
                if a == b {
                    throw GNPEError.modelMismatch(
                        "the computed pose [\(saved.pose.joined(separator: ", "))] gives other values than when the file was saved "
                            + "(at four fixed prior draws: saved \(savedCheck), now \(declaredCheck)); the model's pose function differs")
                }
            }
            throw GNPEError.modelMismatch(
                "saved equivariance pose \(saved.poseDescription), \(saved.group), "
                    + "kernel \(saved.kernel), exact \(saved.isExact); the model declares pose "
                    + "\(declared.poseDescription), \(declared.group), kernel \(declared.kernel), exact \(declared.isExact)")
        }
        guard configuration.observationLength == model.outputLength else {
            throw GNPEError.modelMismatch("saved data length \(configuration.observationLength), the model's is \(model.outputLength)")
        }
        let flow = try archive.flow("flow")
        guard flow.parameterFeatures == model.parameterCount, flow.observationFeatures == contextFeatures else {
            throw EstimatorFileError.malformed(path: "flow", reason: "the flow's sizes do not match the model")
        }
        architecture = configuration.architecture
        initialNetworkArchitecture = configuration.initialNetworkArchitecture
        settings = configuration.settings
        initialNetworkSettings = configuration.initialNetworkSettings
        iterations = configuration.iterations
        self.flow = flow
        history = archive.contains("history") ? try archive.decode(TrainingHistory.self, from: "history") : nil
        if archive.contains("initialNetwork") {
            initialNetwork = try archive.flow("initialNetwork")
            initialNetworkHistory = archive.contains("initialNetworkHistory")
                ? try archive.decode(TrainingHistory.self, from: "initialNetworkHistory") : nil
        } else {
            trainsInitialNetwork = false
            initialization = .prior
        }
    }
}
