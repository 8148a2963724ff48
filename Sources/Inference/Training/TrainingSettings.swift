/// The optimisation settings of a maximum-likelihood flow training run.
///
/// The defaults are sbi's (`SNPE.train`): batches of 200, Adam with learning rate 5·10⁻⁴, 10 % of
/// the examples held out for validation, early stopping after 20 epochs without a better
/// validation loss, gradient norm clipped at 5.
///
/// ```swift
/// var settings = TrainingSettings()
/// settings.maximumEpochs = 100
/// let trainer = FlowTrainer(settings: settings)
/// ```
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// Examples per gradient step.
    public var batchSize: Int = 200
    /// Adam's step size.
    public var learningRate: Double = 5e-4
    /// The fraction of examples held out to measure the validation loss (e.g. 0.1).
    public var validationFraction: Double = 0.1
    /// Training stops once this many epochs in a row did not improve the best validation loss.
    public var stopAfterEpochsWithoutImprovement: Int = 20
    /// Training stops after this many epochs at the latest.
    public var maximumEpochs: Int = 1_000
    /// The largest global L2 norm of the gradient (larger gradients are scaled down), or `nil`
    /// for no clipping.
    public var gradientClipNorm: Double? = 5
    /// Seeds the train/validation split, the batch order and the training-mode randomness.
    public var seed: UInt64 = 0
    /// How the learning rate changes over the run (constant, as sbi, by default).
    public var learningRateSchedule: TrainingSchedule = .constant
    /// Decoupled (AdamW) weight decay; 0 is plain Adam, as sbi.
    public var weightDecay: Double = 0
    /// How training treats the model's Gaussian noise: `.fixed` (one draw per simulation, the
    /// default) or `.freshEachEpoch` (noise-free signals stored, new noise every epoch; set it
    /// before `appendSimulations`). See ``TrainingNoise``.
    public var noise: TrainingNoise = .fixed
    /// A wall-clock budget for the run, in seconds, or `nil` (default) for none: training stops
    /// after the first epoch that ends past it, keeping the best weights so far, and says so in
    /// ``TrainingHistory/warnings`` ("train for at most an hour"). A learning-rate schedule still
    /// runs over ``maximumEpochs``.
    public var maximumTrainingSeconds: Double? = nil
    /// The number of threads a gradient step runs on, or `nil` (default) for one per core: each
    /// batch is cut into that many parts (of at least 16 rows), whose gradients are computed at
    /// once on copies of the flow and averaged (data parallelism; at most 256 parts),
    /// and the validation loss is evaluated the same way. 1 trains on the calling thread with
    /// the BLAS threads instead. A run is reproducible for a given thread count; another count
    /// gives a statistically equivalent network, not a bit-identical one (batch-norm statistics
    /// are per part, sums run in another order). It is not saved with the settings, and a
    /// custom embedding network, which cannot be copied, trains on one thread.
    public var threadCount: Int? = nil

    /// Creates training settings; every argument defaults to sbi's value.
    /// - Parameters:
    ///   - batchSize: Examples per gradient step (200).
    ///   - learningRate: Adam's step size (5e-4).
    ///   - validationFraction: Fraction held out for validation (0.1).
    ///   - stopAfterEpochsWithoutImprovement: Early-stopping patience in epochs (20).
    ///   - maximumEpochs: Upper bound on the epochs (1,000).
    ///   - gradientClipNorm: Gradient norm bound, `nil` for none (5).
    ///   - seed: Seed of the split and batch order (0).
    ///   - learningRateSchedule: How the learning rate changes (`.constant`).
    ///   - weightDecay: Decoupled weight decay (0).
    public init(batchSize: Int = 200, learningRate: Double = 5e-4, validationFraction: Double = 0.1,
                stopAfterEpochsWithoutImprovement: Int = 20, maximumEpochs: Int = 1_000,
                gradientClipNorm: Double? = 5, seed: UInt64 = 0, learningRateSchedule: TrainingSchedule = .constant,
                weightDecay: Double = 0) {
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.validationFraction = validationFraction
        self.stopAfterEpochsWithoutImprovement = stopAfterEpochsWithoutImprovement
        self.maximumEpochs = maximumEpochs
        self.gradientClipNorm = gradientClipNorm
        self.seed = seed
        self.learningRateSchedule = learningRateSchedule
        self.weightDecay = weightDecay
    }

    private enum CodingKeys: String, CodingKey {
        case batchSize, learningRate, validationFraction, stopAfterEpochsWithoutImprovement, maximumEpochs
        case gradientClipNorm, seed, learningRateSchedule, weightDecay, noise, maximumTrainingSeconds
    }

    /// Encodes the settings; `noise` is written only when it is not `.fixed` and
    /// `maximumTrainingSeconds` only when set, so that the files
    /// and session ids of settings made before it existed stay the same.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(validationFraction, forKey: .validationFraction)
        try c.encode(stopAfterEpochsWithoutImprovement, forKey: .stopAfterEpochsWithoutImprovement)
        try c.encode(maximumEpochs, forKey: .maximumEpochs)
        try c.encodeIfPresent(gradientClipNorm, forKey: .gradientClipNorm)
        try c.encode(seed, forKey: .seed)
        try c.encode(learningRateSchedule, forKey: .learningRateSchedule)
        try c.encode(weightDecay, forKey: .weightDecay)
        if noise != .fixed { try c.encode(noise, forKey: .noise) }
        try c.encodeIfPresent(maximumTrainingSeconds, forKey: .maximumTrainingSeconds)
    }

    /// Decodes settings; `learningRateSchedule`, `weightDecay` and `noise` (added after the first
    /// file version) default to `.constant`, 0 and `.fixed` when absent, so older estimator files
    /// still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            batchSize: try c.decode(Int.self, forKey: .batchSize),
            learningRate: try c.decode(Double.self, forKey: .learningRate),
            validationFraction: try c.decode(Double.self, forKey: .validationFraction),
            stopAfterEpochsWithoutImprovement: try c.decode(Int.self, forKey: .stopAfterEpochsWithoutImprovement),
            maximumEpochs: try c.decode(Int.self, forKey: .maximumEpochs),
            gradientClipNorm: try c.decodeIfPresent(Double.self, forKey: .gradientClipNorm),
            seed: try c.decode(UInt64.self, forKey: .seed),
            learningRateSchedule: try c.decodeIfPresent(TrainingSchedule.self, forKey: .learningRateSchedule) ?? .constant,
            weightDecay: try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? 0)
        noise = try c.decodeIfPresent(TrainingNoise.self, forKey: .noise) ?? .fixed
        maximumTrainingSeconds = try c.decodeIfPresent(Double.self, forKey: .maximumTrainingSeconds)
    }

    /// Checks every field's range.
    /// - Throws: ``TrainingError/invalidSettings(_:)`` naming the bad field.
    public func validate() throws {
        if batchSize < 1 { throw TrainingError.invalidSettings("batchSize must be ≥ 1, got \(batchSize)") }
        if !(learningRate > 0) || !learningRate.isFinite {
            throw TrainingError.invalidSettings("learningRate must be a positive number, got \(learningRate)")
        }
        if !(validationFraction > 0 && validationFraction < 1) {
            throw TrainingError.invalidSettings("validationFraction must be strictly between 0 and 1, got \(validationFraction)")
        }
        if stopAfterEpochsWithoutImprovement < 1 {
            throw TrainingError.invalidSettings(
                "stopAfterEpochsWithoutImprovement must be ≥ 1, got \(stopAfterEpochsWithoutImprovement)")
        }
        if maximumEpochs < 1 { throw TrainingError.invalidSettings("maximumEpochs must be ≥ 1, got \(maximumEpochs)") }
        if !(weightDecay >= 0) || !weightDecay.isFinite {
            throw TrainingError.invalidSettings("weightDecay must be a non-negative number, got \(weightDecay)")
        }
        if let threads = threadCount, threads < 1 {
            throw TrainingError.invalidSettings("threadCount must be ≥ 1 (or nil for one per core), got \(threads)")
        }
        if let limit = maximumTrainingSeconds, !(limit > 0) || limit.isNaN {
            throw TrainingError.invalidSettings("maximumTrainingSeconds must be a positive number of seconds, got \(limit)")
        }
        try learningRateSchedule.validate()
        if let c = gradientClipNorm, !(c > 0) {
            throw TrainingError.invalidSettings("gradientClipNorm must be positive or nil, got \(c)")
        }
    }
}
