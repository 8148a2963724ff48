import Dispatch
import RealModule
import TensorCore

/// A conditional normalizing flow q(θ | x): z-scoring, an embedding network for x, a stack of
/// autoregressive transforms with mixing layers between them, and a standard-normal base.
///
/// It is a distribution given a context (zuko's `flow(x)`): evaluate densities with
/// ``logProbability(of:given:)`` and draw with ``sample(count:given:using:)``. A trainer drives
/// ``lossAndGradients(of:given:random:)``, the ``parameters`` and an optimizer.
///
/// ```swift
/// let flow = try ConditionalFlow(architecture: FlowArchitecture(
///     kind: .maskedAutoregressive, parameterFeatures: 3, embedding: .identity(features: 10)))
/// try flow.fitStandardization(parameters: theta, observations: x)   // from training data
/// let optimizer = Adam(parameters: flow.parameters, learningRate: 5e-4)
/// let loss = try flow.lossAndGradients(of: thetaBatch, given: xBatch)
/// optimizer.step()
/// var rng = RandomSource(seed: 1)
/// let samples = try flow.sample(count: 1000, given: observed, using: &rng)   // [1000, 3]
/// ```
///
/// References: G. Papamakarios et al., "Masked Autoregressive Flow for Density Estimation",
/// NeurIPS 2017; C. Durkan et al., "Neural Spline Flows", NeurIPS 2019.
public final class ConditionalFlow {
    /// The description this flow was built from.
    public let architecture: FlowArchitecture
    /// The embedding of observations.
    public let embedding: any EmbeddingNetwork
    /// The transforms in the normalizing direction (θ → z).
    public let transforms: [any FlowTransform]
    /// z-scoring of θ (identity until ``fitStandardization(parameters:observations:)``).
    public var parameterStandardization: Standardization
    /// z-scoring of observations (identity until fitted).
    public var observationStandardization: Standardization

    /// Builds a flow with fresh weights drawn from `architecture.seed`.
    /// - Parameter architecture: The description.
    /// - Throws: ``FlowError/invalidArchitecture(_:)`` for out-of-range sizes.
    public convenience init(architecture: FlowArchitecture) throws {
        try architecture.validate()
        var rng = RandomSource(seed: architecture.seed)
        let embedding = architecture.embedding.makeNetwork(using: &rng)
        try self.init(architecture: architecture, embedding: embedding, rng: &rng)
    }

    /// Builds a flow around a custom embedding network.
    /// - Parameters:
    ///   - architecture: The description; its `embedding` gives the observation size and must
    ///     have `inputFeatures == embedding.inputCount`.
    ///   - embedding: Your network (its parameters come first in ``parameters``).
    /// - Throws: ``FlowError`` if sizes disagree.
    public convenience init(architecture: FlowArchitecture, embedding: any EmbeddingNetwork) throws {
        try architecture.validate()
        var rng = RandomSource(seed: architecture.seed ^ 0x5EED)
        try self.init(architecture: architecture, embedding: embedding, rng: &rng)
    }

    private init(architecture: FlowArchitecture, embedding: any EmbeddingNetwork, rng: inout RandomSource) throws {
        guard embedding.inputCount == architecture.contextFeatures else {
            throw FlowError.invalidArchitecture(
                "embedding takes \(embedding.inputCount) features, architecture says \(architecture.contextFeatures)")
        }
        self.architecture = architecture
        self.embedding = embedding
        let d = architecture.parameterFeatures
        let c = embedding.outputCount
        var ts = [any FlowTransform]()
        for k in 0..<architecture.transformCount {
            let name = "transform\(k)"
            switch architecture.kind {
            case .maskedAutoregressive:
                ts.append(MaskedAffineAutoregressive(
                    features: d, contextFeatures: c, hiddenFeatures: architecture.hiddenFeatures,
                    hiddenLayerCount: architecture.hiddenLayerCount, activation: architecture.activation,
                    name: name, using: &rng))
            case .neuralSpline:
                ts.append(RationalQuadraticAutoregressive(
                    features: d, contextFeatures: c, hiddenFeatures: architecture.hiddenFeatures,
                    hiddenLayerCount: architecture.hiddenLayerCount, activation: architecture.activation,
                    binCount: architecture.binCount, bound: architecture.tailBound, name: name, using: &rng))
            }
            if k < architecture.transformCount - 1 && d > 1 {
                switch architecture.mixing {
                case .reversePermutation:
                    ts.append(Permutation.reversing(d))
                case .randomPermutation:
                    ts.append(Permutation(indices: Array(0..<d).shuffled(using: &rng)))
                case .luLinear:
                    ts.append(Permutation.reversing(d))
                    ts.append(LULinear(features: d, name: "mixing\(k)"))
                }
            }
        }
        transforms = ts
        parameterStandardization = .identity(features: d)
        observationStandardization = .identity(features: architecture.contextFeatures)
    }

    /// Dimension of θ.
    public var parameterFeatures: Int { architecture.parameterFeatures }
    /// Dimension of one observation (flattened).
    public var observationFeatures: Int { architecture.contextFeatures }

    /// All trainable parameters in a fixed order: the embedding's, then each transform's.
    public var parameters: [TrainableParameter] { embedding.parameters + transforms.flatMap(\.parameters) }

    /// Computes the z-scoring of θ and of observations from training data (sbi's
    /// `z_score_theta`/`z_score_x`).
    /// - Parameters:
    ///   - parameters: `[n, parameterFeatures]`.
    ///   - observations: `[n, observationFeatures...]`.
    /// - Throws: ``FlowError/shapeMismatch(_:)``; ``FlowError/nonFiniteData(_:)`` if a value
    ///   is NaN or infinite (drop those simulations first).
    public func fitStandardization(parameters theta: Tensor, observations x: Tensor) throws {
        try checkShapes(theta, x)
        guard theta.isFinite else { throw FlowError.nonFiniteData("θ contains NaN or infinite values; drop those simulations first") }
        guard observationFeatures == 0 || x.isFinite else {
            throw FlowError.nonFiniteData("x contains NaN or infinite values; drop those simulations first")
        }
        try checkSupport(theta)
        parameterStandardization = Standardization(fitting: unbounded(theta.reshaped(to: [theta.rows, theta.columns])).values)
        if observationFeatures > 0 {
            observationStandardization = Standardization(fitting: x.reshaped(to: [x.rows, x.columns]))
        }
    }

    // MARK: Densities

    /// Records log q(θ | x) for a batch on a tape.
    /// - Parameters:
    ///   - theta: `[batch, parameterFeatures]`.
    ///   - x: `[batch, observationFeatures...]`, or one observation (`[1, ...]`) shared by all rows.
    ///   - tape: The tape.
    /// - Returns: A `[batch]` node.
    /// - Throws: ``FlowError/shapeMismatch(_:)``.
    public func logProbability(of theta: Tensor, given x: Tensor, on tape: Tape) throws -> Variable {
        try logProbability(of: theta, given: x, temperature: 1, on: tape)
    }

    /// Records log q_τ(θ | x), the density of the flow with its base distribution widened to
    /// 𝒩(0, τ²I) (see ``sample(given:temperature:using:)``), on a tape.
    func logProbability(of theta: Tensor, given x: Tensor, temperature: Float, on tape: Tape) throws -> Variable {
        let theta = theta.rank == 1 && theta.count == parameterFeatures ? theta.reshaped(to: [1, parameterFeatures]) : theta
        let xRows = observationFeatures == 0 ? theta.rows : (x.rank == 1 ? 1 : x.rows)
        guard theta.columns == parameterFeatures, theta.count > 0 else {
            throw FlowError.shapeMismatch("θ must be [batch, \(parameterFeatures)], got \(theta.shape)")
        }
        guard xRows == theta.rows || xRows == 1 else {
            throw FlowError.shapeMismatch("θ has \(theta.rows) rows but x has \(x.rows) (need equal, or 1)")
        }
        var context = try embeddedContext(x, on: tape)
        if let c = context, tape.value(c).rows == 1 && theta.rows > 1 {
            context = tape.repeatingRow(c, count: theta.rows)
        }
        let (u, supportLogJacobian) = unbounded(theta)
        var h = tape.constant(parameterStandardization.apply(u))
        var logDets = [Variable]()
        for t in transforms {
            let (out, ld) = t.forward(h, context: context, on: tape)
            h = out
            if let ld { logDets.append(ld) }
        }
        var lp: Variable
        if temperature == 1 {
            lp = tape.standardNormalLogDensity(h)
        } else {
            // log 𝒩(z; 0, τ²I) = log 𝒩(z/τ; 0, I) − d log τ.
            lp = tape.add(tape.standardNormalLogDensity(tape.scaled(h, by: 1 / temperature)),
                          tape.constant(Tensor(repeating: -Float(parameterFeatures) * Float.log(temperature), shape: [theta.rows])))
        }
        for ld in logDets { lp = tape.add(lp, ld) }
        if let supportLogJacobian { lp = tape.add(lp, tape.constant(Tensor(shape: [theta.rows], scalars: supportLogJacobian))) }
        return lp
    }

    /// θ in the flow's unbounded coordinates (``FlowArchitecture/parameterSupport``) and the
    /// log-Jacobian of that map per row (`nil` when every parameter is unbounded).
    func unbounded(_ theta: Tensor) -> (values: Tensor, logJacobian: [Float]?) {
        guard let support = architecture.parameterSupport, support.isBounded else { return (theta, nil) }
        let (u, logJacobian) = support.unbounding(theta)
        return (u, logJacobian)
    }

    /// Throws if a training value lies outside ``FlowArchitecture/parameterSupport``.
    /// - Parameter theta: `[batch, parameterFeatures]`.
    /// - Throws: ``FlowError/outsideSupport(_:)`` naming the row, the parameter and the interval.
    public func checkSupport(_ theta: Tensor) throws {
        guard let support = architecture.parameterSupport,
              let (row, j, value) = support.firstViolation(in: theta.reshaped(to: [theta.count / parameterFeatures, parameterFeatures]))
        else { return }
        throw FlowError.outsideSupport(
            "row \(row): parameter \(j) is \(value), outside its interval \(support.intervals[j]!) (the prior's support); drop such simulations or set architecture.parameterSupport = nil")
    }

    /// Unbounded coordinates mapped back to θ.
    func bounded(_ u: Tensor) -> Tensor {
        guard let support = architecture.parameterSupport, support.isBounded else { return u }
        return support.bounding(u)
    }

    /// log q(θ | x) for a batch of pairs.
    /// - Parameters:
    ///   - theta: `[batch, parameterFeatures]` (or one vector `[parameterFeatures]`).
    ///   - x: `[batch, observationFeatures...]`, or one observation (`[1, ...]` or
    ///     `[observationFeatures]`) shared by all rows.
    /// - Returns: `[batch]` log densities in the original (un-z-scored) θ coordinates.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` for θ or x of the wrong width (or row count);
    ///   ``FlowError/nonFiniteData(_:)`` naming the first NaN or ±∞ in θ or x.
    public func logProbability(of theta: Tensor, given x: Tensor) throws -> Tensor {
        try logProbability(of: theta, given: x, temperature: 1)
    }

    /// log q_τ(θ | x): the density of the flow whose base distribution is widened to 𝒩(0, τ²I),
    /// the proposal ``sample(given:temperature:using:)`` draws from (τ = 1 is ``logProbability(of:given:)``).
    /// - Parameters:
    ///   - theta: `[batch, parameterFeatures]` (or one vector `[parameterFeatures]`).
    ///   - x: As ``logProbability(of:given:)``.
    ///   - temperature: τ > 0, finite.
    /// - Returns: `[batch]` log densities in θ's coordinates.
    /// - Throws: As ``logProbability(of:given:)``; ``FlowError/invalidArgument(_:)`` for a τ that
    ///   is not positive and finite.
    public func logProbability(of theta: Tensor, given x: Tensor, temperature: Float) throws -> Tensor {
        try Self.checkTemperature(temperature)
        let theta = theta.rank == 1 && theta.count == parameterFeatures ? theta.reshaped(to: [1, parameterFeatures]) : theta
        try Self.checkFinite(theta, name: "θ")
        if observationFeatures > 0 { try Self.checkFinite(x, name: "x") }
        if theta.rank == 2 && theta.columns == parameterFeatures && theta.rows == 0 { return Tensor(shape: [0], scalars: []) }
        let n = theta.rows
        let shared = observationFeatures == 0 || x.rank == 1 || x.rows == 1
        var out = [Float]()
        out.reserveCapacity(n)
        // Chunks bound the memory of the intermediate activations for large grids.
        for start in stride(from: 0, to: max(n, 1), by: Self.chunkSize) {
            let range = start..<min(start + Self.chunkSize, n)
            let tape = Tape()
            let lp = try logProbability(of: n <= Self.chunkSize ? theta : theta.slicingRows(range),
                                        given: shared || n <= Self.chunkSize ? x : x.slicingRows(range),
                                        temperature: temperature, on: tape)
            out.append(contentsOf: tape.value(lp).scalars)
            if n > Self.chunkSize { try Interruption.checkpoint("density evaluation, row \(range.upperBound) of \(n)") }
        }
        return Tensor(shape: [n], scalars: out) + (-parameterStandardization.logScaleSum)
    }

    /// Rows evaluated at once by the gradient-free methods (bounds their memory).
    static let chunkSize = 32_768

    /// The mean negative log-likelihood −mean log q(θ|x) of a batch, without gradients
    /// (validation loss).
    public func loss(of theta: Tensor, given x: Tensor) throws -> Float {
        -(try logProbability(of: theta, given: x).mean())
    }

    /// Computes the loss −mean log q(θ|x) of a batch and adds its gradients to every
    /// parameter's `gradient` (zero them first, e.g. `flow.parameters.zeroGradients()`).
    /// - Parameters:
    ///   - theta: `[batch, parameterFeatures]`.
    ///   - x: `[batch, observationFeatures...]`.
    ///   - random: Random source for dropout and batch-norm batch statistics (training mode is
    ///     on when given; pass a fresh stream per step, e.g. `rng.stream(step)`); `nil` runs in
    ///     evaluation mode.
    /// - Returns: The loss.
    /// - Throws: ``FlowError/shapeMismatch(_:)``.
    @discardableResult
    public func lossAndGradients(of theta: Tensor, given x: Tensor, random: RandomSource? = nil) throws -> Float {
        let tape = Tape(isTraining: true, random: random ?? RandomSource(seed: 0))
        if random == nil { tape.isTraining = false }
        let lp = try logProbability(of: theta, given: x, on: tape)
        let loss = tape.scaled(tape.mean(lp), by: -1)
        tape.backward(from: loss)
        return tape.value(loss).scalars[0] + parameterStandardization.logScaleSum
    }

    // MARK: Sampling

    /// Draws samples from q(θ | x) for one observation.
    /// - Parameters:
    ///   - count: How many samples.
    ///   - x: One observation, `[observationFeatures...]` or `[1, observationFeatures...]`.
    ///   - rng: The random source (same seed, same samples).
    /// - Returns: `[count, parameterFeatures]`.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` for a negative count or an observation of the
    ///   wrong width; ``FlowError/nonFiniteData(_:)`` naming the first NaN or ±∞ in x;
    ///   `InsufficientMemoryError` (before allocating) for a count whose samples cannot fit in
    ///   memory; `InterruptedError` if the user interrupts a large draw (polled between chunks of
    ///   32,768 samples). A count of 0 returns `[0, parameterFeatures]`.
    /// - Complexity: One embedding evaluation, then `parameterFeatures` MADE passes per
    ///   transform over the batch.
    public func sample(count: Int, given x: Tensor, using rng: inout RandomSource) throws -> Tensor {
        try sample(count: count, given: x, temperature: 1, using: &rng)
    }

    /// Draws `count` samples for one observation from the flow with its base distribution widened
    /// to 𝒩(0, τ²I) (see ``sample(given:temperature:using:)``; τ = 1 is
    /// ``sample(count:given:using:)``, draw for draw).
    /// - Parameters:
    ///   - count: How many samples.
    ///   - x: One observation, `[observationFeatures...]` or `[1, observationFeatures...]`.
    ///   - temperature: τ > 0, finite.
    ///   - rng: The random source.
    /// - Returns: `[count, parameterFeatures]`.
    /// - Throws: As ``sample(count:given:using:)``; ``FlowError/invalidArgument(_:)`` for a τ that
    ///   is not positive and finite.
    public func sample(count: Int, given x: Tensor, temperature: Float, using rng: inout RandomSource) throws -> Tensor {
        try Self.checkTemperature(temperature)
        guard count >= 0 else { throw FlowError.shapeMismatch("sample count must be ≥ 0, got \(count)") }
        guard observationFeatures == 0 || x.count == observationFeatures else {
            throw FlowError.shapeMismatch("expected one observation of \(observationFeatures) features, got \(x.shape)")
        }
        if observationFeatures > 0 { try Self.checkFinite(x, name: "x") }
        // The inference kernels take the base address of their buffers: keep empty draws out.
        guard count > 0 else { return Tensor(shape: [0, parameterFeatures], scalars: []) }
        // The base draws and the samples (Float each), plus one chunk of activations.
        let bytes = MemoryBudget.bytes(count, parameterFeatures, 2 * MemoryLayout<Float>.size)
        if bytes > 64 << 20 { try MemoryBudget.current().check(bytes: bytes, for: "sampling \(count) flow samples") }
        let one = observationFeatures == 0 ? x : x.reshaped(to: [1] + (x.rank > 1 && x.shape[0] == 1 ? Array(x.shape.dropFirst()) : x.shape))
        let tape = Tape()
        let context = try embeddedContext(one, on: tape).map { tape.value($0) }
        let z = Self.baseDraws(rows: count, columns: parameterFeatures, temperature: temperature, using: &rng)
        if count <= Self.chunkSize { return inverse(z, context: context) }
        var out = [Float]()
        out.reserveCapacity(count * parameterFeatures)
        for start in stride(from: 0, to: count, by: Self.chunkSize) {
            try Interruption.checkpoint("sampling, \(start) of \(count)")
            out.append(contentsOf: inverse(z.slicingRows(start..<min(start + Self.chunkSize, count)), context: context).scalars)
        }
        return Tensor(shape: [count, parameterFeatures], scalars: out)
    }

    /// Draws one sample from q(θ | xᵢ) for each row of a batch of observations.
    /// - Parameters:
    ///   - x: `[batch, observationFeatures...]`.
    ///   - rng: The random source.
    /// - Returns: `[batch, parameterFeatures]`.
    /// - Throws: ``FlowError/shapeMismatch(_:)``; ``FlowError/nonFiniteData(_:)`` naming the first
    ///   NaN or ±∞ in x.
    public func sample(given x: Tensor, using rng: inout RandomSource) throws -> Tensor {
        try sample(given: x, temperature: 1, using: &rng)
    }

    /// Draws one sample for each row of a batch of observations from the flow with its base
    /// distribution widened to 𝒩(0, τ²I): z = τ·ε, ε ~ 𝒩(0, I), mapped through the inverse.
    /// τ > 1 gives a broader proposal with heavier tails — a defensive choice for importance
    /// sampling when the flow is over-confident somewhere (its density is
    /// ``logProbability(of:given:temperature:)``); τ = 1 is ``sample(given:using:)``, draw for draw.
    /// - Parameters:
    ///   - x: `[batch, observationFeatures...]`.
    ///   - temperature: τ > 0, finite.
    ///   - rng: The random source.
    /// - Returns: `[batch, parameterFeatures]`.
    /// - Throws: As ``sample(given:using:)``; ``FlowError/invalidArgument(_:)`` for a τ that is not
    ///   positive and finite.
    public func sample(given x: Tensor, temperature: Float, using rng: inout RandomSource) throws -> Tensor {
        try Self.checkTemperature(temperature)
        guard x.columns == observationFeatures else {
            throw FlowError.shapeMismatch("observations must be [batch, \(observationFeatures)], got \(x.shape)")
        }
        try Self.checkFinite(x, name: "x")
        guard x.rows > 0 else { return Tensor(shape: [0, parameterFeatures], scalars: []) }
        let context = try embeddedContextValues(x)
        return inverse(Self.baseDraws(rows: x.rows, columns: parameterFeatures, temperature: temperature, using: &rng), context: context)
    }

    /// Draws from the base distribution 𝒩(0, τ²I): `[rows, columns]` (τ = 1 leaves the standard
    /// normal draws untouched, so the old draws are reproduced exactly).
    static func baseDraws(rows: Int, columns: Int, temperature: Float, using rng: inout RandomSource) -> Tensor {
        let z = Tensor(randomNormal: [rows, columns], using: &rng)
        return temperature == 1 ? z : z * temperature
    }

    /// Throws unless τ is positive and finite.
    static func checkTemperature(_ temperature: Float) throws {
        guard temperature > 0, temperature.isFinite else {
            throw FlowError.invalidArgument("the temperature (the base distribution's scale) must be positive and finite, got \(temperature)")
        }
    }

    /// Maps base-distribution points to θ (the sampling direction) given an embedded context
    /// (one row per point, or one row shared), parts of ``parallelRows`` rows on all cores.
    func inverse(_ z: Tensor, context: Tensor?) -> Tensor {
        let perRow = context.map { $0.rows == z.rows && z.rows > 1 } ?? false
        return Self.onAllCores(rows: z.rows, columns: parameterFeatures) { range in
            var h = range.count == z.rows ? z : z.slicingRows(range)
            let c = perRow && range.count < z.rows ? context?.slicingRows(range) : context
            for t in transforms.reversed() { h = t.inverse(h, context: c) }
            return bounded(parameterStandardization.invert(h))
        }
    }

    /// Rows per part when a batch's rows are spread over the cores. Fixed, so that the parts,
    /// and the results, do not depend on the number of cores.
    static let parallelRows = 1_024

    /// `body` on consecutive row ranges of ``parallelRows`` rows, on all cores, its `[range.count,
    /// columns]` results stacked in row order. The rows of a flow's sampling direction and of an
    /// evaluation-mode embedding do not interact, so the stack is the whole batch's result; the
    /// autoregressive inverse (one network pass per parameter and transform) is where sampling
    /// spends its time, and it is not parallel inside.
    static func onAllCores(rows: Int, columns: Int, _ body: (Range<Int>) -> Tensor) -> Tensor {
        guard rows > parallelRows else { return body(0..<rows) }
        var out = [Float](repeating: 0, count: rows * columns)
        out.withUnsafeMutableBufferPointer { buffer in
            let target = buffer
            DispatchQueue.concurrentPerform(iterations: (rows + parallelRows - 1) / parallelRows) { k in
                let range = k * parallelRows..<min(rows, (k + 1) * parallelRows)
                body(range).scalars.withUnsafeBufferPointer { part in
                    // Never past the part's rows, whatever `body` returned.
                    for i in 0..<min(part.count, range.count * columns) { target[range.lowerBound * columns + i] = part[i] }
                }
            }
        }
        return Tensor(shape: [rows, columns], scalars: out)
    }

    /// Maps θ to the base distribution (normalizing direction) with the log-determinants,
    /// including the support map and z-scoring; for tests and diagnostics.
    /// - Returns: `z` `[batch, d]` and `log|det ∂z/∂θ|` `[batch]`.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` if θ is not `[batch, parameterFeatures]` or x has
    ///   neither 1 nor `batch` rows.
    public func forward(_ theta: Tensor, given x: Tensor) throws -> (z: Tensor, logDeterminant: Tensor) {
        try checkBatch(theta, x, name: "θ")
        let tape = Tape()
        var context = try embeddedContext(x, on: tape)
        if let c = context, tape.value(c).rows == 1 && theta.rows > 1 { context = tape.repeatingRow(c, count: theta.rows) }
        let (u, supportLogJacobian) = unbounded(theta)
        var h = tape.constant(parameterStandardization.apply(u))
        var ld = Tensor(repeating: -parameterStandardization.logScaleSum, shape: [theta.rows])
        if let supportLogJacobian { ld = ld + Tensor(shape: [theta.rows], scalars: supportLogJacobian) }
        for t in transforms {
            let (out, l) = t.forward(h, context: context, on: tape)
            h = out
            if let l { ld = ld + tape.value(l) }
        }
        return (tape.value(h), ld)
    }

    /// Maps base points back to θ given observations (one per row, or one shared).
    /// - Parameters:
    ///   - z: Base points, `[batch, parameterFeatures]`.
    ///   - x: `[batch, observationFeatures]` or `[1, observationFeatures]`.
    /// - Returns: θ, `[batch, parameterFeatures]`.
    /// - Throws: ``FlowError/shapeMismatch(_:)`` for shapes that do not fit.
    public func inverse(_ z: Tensor, given x: Tensor) throws -> Tensor {
        try checkBatch(z, x, name: "z")
        guard z.rows > 0 else { return z }
        return inverse(z, context: try embeddedContextValues(x))
    }

    /// The embedded context of observations (evaluation mode, no gradients): a built-in
    /// embedding's rows in parts of ``parallelRows`` on all cores (its rows do not interact); a
    /// custom embedding, whose code the library does not know to be safe on several threads at
    /// once, in one piece on the calling thread.
    private func embeddedContextValues(_ x: Tensor) throws -> Tensor? {
        guard observationFeatures > 0 else { return nil }
        let flat = x.rank == 1 ? x.reshaped(to: [1, x.count]) : x.reshaped(to: [x.rows, x.columns])
        guard embedding.architecture != nil, flat.rows > Self.parallelRows, flat.columns == observationFeatures else {
            let tape = Tape()
            return try embeddedContext(x, on: tape).map { tape.value($0) }
        }
        let standardized = observationStandardization.apply(flat)
        return Self.onAllCores(rows: flat.rows, columns: embedding.outputCount) { range in
            let tape = Tape()
            return tape.value(embedding.embed(tape.constant(standardized.slicingRows(range)), on: tape))
        }
    }

    private func embeddedContext(_ x: Tensor, on tape: Tape) throws -> Variable? {
        guard observationFeatures > 0 else { return nil }
        let flat = x.rank == 1 ? x.reshaped(to: [1, x.count]) : x.reshaped(to: [x.rows, x.columns])
        guard flat.columns == observationFeatures else {
            throw FlowError.shapeMismatch("observations must have \(observationFeatures) features, got \(x.shape)")
        }
        return embedding.embed(tape.constant(observationStandardization.apply(flat)), on: tape)
    }

    /// Throws unless `theta` is `[batch, parameterFeatures]` and x has 1 or `batch` rows.
    private func checkBatch(_ theta: Tensor, _ x: Tensor, name: String) throws {
        guard theta.rank == 2, theta.columns == parameterFeatures else {
            throw FlowError.shapeMismatch("\(name) must be [batch, \(parameterFeatures)], got \(theta.shape)")
        }
        guard observationFeatures > 0 else { return }
        let xRows = x.rank == 1 ? 1 : x.rows
        guard xRows == 1 || xRows == theta.rows else {
            throw FlowError.shapeMismatch("\(name) has \(theta.rows) rows but x has \(xRows) (need equal, or 1)")
        }
    }

    /// Throws ``FlowError/nonFiniteData(_:)`` naming the first NaN or ±∞ of `tensor`.
    static func checkFinite(_ tensor: Tensor, name: String) throws {
        guard let k = tensor.scalars.firstIndex(where: { !$0.isFinite }) else { return }
        let columns = tensor.rank >= 2 ? tensor.count / max(tensor.shape[0], 1) : max(tensor.count, 1)
        throw FlowError.nonFiniteData(
            "\(name)[\(k / columns), \(k % columns)] is \(tensor.scalars[k]); every value must be finite")
    }

    private func checkShapes(_ theta: Tensor, _ x: Tensor) throws {
        guard theta.columns == parameterFeatures else {
            throw FlowError.shapeMismatch("θ must be [n, \(parameterFeatures)], got \(theta.shape)")
        }
        guard observationFeatures == 0 || (x.rows == theta.rows && x.columns == observationFeatures) else {
            throw FlowError.shapeMismatch("x must be [\(theta.rows), \(observationFeatures)], got \(x.shape)")
        }
    }
}
