import Foundation
import TensorCore

/// What identifies a model across processes and machines, for simulation shards: the
/// parameters with their priors, the output length, how the simulator is declared, the noise
/// models, and a probe — the output for fixed θ and a fixed seed, hashed — that changes when the
/// simulator's code changes (closures cannot be compared otherwise).
///
/// Two processes that build the same model from the same code get the same fingerprint; a shard
/// whose fingerprint differs from the estimator's model is refused
/// (``SimulationShardError/foreignShard(file:reason:)``).
public struct ModelFingerprint: Codable, Equatable, Sendable {
    /// The parameters (names, priors, periodicity), in θ order.
    public var parameters: [StoredPriorComponent]
    /// The simulator's output length.
    public var outputLength: Int
    /// Whether the simulator is declared on batches.
    public var batched: Bool
    /// The noise models: name, and σ for Gaussian noise.
    public var noiseModels: [String]
    /// 32 hexadecimal digits: a stable hash of the probe's θ and output bits (and of which
    /// probe simulations were invalid).
    public var probe: String

    /// The seed of the probe's θ and noise.
    static let probeSeed: UInt64 = 0x5EED_F1A6_E2B0_0001
    /// The number of probe simulations.
    static let probeCount = 2

    /// The fingerprint of `model`: simulates the probe (two simulations).
    /// - Parameter model: The model.
    /// - Throws: `InterruptedError` if the user interrupts the probe.
    public init(model: SimulationModel) throws {
        parameters = model.prior.storedComponents
        outputLength = model.outputLength
        batched = model.simulator.isBatched
        noiseModels = model.noiseModels.map { n in n.gaussianSigma.map { "\(n.name): gaussian σ = \($0)" } ?? n.name }
        var rng = RandomSource(seed: Self.probeSeed)
        let theta = model.prior.sample(count: Self.probeCount, using: &rng)
        let batch = try model.simulate(theta, using: &rng, invalid: .drop)
        var hash = StableHash()
        hash.combine(theta.storage)
        hash.combine(batch.data.storage)
        for (row, problem) in batch.dropped {
            hash.combine(UInt64(row))
            hash.combine("\(problem)")
        }
        probe = hash.hexDigest
    }

    /// The fingerprint of a model known only by its prior and output length (an ``NPE`` built
    /// from a prior): no simulator, no probe.
    /// - Parameters:
    ///   - prior: The prior.
    ///   - outputLength: The length of x.
    init(prior: JointPrior, outputLength: Int) {
        parameters = prior.storedComponents
        self.outputLength = outputLength
        batched = false
        noiseModels = []
        probe = ""
    }

    /// How `other` differs from this fingerprint, in words, or `nil` if it does not; without a
    /// probe (``init(prior:outputLength:)``), only the parameters and the output length count.
    /// - Parameter other: A shard's fingerprint.
    /// - Returns: E.g. "its parameters are (a, b), the model's are (mu, a)".
    func difference(from other: ModelFingerprint) -> String? {
        func describe(_ p: [StoredPriorComponent]) -> String {
            "(" + p.map { "\($0.name) ~ \($0.prior)" }.joined(separator: ", ") + ")"
        }
        if other.parameters != parameters {
            return "its parameters are \(describe(other.parameters)), the model's are \(describe(parameters))"
        }
        if other.outputLength != outputLength {
            return "its simulator returns \(other.outputLength) values, the model's \(outputLength)"
        }
        if probe.isEmpty { return nil }
        if other.batched != batched {
            return
                "its simulator is declared \(other.batched ? "on batches" : "on one θ"), the model's \(batched ? "on batches" : "on one θ")"
        }
        if other.noiseModels != noiseModels {
            return "its noise models are \(other.noiseModels), the model's \(noiseModels)"
        }
        if other.probe != probe {
            return
                "its simulator gives other output for the same θ and seed (probe \(other.probe.prefix(12))…, the model's \(probe.prefix(12))…): the simulator's code differs"
        }
        return nil
    }
}
