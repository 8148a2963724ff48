/// How training treats a model's observation noise: one draw fixed per simulation, or a fresh
/// draw every epoch (the practice of DINGO, Dax et al., PRL 127, 241103, 2021).
///
/// With ``fixed`` (the default, as sbi) each simulation is stored with the noise drawn when it
/// was simulated, and every epoch sees that same draw. With ``freshEachEpoch`` the simulations
/// are stored noise-free and training adds new white Gaussian noise to every example in every
/// epoch: each simulation then stands for many noisy observations, a strong regulariser when
/// simulations are expensive. It needs every noise model of the model to be
/// `NoiseModel.gaussian(sigma:)` (additive, so that signal + noise is exactly what the simulator
/// with its noise would give), and it must be set before the simulations are made:
///
/// ```swift
/// let npe = NPE(model: model)
/// npe.settings.noise = .freshEachEpoch   // before appendSimulations: stores noise-free signals
/// try npe.appendSimulations(count: 10_000, seed: 1)
/// try npe.train()
/// ```
///
/// The noise of example row r in an epoch comes from stream r of a generator seeded by one draw
/// of the training's random source, so a run is reproducible bit for bit from
/// ``TrainingSettings/seed`` and independent of the thread count. Validation examples get fresh
/// noise too, so the validation loss estimates the loss on new observations.
///
/// `.fixed` stays the default so that existing models, files and results are unchanged; a model
/// opts in. (An estimator whose stored x are noise-free signals trains with `.fixed` too: the
/// noise of row r is then drawn once, from a generator seeded by ``TrainingSettings/seed``.)
public enum TrainingNoise: String, Codable, Sendable, CaseIterable {
    /// One noise draw per simulation, made when it was simulated (or, for stored noise-free
    /// signals, drawn once from the training seed).
    case fixed
    /// New Gaussian noise for every example in every epoch.
    case freshEachEpoch

    /// The standard deviation of the total white Gaussian noise of `model`'s noise models,
    /// √Σσᵢ².
    /// - Parameter model: The model.
    /// - Returns: σ (> 0).
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` if the model has no noise model or one
    ///   that is not `NoiseModel.gaussian(sigma:)`.
    static func gaussianSigma(of model: SimulationModel) throws -> Double {
        guard !model.noiseModels.isEmpty else {
            throw EstimatorError.invalidArgument(
                "settings.noise = .freshEachEpoch needs a NoiseModel.gaussian(sigma:) in the model; it declares no noise model")
        }
        var variance = 0.0
        for n in model.noiseModels {
            guard let s = n.gaussianSigma else {
                throw EstimatorError.invalidArgument(
                    "settings.noise = .freshEachEpoch needs every noise model to be NoiseModel.gaussian(sigma:); "
                        + "'\(n.name)' is a custom function (keep settings.noise = .fixed)")
            }
            variance += s * s
        }
        return variance.squareRoot()
    }
}
