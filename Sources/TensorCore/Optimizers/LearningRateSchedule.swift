import RealModule

/// Cosine annealing of the learning rate (Loshchilov & Hutter, "SGDR", ICLR 2017), without
/// restarts: from `initial` at step 0 to `minimum` at `totalSteps`.
public struct CosineSchedule: Codable, Sendable, Equatable {
    /// The learning rate at step 0.
    public var initial: Float
    /// The learning rate at and after `totalSteps`.
    public var minimum: Float
    /// The length of the schedule (epochs or steps).
    public var totalSteps: Int

    /// Creates a cosine schedule.
    public init(initial: Float, minimum: Float = 0, totalSteps: Int) {
        self.initial = initial
        self.minimum = minimum
        self.totalSteps = max(totalSteps, 1)
    }

    /// The learning rate at `step`.
    public func learningRate(at step: Int) -> Float {
        let t = Float(min(max(step, 0), totalSteps)) / Float(totalSteps)
        return minimum + 0.5 * (initial - minimum) * (1 + Float.cos(Float.pi * t))
    }
}

/// Reduces the learning rate by `factor` when a monitored loss stops improving for `patience`
/// epochs (as `torch.optim.lr_scheduler.ReduceLROnPlateau`, mode "min", relative threshold).
public struct PlateauSchedule: Codable, Sendable, Equatable {
    /// The current learning rate.
    public private(set) var learningRate: Float
    /// Multiplier applied on a plateau.
    public var factor: Float
    /// Epochs without improvement tolerated before reducing.
    public var patience: Int
    /// Relative improvement that counts as better.
    public var threshold: Float
    /// The learning rate is never reduced below this.
    public var minimum: Float
    /// The best loss seen.
    public private(set) var best: Float = .infinity
    /// Epochs since the best loss.
    public private(set) var epochsWithoutImprovement = 0

    /// Creates a plateau schedule.
    public init(initial: Float, factor: Float = 0.5, patience: Int = 10, threshold: Float = 1e-4, minimum: Float = 0) {
        self.learningRate = initial
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.minimum = minimum
    }

    /// Records the loss of an epoch and returns the learning rate to use next.
    /// - Parameter loss: The monitored (validation) loss.
    /// - Returns: The possibly reduced learning rate.
    @discardableResult
    public mutating func record(loss: Float) -> Float {
        if loss < best - abs(best) * threshold || best == .infinity {
            best = loss
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
            if epochsWithoutImprovement > patience {
                learningRate = max(learningRate * factor, minimum)
                epochsWithoutImprovement = 0
            }
        }
        return learningRate
    }
}
