import Flows
import Foundation

// Loading by path: the `restore` lines of kept items use these, so that they work in a cell that
// has not imported Foundation (`import GNPE` does not make `URL` visible to a cell).

extension NPE {
    /// Loads an estimator saved with ``save(to:)`` (or kept in the session directory) from a
    /// path; see ``load(from:prior:embedding:)``.
    ///
    /// ```swift
    /// let npe = try NPE.load(fromPath: "posterior.npe")
    /// ```
    /// - Parameters:
    ///   - path: The file's path.
    ///   - prior: The prior, required if it contains a user-defined distribution.
    ///   - embedding: A fresh network of the saved type, required for a custom embedding.
    /// - Returns: The trained estimator.
    /// - Throws: As ``load(from:prior:embedding:)``.
    public static func load(fromPath path: String, prior: JointPrior? = nil, embedding: (any EmbeddingNetwork)? = nil)
        throws -> NPE
    {
        try load(from: URL(fileURLWithPath: path), prior: prior, embedding: embedding)
    }
}

extension GNPEEstimator {
    /// Loads an estimator saved with ``save(to:)`` (or kept in the session directory) from a
    /// path; see ``load(from:model:)``.
    ///
    /// ```swift
    /// let gnpe = try GNPEEstimator.load(fromPath: "oscillator.gnpe", model: model)
    /// ```
    /// - Parameters:
    ///   - path: The file's path.
    ///   - model: The model it was trained for.
    /// - Returns: The trained estimator.
    /// - Throws: As ``load(from:model:)``.
    public static func load(fromPath path: String, model: SimulationModel) throws -> GNPEEstimator {
        try load(from: URL(fileURLWithPath: path), model: model)
    }
}

extension SimulationBatch {
    /// Loads the simulations of a checkpoint kept in the session directory from its folder's
    /// path; see ``init(sessionCheckpoint:)``.
    /// - Parameter path: The checkpoint folder (`…/kept/sim-<id>`).
    /// - Throws: ``SessionError`` if it is missing or inconsistent.
    public init(sessionCheckpointPath path: String) throws {
        try self.init(sessionCheckpoint: URL(fileURLWithPath: path, isDirectory: true))
    }
}
