/// The Adam optimizer (Kingma & Ba, ICLR 2015), with optional decoupled weight decay
/// (AdamW; Loshchilov & Hutter, ICLR 2019).
///
/// ```swift
/// let optimizer = Adam(parameters: flow.parameters, learningRate: 5e-4)
/// let loss = try flow.lossAndGradients(of: theta, given: x)   // fills gradients
/// flow.parameters.clipGradientNorm(to: 5)
/// optimizer.step()
/// ```
public final class Adam {
    /// The parameters updated in place, in a fixed order.
    public let parameters: [TrainableParameter]
    /// The step size; schedules set it between steps.
    public var learningRate: Float
    /// Exponential decay of the first-moment estimate.
    public var beta1: Float
    /// Exponential decay of the second-moment estimate.
    public var beta2: Float
    /// Added to the denominator for numerical stability.
    public var epsilon: Float
    /// Weight decay coefficient (L2 added to the gradient for Adam, decoupled for AdamW).
    public var weightDecay: Float
    /// Whether weight decay is decoupled from the gradient (AdamW).
    public var isDecoupled: Bool
    /// The number of steps taken.
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    /// Creates an Adam optimizer over `parameters`.
    /// - Parameters:
    ///   - parameters: The parameters to update.
    ///   - learningRate: The step size (sbi's default 5e-4).
    ///   - beta1: First-moment decay (0.9).
    ///   - beta2: Second-moment decay (0.999).
    ///   - epsilon: Denominator offset (1e-8).
    ///   - weightDecay: Weight decay (0).
    ///   - decoupledWeightDecay: `true` for AdamW.
    public init(parameters: [TrainableParameter], learningRate: Float = 5e-4, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.isDecoupled = decoupledWeightDecay
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    /// An AdamW optimizer (decoupled weight decay, default 0.01 as in PyTorch).
    public static func adamW(parameters: [TrainableParameter], learningRate: Float = 5e-4, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Updates every parameter from its current gradient.
    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let correction1 = 1 - Float.pow(beta1, t)
        let correction2 = 1 - Float.pow(beta2, t)
        let stepSize = learningRate / correction1
        let invSqrtC2 = 1 / correction2.squareRoot()
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay, decoupled = isDecoupled, lr = learningRate
        for (k, p) in parameters.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    firstMoments[k].withUnsafeMutableBufferPointer { m in
                        secondMoments[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<w.count {
                                var gi = g[i]
                                if wd != 0 {
                                    if decoupled { w[i] -= lr * wd * w[i] } else { gi += wd * w[i] }
                                }
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                w[i] -= stepSize * m[i] / ((v[i]).squareRoot() * invSqrtC2 + eps)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Clears the moment estimates and the step count.
    public func reset() {
        stepCount = 0
        for k in firstMoments.indices {
            for i in firstMoments[k].indices { firstMoments[k][i] = 0; secondMoments[k][i] = 0 }
        }
    }
}

import RealModule
