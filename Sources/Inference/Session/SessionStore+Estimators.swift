import Flows
import Foundation

/// Trained estimators kept in the session directory: `kept/<kind>-<id>.<kind>` (the estimator's
/// archive, as `save(to:)` writes it) and the sidecar `kept/<kind>-<id>.json`. The id is a hash
/// of everything training depends on — the simulations (θ and x, bit for bit), the prior, the
/// architecture and the settings (seed included) — so the same `train()` on the same data finds
/// it again.
enum KeptEstimator {
    /// A stable id for training `kind` on `parameters` and `data` with the given configuration.
    /// - Parameters:
    ///   - kind: `"npe"` or `"gnpe"`.
    ///   - configuration: Everything else training depends on, encodable (architecture,
    ///     settings, prior, …).
    ///   - parameters: The stored θ.
    ///   - data: The stored x (Float32, row-major).
    ///   - observationLength: x's length.
    /// - Returns: `<kind>-` and 20 hexadecimal digits, or `nil` if the configuration cannot be
    ///   encoded.
    static func id<C: Encodable>(kind: String, configuration: C, parameters: SampleMatrix, data: [Float],
                                 observationLength: Int) -> String?
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let encoded = try? encoder.encode(configuration) else { return nil }
        var hash = StableHash()
        hash.combine(kind)
        hash.combine(encoded)
        hash.combine(UInt64(parameters.rows))
        hash.combine(UInt64(parameters.columns))
        hash.combine(parameters.storage)
        hash.combine(UInt64(observationLength))
        hash.combine(data)
        return "\(kind)-" + hash.hexDigest.prefix(20)
    }

    /// The archive kept under `id`, if keeping is on and it exists.
    /// - Returns: The archive and its file.
    static func find(id: String, fileExtension: String) -> (EstimatorArchive, URL)? {
        guard let kept = try? SessionStore.keptDirectory() else { return nil }
        let file = kept.appendingPathComponent("\(id).\(fileExtension)")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return (try EstimatorArchive(contentsOf: file), file)
        } catch {
            SessionStore.warn("warning: ignored the unreadable kept estimator \(file.path): \(error)")
            return nil
        }
    }

    /// Keeps a trained estimator's archive with its sidecar; a failure is a warning on standard
    /// error (training itself succeeded).
    /// - Parameters:
    ///   - archive: The archive.
    ///   - id: Its id.
    ///   - fileExtension: `npe` or `gnpe`.
    ///   - summary: The sidecar's summary.
    ///   - restore: Makes the restore line from the file's path literal.
    static func keep(
        _ archive: () throws -> EstimatorArchive, id: String, fileExtension: String, summary: String,
        restore: (String) -> String
    ) {
        do {
            guard let kept = try SessionStore.keptDirectory() else { return }
            let file = kept.appendingPathComponent("\(id).\(fileExtension)")
            try SessionStore.writeAtomically(archive().encoded(), to: file)
            try SessionStore.writeSidecar(
                KeptItem(
                    kind: "estimator", summary: summary, restore: restore(SessionStore.swiftLiteral(file.path)),
                    path: file.path, createdAt: SessionStore.timestamp()),
                id: id, in: kept)
        } catch {
            SessionStore.warn("warning: could not keep the trained estimator in the session directory: \(error)")
        }
    }

    /// `"NPE, 3 parameters (a, b, c), trained on 10,000 simulations, best validation loss -1.234"`.
    static func summary(name: String, parameterNames: [String], simulations: Int, history: TrainingHistory?) -> String {
        var text =
            "\(name), \(parameterNames.count) parameter\(parameterNames.count == 1 ? "" : "s") "
            + "(\(parameterNames.joined(separator: ", "))), trained on \(Count.grouped(simulations)) simulations"
        if let best = history?.bestValidationLoss, best.isFinite {
            text += ", best validation loss " + String(format: "%.4g", best)
        }
        return text
    }
}
