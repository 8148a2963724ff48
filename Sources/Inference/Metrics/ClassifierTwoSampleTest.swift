import Dispatch
import RealModule
import TensorCore

/// The classifier two-sample test (c2st) as sbibm defines it (Lopez-Paz & Oquab, ICLR 2017;
/// Lueckmann et al., "Benchmarking Simulation-Based Inference", AISTATS 2021): the
/// cross-validated accuracy of a classifier trained to tell two samples apart. 0.5 means the
/// samples are indistinguishable, 1 that they are fully separated.
///
/// As sbibm's `c2st`: both sets are z-scored with the first set's mean and standard deviation,
/// labelled 0 and 1, and an MLP with two ReLU hidden layers of 10·dim units and a logistic output
/// is trained with Adam (scikit-learn's `MLPClassifier` defaults: learning rate 10⁻³, batches of
/// 200, L2 penalty 10⁻⁴, Glorot-uniform initialisation, stop when the training loss has not
/// improved by 10⁻⁴ for 10 epochs) in each of 5 shuffled folds (`KFold(shuffle=True)`); the
/// result is the mean held-out accuracy. One deviation: the epochs are capped at
/// ``maximumEpochs`` (scikit-learn allows 10,000) to bound the run time. The folds train in
/// parallel.
///
/// ```swift
/// let score = try ClassifierTwoSampleTest().accuracy(npeSamples, referenceSamples)  // ≈ 0.5 is good
/// ```
public struct ClassifierTwoSampleTest: Sendable {
    /// The number of cross-validation folds (5).
    public var folds = 5
    /// Seeds the fold split, the initial weights and the batch order.
    public var seed: UInt64 = 1
    /// Hidden units per input dimension in each of the two hidden layers (10).
    public var hiddenUnitsPerDimension = 10
    /// The largest number of epochs per fold (500).
    public var maximumEpochs = 500
    /// Adam's step size (10⁻³).
    public var learningRate: Float = 1e-3
    /// Examples per step (200).
    public var batchSize = 200
    /// The L2 penalty α, added as α/2·‖W‖²/batch to the loss (10⁻⁴).
    public var l2Penalty: Float = 1e-4
    /// The smallest improvement of the training loss that counts (10⁻⁴).
    public var tolerance = 1e-4
    /// Epochs without such improvement before stopping (10).
    public var patience = 10

    /// Creates a test with sbibm's settings.
    /// - Parameters:
    ///   - folds: Cross-validation folds (5).
    ///   - seed: The seed (1, as sbibm).
    ///   - maximumEpochs: The epoch cap per fold (500).
    public init(folds: Int = 5, seed: UInt64 = 1, maximumEpochs: Int = 500) {
        self.folds = folds
        self.seed = seed
        self.maximumEpochs = maximumEpochs
    }

    /// The mean cross-validated accuracy of telling `first` from `second`.
    /// - Parameters:
    ///   - first: Samples `[n, dim]` (z-scoring uses their mean and standard deviation).
    ///   - second: Samples `[m, dim]`.
    /// - Returns: The accuracy in [0, 1].
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` if the dimensions differ or a set is empty;
    ///   ``EstimatorError/invalidArgument(_:)`` for fewer than 2 folds or fewer rows than folds;
    ///   ``EstimatorError/nonFiniteValue(_:)`` naming the set, row and column of the first NaN or
    ///   ±∞; `InterruptedError`.
    public func accuracy(_ first: SampleMatrix, _ second: SampleMatrix) throws -> Double {
        let d = first.columns
        guard d == second.columns, d > 0 else {
            throw EstimatorError.shapeMismatch("both sets need the same number (≥ 1) of columns, got \(first.columns) and \(second.columns)")
        }
        guard first.rows >= 2, second.rows >= 1 else {
            throw EstimatorError.shapeMismatch("need at least 2 and 1 rows, got \(first.rows) and \(second.rows)")
        }
        let n = first.rows + second.rows
        guard folds >= 2, n >= folds else {
            throw EstimatorError.invalidArgument("need ≥ 2 folds and at least as many rows as folds (folds \(folds), rows \(n))")
        }
        for (name, set) in [("first", first), ("second", second)] {
            if let (row, column, value) = InputValidation.firstNonFinite(in: set) {
                throw EstimatorError.nonFiniteValue(
                    "the \(name) set, row \(row), column \(column) is \(value); drop non-finite samples before c2st")
            }
        }
        // z-score both sets with the first set's mean and (unbiased) standard deviation.
        let mean = first.columnMeans
        let cov = first.columnCovariance
        let scale = (0..<d).map { j -> Double in
            let s = cov[j][j].squareRoot()
            return s > 0 && s.isFinite ? s : 1
        }
        var inputs = [Float](repeating: 0, count: n * d)
        var labels = [Float](repeating: 0, count: n)
        for (offset, set) in [first, second].enumerated() {
            let start = offset == 0 ? 0 : first.rows
            for i in 0..<set.rows {
                for j in 0..<d { inputs[(start + i) * d + j] = Float((set[i, j] - mean[j]) / scale[j]) }
                labels[start + i] = Float(offset)
            }
        }
        // KFold(shuffle=True): a random permutation cut into `folds` nearly equal parts.
        var rng = RandomSource(seed: seed)
        let order = Array(0..<n).shuffled(using: &rng)
        let foldBounds = (0...folds).map { k in k * (n / folds) + min(k, n % folds) }
        var accuracies = [Double](repeating: 0, count: folds)
        let stop = StopFlag()
        let settings = self
        let data = inputs, targets = labels
        accuracies.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: folds) { k in
                let test = Array(order[foldBounds[k]..<foldBounds[k + 1]])
                let train = Array(order[..<foldBounds[k]] + order[foldBounds[k + 1]...])
                var classifier = BinaryMLP(inputs: d, hidden: settings.hiddenUnitsPerDimension * d,
                                           seed: settings.foldSeed(k))
                classifier.fit(data, targets, rows: train, features: d, settings: settings, stop: stop)
                out[k] = classifier.accuracy(data, targets, rows: test, features: d)
            }
        }
        if stop.isSet { throw InterruptedError(location: "c2st") }
        return accuracies.reduce(0, +) / Double(folds)
    }
}

extension ClassifierTwoSampleTest {
    /// The seed of fold `k`'s classifier.
    func foldSeed(_ k: Int) -> UInt64 {
        var stream = RandomSource(seed: seed).stream(k + 1)
        return stream.next()
    }
}

/// sbibm's `c2st(X, Y)`: the mean 5-fold cross-validated accuracy of an MLP classifier telling
/// the two samples apart (≈ 0.5: indistinguishable; 1: separated).
/// - Parameters:
///   - first: Samples `[n, dim]` (e.g. from an estimator).
///   - second: Samples `[m, dim]` (e.g. from the reference posterior).
///   - seed: The seed (1).
/// - Returns: The accuracy.
/// - Throws: See ``ClassifierTwoSampleTest/accuracy(_:_:)``.
public func c2st(_ first: SampleMatrix, _ second: SampleMatrix, seed: UInt64 = 1) throws -> Double {
    try ClassifierTwoSampleTest(seed: seed).accuracy(first, second)
}

/// A d → h → h → 1 ReLU network with a logistic output, trained with Adam on binary
/// cross-entropy; the parameters live in one flat buffer.
///
/// Deliberately not built on TensorCore's tape and `Adam`: the network is tiny (h = 10·d) and is
/// trained for up to ``ClassifierTwoSampleTest/maximumEpochs`` epochs in each of 5 folds, for
/// every (method, budget, observation) of a study, so one fused forward/backward/Adam loop over a
/// flat buffer (matrix products still through OpenBLAS) keeps a c2st at a few seconds.
struct BinaryMLP {
    let d: Int, h: Int
    var weights: [Float]
    // Offsets of W1 [d, h], b1 [h], W2 [h, h], b2 [h], W3 [h], b3 [1].
    let w1: Int, b1: Int, w2: Int, b2: Int, w3: Int, b3: Int
    var rng: RandomSource

    init(inputs d: Int, hidden h: Int, seed: UInt64) {
        self.d = d
        self.h = h
        w1 = 0; b1 = d * h; w2 = b1 + h; b2 = w2 + h * h; w3 = b2 + h; b3 = w3 + h
        weights = [Float](repeating: 0, count: b3 + 1)
        rng = RandomSource(seed: seed)
        // Glorot uniform for weights and biases (scikit-learn), factor 2 for the logistic output.
        func fill(_ start: Int, _ count: Int, fanIn: Int, fanOut: Int, factor: Double) {
            let bound = (factor / Double(fanIn + fanOut)).squareRoot()
            for i in start..<(start + count) { weights[i] = Float(rng.nextUniform(in: -bound, bound)) }
        }
        fill(w1, d * h, fanIn: d, fanOut: h, factor: 6); fill(b1, h, fanIn: d, fanOut: h, factor: 6)
        fill(w2, h * h, fanIn: h, fanOut: h, factor: 6); fill(b2, h, fanIn: h, fanOut: h, factor: 6)
        fill(w3, h, fanIn: h, fanOut: 1, factor: 2); fill(b3, 1, fanIn: h, fanOut: 1, factor: 2)
    }

    /// Forward pass of `b` rows in `x` ([b, d]); fills the activations and returns the logits.
    func forward(_ x: UnsafePointer<Float>, rows b: Int, a1: UnsafeMutablePointer<Float>, a2: UnsafeMutablePointer<Float>,
                 logits: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            let w = w.baseAddress!
            for i in 0..<b { for j in 0..<h { a1[i * h + j] = w[b1 + j] } }
            BLAS.gemm(transA: false, transB: false, m: b, n: h, k: d, a: x, b: w + w1, beta: 1, c: a1)
            for k in 0..<(b * h) where a1[k] < 0 { a1[k] = 0 }
            for i in 0..<b { for j in 0..<h { a2[i * h + j] = w[b2 + j] } }
            BLAS.gemm(transA: false, transB: false, m: b, n: h, k: h, a: a1, b: w + w2, beta: 1, c: a2)
            for k in 0..<(b * h) where a2[k] < 0 { a2[k] = 0 }
            for i in 0..<b {
                var s = w[b3]
                for j in 0..<h { s += a2[i * h + j] * w[w3 + j] }
                logits[i] = s
            }
        }
    }

    mutating func fit(_ data: [Float], _ labels: [Float], rows: [Int], features d: Int,
                      settings: ClassifierTwoSampleTest, stop: StopFlag) {
        let n = rows.count
        let batch = min(settings.batchSize, n)
        let p = weights.count
        var m = [Float](repeating: 0, count: p), v = [Float](repeating: 0, count: p), g = [Float](repeating: 0, count: p)
        var x = [Float](repeating: 0, count: batch * d), y = [Float](repeating: 0, count: batch)
        var a1 = [Float](repeating: 0, count: batch * h), a2 = [Float](repeating: 0, count: batch * h)
        var da1 = [Float](repeating: 0, count: batch * h), da2 = [Float](repeating: 0, count: batch * h)
        var logits = [Float](repeating: 0, count: batch), dz = [Float](repeating: 0, count: batch)
        let beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, lr = settings.learningRate, alpha = settings.l2Penalty
        var step = 0
        var bestLoss = Double.infinity
        var epochsWithoutImprovement = 0
        var order = rows
        for _ in 0..<settings.maximumEpochs {
            if stop.isSet { return }
            if Interruption.isRequested { stop.set(); return }
            order.shuffle(using: &rng)
            var epochLoss = 0.0
            for start in stride(from: 0, to: n, by: batch) {
                let bsz = min(batch, n - start)
                for r in 0..<bsz {
                    let row = order[start + r]
                    for j in 0..<d { x[r * d + j] = data[row * d + j] }
                    y[r] = labels[row]
                }
                var batchLoss = 0.0
                x.withUnsafeBufferPointer { xp in
                    a1.withUnsafeMutableBufferPointer { a1p in
                        a2.withUnsafeMutableBufferPointer { a2p in
                            logits.withUnsafeMutableBufferPointer { lp in
                                forward(xp.baseAddress!, rows: bsz, a1: a1p.baseAddress!, a2: a2p.baseAddress!, logits: lp.baseAddress!)
                            }
                        }
                    }
                }
                // Binary cross-entropy from logits, and its gradient (σ(z) − y) / b.
                let inv = 1 / Float(bsz)
                for i in 0..<bsz {
                    let z = logits[i]
                    let softplus = z > 0 ? z + Float.log(onePlus: Float.exp(-z)) : Float.log(onePlus: Float.exp(z))
                    batchLoss += Double(softplus - y[i] * z)
                    let sigma = 1 / (1 + Float.exp(-z))
                    dz[i] = (sigma - y[i]) * inv
                }
                var penalty: Float = 0
                for k in (w1..<b1) { penalty += weights[k] * weights[k] }
                for k in (w2..<b2) { penalty += weights[k] * weights[k] }
                for k in (w3..<b3) { penalty += weights[k] * weights[k] }
                batchLoss = batchLoss / Double(bsz) + Double(0.5 * alpha * penalty * inv)
                epochLoss += batchLoss * Double(bsz)
                // Backward pass.
                for k in 0..<p { g[k] = 0 }
                weights.withUnsafeBufferPointer { wb in
                    let w = wb.baseAddress!
                    g.withUnsafeMutableBufferPointer { gb in
                        let gp = gb.baseAddress!
                        for i in 0..<bsz {
                            gp[b3] += dz[i]
                            for j in 0..<h {
                                gp[w3 + j] += a2[i * h + j] * dz[i]
                                da2[i * h + j] = a2[i * h + j] > 0 ? dz[i] * w[w3 + j] : 0
                            }
                        }
                        a1.withUnsafeBufferPointer { a1p in
                            da2.withUnsafeBufferPointer { d2 in
                                BLAS.gemm(transA: true, transB: false, m: h, n: h, k: bsz, a: a1p.baseAddress!, b: d2.baseAddress!,
                                          beta: 0, c: gp + w2)
                                da1.withUnsafeMutableBufferPointer { d1 in
                                    BLAS.gemm(transA: false, transB: true, m: bsz, n: h, k: h, a: d2.baseAddress!, b: w + w2,
                                              beta: 0, c: d1.baseAddress!)
                                }
                            }
                        }
                        for i in 0..<bsz {
                            for j in 0..<h {
                                gp[b2 + j] += da2[i * h + j]
                                if a1[i * h + j] <= 0 { da1[i * h + j] = 0 }
                                gp[b1 + j] += da1[i * h + j]
                            }
                        }
                        x.withUnsafeBufferPointer { xp in
                            da1.withUnsafeBufferPointer { d1 in
                                BLAS.gemm(transA: true, transB: false, m: d, n: h, k: bsz, a: xp.baseAddress!, b: d1.baseAddress!,
                                          beta: 0, c: gp + w1)
                            }
                        }
                        let decay = alpha * inv
                        for k in (w1..<b1) { gp[k] += decay * w[k] }
                        for k in (w2..<b2) { gp[k] += decay * w[k] }
                        for k in (w3..<b3) { gp[k] += decay * w[k] }
                    }
                }
                // Adam.
                step += 1
                let c1 = 1 - Float.pow(beta1, Float(step)), c2 = 1 - Float.pow(beta2, Float(step))
                let stepSize = lr * c2.squareRoot() / c1
                for k in 0..<p {
                    m[k] = beta1 * m[k] + (1 - beta1) * g[k]
                    v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k]
                    weights[k] -= stepSize * m[k] / (v[k].squareRoot() + eps)
                }
            }
            // scikit-learn's stopping rule on the training loss.
            epochLoss /= Double(n)
            if epochLoss > bestLoss - settings.tolerance { epochsWithoutImprovement += 1 } else { epochsWithoutImprovement = 0 }
            bestLoss = min(bestLoss, epochLoss)
            if epochsWithoutImprovement > settings.patience { return }
        }
    }

    func accuracy(_ data: [Float], _ labels: [Float], rows: [Int], features d: Int) -> Double {
        guard !rows.isEmpty else { return 0 }
        var x = [Float](repeating: 0, count: rows.count * d)
        for (r, row) in rows.enumerated() { for j in 0..<d { x[r * d + j] = data[row * d + j] } }
        var a1 = [Float](repeating: 0, count: rows.count * h), a2 = a1, logits = [Float](repeating: 0, count: rows.count)
        x.withUnsafeBufferPointer { xp in
            a1.withUnsafeMutableBufferPointer { a1p in
                a2.withUnsafeMutableBufferPointer { a2p in
                    logits.withUnsafeMutableBufferPointer { lp in
                        forward(xp.baseAddress!, rows: rows.count, a1: a1p.baseAddress!, a2: a2p.baseAddress!, logits: lp.baseAddress!)
                    }
                }
            }
        }
        var correct = 0
        for (r, row) in rows.enumerated() where (logits[r] > 0 ? 1 : 0) == Int(labels[row]) { correct += 1 }
        return Double(correct) / Double(rows.count)
    }
}
