import TensorCore

/// The simulator: a function from a parameter vector θ and a random source to a data vector x.
///
/// The closure receives θ in the order the parameters were declared. It must be safe to call
/// from several threads at once (it is run on all cores); it gets its own random source per
/// simulation, so results do not depend on the thread count.
///
/// The closure may throw: a thrown error means "no simulation at this θ" (e.g. invalid
/// parameters); `appendSimulations` drops that simulation, counts it and reports the first θ
/// and error, as for NaN output — and stops early with the first error if every simulation
/// throws. Returning the wrong number of values is a bug and stops the run.
///
/// ```swift
/// Simulator(outputLength: 200) { θ, rng in
///     times.map { t in sin(θ[0] * t) }
/// }
/// Simulator(outputLength: 200) { θ, rng in
///     guard θ[1] > 0 else { throw MyError.negativeDamping }
///     return times.map { t in exp(-θ[1] * t) }
/// }
/// ```
public struct Simulator: ModelComponent, @unchecked Sendable {
    /// The signature of a simulator: `(θ [parameterCount], rng) throws -> x [outputLength]`
    /// (a non-throwing closure is accepted as well).
    public typealias Function = (_ theta: [Double], _ rng: inout RandomSource) throws -> [Double]

    /// The number of values a simulation returns.
    public let outputLength: Int
    /// The signature of a batch simulator: `(θ [batch, parameterCount], rng) throws -> x [batch, outputLength]`
    /// (a non-throwing closure is accepted as well; a thrown error drops the whole batch).
    public typealias BatchFunction = (_ theta: SampleMatrix, _ rng: inout RandomSource) throws -> SampleMatrix

    /// The simulator function for one θ (for a batch simulator: the batch function on one row).
    public let function: Function
    /// The batch function, if the simulator was declared on batches.
    public let batchFunction: BatchFunction?

    /// Declares the simulator on one parameter vector at a time.
    /// - Parameters:
    ///   - outputLength: The length of each data vector (checked on every simulation).
    ///   - function: `(θ, rng) throws -> x`; throwing or not.
    public init(outputLength: Int, _ function: @escaping Function) {
        self.outputLength = outputLength
        self.function = function
        self.batchFunction = nil
    }

    /// Declares the simulator on batches of parameter vectors (e.g. to vectorise it).
    ///
    /// Batch simulations are run in chunks of 64 rows on all cores; chunk c draws from stream c,
    /// so results do not depend on the thread count.
    ///
    /// ```swift
    /// Simulator.batched(outputLength: 10) { θ, rng in … }   // θ: [batch, parameterCount]
    /// ```
    /// (A static function rather than an initialiser, so that `Simulator(outputLength:) { θ, rng in … }`
    /// stays unambiguous.)
    /// - Parameters:
    ///   - outputLength: The length of each data vector.
    ///   - batch: `(θ [batch, parameterCount], rng) -> x [batch, outputLength]`.
    public static func batched(outputLength: Int, _ batch: @escaping BatchFunction) -> Simulator {
        Simulator(outputLength: outputLength, batchFunction: batch)
    }

    private init(outputLength: Int, batchFunction batch: @escaping BatchFunction) {
        self.outputLength = outputLength
        self.batchFunction = batch
        self.function = { theta, rng in
            let m = try SampleMatrix(rows: 1, columns: theta.count, storage: theta)
            let out = try batch(m, &rng)
            return out.rows == 1 ? out.row(0) : out.storage
        }
    }

    /// This simulator, as the model builder collects it.
    public var declarations: [ModelDeclaration] { [.simulator(self)] }
}

/// A named noise model, applied to the simulator's output in declaration order (after the
/// simulator). Simulations can leave noise out (`includeNoise: false`) to get the signal.
///
/// ```swift
/// NoiseModel.gaussian("detector", sigma: 0.1)
/// NoiseModel("glitch") { x, rng in if rng.nextUniform() < 0.01 { x[0] += 5 } }
/// ```
public struct NoiseModel: ModelComponent, @unchecked Sendable {
    /// The noise model's name (unique within a model).
    public let name: String
    /// The standard deviation, if the noise is white Gaussian (used for exact likelihoods).
    public let gaussianSigma: Double?
    /// Adds the noise to a data vector in place.
    public let apply: (_ x: inout [Double], _ rng: inout RandomSource) -> Void

    /// Declares a noise model with a custom function.
    /// - Parameters:
    ///   - name: A unique name.
    ///   - apply: Adds noise to `x` in place.
    public init(_ name: String, _ apply: @escaping (_ x: inout [Double], _ rng: inout RandomSource) -> Void) {
        self.name = name
        self.gaussianSigma = nil
        self.apply = apply
    }

    /// White Gaussian noise 𝒩(0, σ²) added to every value.
    public static func gaussian(_ name: String = "gaussian", sigma: Double) -> NoiseModel {
        NoiseModel(name: name, sigma: sigma)
    }

    private init(name: String, sigma: Double) {
        self.name = name
        self.gaussianSigma = sigma
        self.apply = { x, rng in
            for i in x.indices { x[i] += sigma * rng.nextNormal() }
        }
    }

    /// This noise declaration, as the model builder collects it.
    public var declarations: [ModelDeclaration] { [.noise(self)] }
}
