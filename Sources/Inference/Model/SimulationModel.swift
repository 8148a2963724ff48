import TensorCore

/// A declared simulation model: parameters with priors, a simulator with optional noise models,
/// and group equivariances — written with the ``ModelBuilder`` DSL and checked on construction.
///
/// ```swift
/// let times = (0..<200).map { -5 + 0.05 * Double($0) }
/// let model = try SimulationModel {
///     Parameter("omega0", Uniform(1, 5))
///     Parameter("beta", Uniform(0.05, 0.5))
///     Parameter("t0", Uniform(-2, 2))
///     Simulator(outputLength: 200) { θ, rng in DampedOscillator.signal(omega0: θ[0], beta: θ[1], t0: θ[2]) }
///     NoiseModel.gaussian(sigma: 0.1)
///     Equivariance(pose: ["t0"], group: TimeTranslation(grid: times), kernel: .uniform(width: 0.2), exact: true)
/// }
/// ```
public struct SimulationModel: Sendable {
    /// The prior over the parameters, in declaration order.
    public let prior: JointPrior
    /// The simulator.
    public let simulator: Simulator
    /// The noise models, in application order.
    public let noiseModels: [NoiseModel]
    /// The equivariances, with their pose positions resolved.
    public let equivariances: [ResolvedEquivariance]
    /// The declared exact likelihood, if any (``exactLogLikelihood(given:)`` uses it).
    public let likelihood: Likelihood?

    /// Builds and checks a model.
    /// - Parameter content: The declarations.
    /// - Throws: ``ModelError`` naming the first invalid declaration: no or duplicate parameters,
    ///   an invalid prior, not exactly one simulator, more than one likelihood, a non-positive output length, duplicate noise
    ///   names, an unknown or reused pose parameter, a pose whose size differs from the group's
    ///   dimension, an invalid group or kernel; for a computed pose (``ComputedPose``) also
    ///   invalid names, an unknown parameter in ``Equivariance/ExactPart/commonTranslation(moving:)``
    ///   or a group that does not compose by addition, and a pose function that returns the wrong
    ///   number of values or NaN at one of four prior draws.
    public init(@ModelBuilder _ content: () throws -> [ModelDeclaration]) throws {
        try self.init(declarations: content())
    }

    /// Builds and checks a model from a list of declarations (what the builder produces).
    /// - Throws: See ``init(_:)``.
    public init(declarations: [ModelDeclaration]) throws {
        var parameters: [Parameter] = []
        var simulators: [Simulator] = []
        var noises: [NoiseModel] = []
        var equivs: [Equivariance] = []
        var likelihoods: [Likelihood] = []
        for d in declarations {
            switch d {
            case let .parameter(p): parameters.append(p)
            case let .simulator(s): simulators.append(s)
            case let .noise(n): noises.append(n)
            case let .equivariance(e): equivs.append(e)
            case let .likelihood(l): likelihoods.append(l)
            }
        }
        guard likelihoods.count <= 1 else { throw ModelError.likelihoodCount(likelihoods.count) }
        likelihood = likelihoods.first
        prior = try JointPrior(parameters: parameters)
        guard simulators.count == 1 else { throw ModelError.simulatorCount(simulators.count) }
        simulator = simulators[0]
        guard simulator.outputLength > 0 else { throw ModelError.invalidOutputLength(simulator.outputLength) }
        var noiseNames = Set<String>()
        for n in noises {
            guard noiseNames.insert(n.name).inserted else {
                throw ModelError.invalidNoiseModel(name: n.name, reason: "declared twice")
            }
            if let s = n.gaussianSigma, !(s > 0 && s.isFinite) {
                throw ModelError.invalidNoiseModel(name: n.name, reason: "σ must be finite and positive, got \(s)")
            }
        }
        noiseModels = noises
        var usedPose = Set<String>()
        var resolved: [ResolvedEquivariance] = []
        for e in equivs {
            if e.computedPose != nil {
                resolved.append(try Self.resolvingComputedPose(e, prior: prior, outputLength: simulator.outputLength, usedPose: &usedPose))
                continue
            }
            var indices: [Int] = []
            for name in e.pose {
                guard let i = prior.index(of: name) else {
                    throw ModelError.unknownPoseParameter(name, known: prior.names)
                }
                guard usedPose.insert(name).inserted else { throw ModelError.poseParameterReused(name) }
                indices.append(i)
            }
            guard e.pose.count == e.group.dimension else {
                throw ModelError.poseDimensionMismatch(pose: e.pose, groupDimension: e.group.dimension)
            }
            try e.kernel.validate()
            try e.group.validate(outputLength: simulator.outputLength)
            resolved.append(ResolvedEquivariance(declaration: e, poseIndices: indices))
        }
        equivariances = resolved
    }

    /// Checks an equivariance with a computed pose: its names, the moved parameter of its exact
    /// part, the kernel and group, and the pose function at a few prior draws.
    private static func resolvingComputedPose(_ e: Equivariance, prior: JointPrior, outputLength: Int,
                                              usedPose: inout Set<String>) throws -> ResolvedEquivariance {
        let names = e.pose
        guard !names.isEmpty else { throw ModelError.invalidPoseNames("it has no components; name one per group coordinate") }
        if let empty = names.firstIndex(of: "") { throw ModelError.invalidPoseNames("component \(empty) has an empty name") }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw ModelError.invalidPoseNames("the name '\(name)' is given twice in [\(names.joined(separator: ", "))]")
        }
        guard names.count == e.group.dimension else {
            throw ModelError.poseDimensionMismatch(pose: names, groupDimension: e.group.dimension)
        }
        var moved: Int? = nil
        if case let .commonTranslation(name) = e.exactPart {
            guard let i = prior.index(of: name) else { throw ModelError.unknownMovedParameter(name, known: prior.names) }
            guard usedPose.insert(name).inserted else { throw ModelError.poseParameterReused(name) }
            moved = i
        }
        try e.kernel.validate()
        try e.group.validate(outputLength: outputLength)
        if moved != nil, !(e.group.composesByAddition || Self.probedAsAdditive(e.group)) {
            throw ModelError.invalidGroup(
                "exactPart \(e.exactPart) needs a group that composes by adding coordinates (a translation such as TimeTranslation or ValueTranslation); \(type(of: e.group)) does not")
        }
        let resolved = ResolvedEquivariance(declaration: e, poseIndices: [], movedParameterIndex: moved)
        // The pose function at a few prior draws (fixed seed): the wrong length or a NaN is named now.
        var rng = RandomSource(seed: 0x6e70_6f73)
        for _ in 0 ..< 4 { _ = try resolved.checkedPose(of: prior.sample(using: &rng)) }
        return resolved
    }

    /// Whether a group that does not declare ``PoseGroup/composesByAddition`` still composes by
    /// adding coordinates, with −g as inverse and 0 as identity (probed at elements large enough
    /// that a wrapped angle would show).
    private static func probedAsAdditive(_ group: any PoseGroup) -> Bool {
        let d = group.dimension
        let g = (0 ..< d).map { 2.5 + 0.37 * Double($0) }, h = (0 ..< d).map { 1.75 - 0.61 * Double($0) }
        let sum = group.composing(g, h), inverse = group.inverse(of: g), identity = group.identity
        guard sum.count == d, inverse.count == d, identity.count == d else { return false }
        for j in 0 ..< d {
            guard abs(sum[j] - (g[j] + h[j])) <= 1e-12 * (1 + abs(g[j]) + abs(h[j])), abs(inverse[j] + g[j]) <= 1e-12 * (1 + abs(g[j])),
                  identity[j] == 0 else { return false }
        }
        return true
    }

    /// The parameter names, in θ order.
    public var parameterNames: [String] { prior.names }
    /// The number of parameters.
    public var parameterCount: Int { prior.dimension }
    /// The length of a data vector.
    public var outputLength: Int { simulator.outputLength }

    /// Simulates one data vector, checking its length and finiteness.
    /// - Parameters:
    ///   - theta: `[parameterCount]`.
    ///   - rng: The random source.
    ///   - includeNoise: Whether to apply the noise models (default `true`).
    /// - Returns: x, `[outputLength]`.
    /// - Throws: ``ModelError/wrongParameterCount(expected:found:)``,
    ///   ``ModelError/wrongOutputLength(expected:found:theta:)`` or
    ///   ``ModelError/nonFiniteOutput(index:theta:value:)``, or the simulator's own error.
    public func simulate(_ theta: [Double], using rng: inout RandomSource, includeNoise: Bool = true) throws -> [Double] {
        guard theta.count == parameterCount else { throw ModelError.wrongParameterCount(expected: parameterCount, found: theta.count) }
        let x = try uncheckedSimulation(theta, using: &rng, includeNoise: includeNoise)
        if let problem = check(x, theta: theta) { throw problem }
        return x
    }

    /// Runs the simulator and noise models without checks.
    /// - Throws: The simulator's own error.
    @usableFromInline
    func uncheckedSimulation(_ theta: [Double], using rng: inout RandomSource, includeNoise: Bool) throws -> [Double] {
        var x = try simulator.function(theta, &rng)
        if includeNoise, x.count == outputLength {
            for n in noiseModels { n.apply(&x, &rng) }
        }
        return x
    }

    /// The first problem with a simulation's output, if any.
    func check(_ x: [Double], theta: [Double]) -> ModelError? {
        guard x.count == outputLength else { return .wrongOutputLength(expected: outputLength, found: x.count, theta: theta) }
        for (i, v) in x.enumerated() where !v.isFinite { return .nonFiniteOutput(index: i, theta: theta, value: v) }
        return nil
    }
}
