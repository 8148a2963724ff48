import Flows
import Foundation

extension NPE {
    /// What an NPE file stores besides the flow and the prior.
    struct Configuration: Codable {
        var observationLength: Int
        var architecture: FlowArchitecture
        var settings: TrainingSettings
    }

    /// The archive kind of NPE files.
    public static let archiveKind = "npe"

    /// The trained estimator as an archive (sections `"prior"`, `"configuration"`, `"history"`,
    /// `"flow"`, `"flow.weights"`), for saving or for embedding in a larger file.
    /// - Throws: ``EstimatorError/notTrained``.
    public func archive() throws -> EstimatorArchive {
        guard let flow else { throw EstimatorError.notTrained }
        var archive = EstimatorArchive(kind: Self.archiveKind)
        try archive.store(prior.storedComponents, as: "prior")
        try archive.store(Configuration(observationLength: observationLength, architecture: architecture, settings: settings),
                          as: "configuration")
        if let history { try archive.store(history, as: "history") }
        try archive.store(flow, as: "flow")
        return archive
    }

    /// Saves the trained estimator — architecture, z-scoring, weights, prior, settings and
    /// training history — to one versioned file, atomically. Simulations are not saved.
    ///
    /// A prior with a user-defined distribution is stored by description only; pass it to
    /// ``load(from:prior:embedding:)``.
    /// - Parameter url: The destination file (e.g. `posterior.npe`).
    /// - Throws: ``EstimatorError/notTrained``, ``EstimatorFileError/io(path:reason:)``.
    public func save(to url: URL) throws {
        try archive().write(to: url)
    }

    /// Loads an estimator saved with ``save(to:)``; its posterior is bit-identical to the saved
    /// one (same samples for the same seed). The loaded estimator has no simulation model.
    /// - Parameters:
    ///   - url: The file.
    ///   - prior: The prior, required if it contains a user-defined distribution (checked
    ///     against the stored names and built-in components otherwise).
    ///   - embedding: A fresh network of the saved type, required if the flow used a custom
    ///     embedding.
    /// - Returns: The trained estimator.
    /// - Throws: ``EstimatorFileError`` (wrong magic, truncated, newer version, checksum
    ///   mismatch, wrong kind, missing prior), ``FlowError``.
    public static func load(from url: URL, prior: JointPrior? = nil, embedding: (any EmbeddingNetwork)? = nil) throws -> NPE {
        try NPE(archive: EstimatorArchive(contentsOf: url), prior: prior, embedding: embedding)
    }

    /// Rebuilds an estimator from an archive made by ``archive()``.
    /// - Throws: As ``load(from:prior:embedding:)``.
    public convenience init(archive: EstimatorArchive, prior: JointPrior? = nil, embedding: (any EmbeddingNetwork)? = nil) throws {
        guard archive.kind == Self.archiveKind else {
            throw EstimatorFileError.wrongKind(expected: Self.archiveKind, found: archive.kind)
        }
        let restoredPrior = try JointPrior.restoring(archive.decode([StoredPriorComponent].self, from: "prior"), given: prior)
        let configuration = try archive.decode(Configuration.self, from: "configuration")
        let history = archive.contains("history") ? try archive.decode(TrainingHistory.self, from: "history") : nil
        let flow = try archive.flow("flow", embedding: embedding)
        guard flow.parameterFeatures == restoredPrior.dimension, flow.observationFeatures == configuration.observationLength else {
            throw EstimatorFileError.malformed(path: "flow", reason: "the flow's sizes do not match the prior and observation length")
        }
        self.init(prior: restoredPrior, observationLength: configuration.observationLength,
                  architecture: configuration.architecture, settings: configuration.settings, flow: flow, history: history)
    }
}
