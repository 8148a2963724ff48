import Flows
import Foundation
import Inference
import TensorCore

/// Draws `count` posterior samples for an observation with a seed: `[count, 3]`.
typealias PosteriorSampler = (_ observation: [Double], _ count: Int, _ seed: UInt64) throws -> SampleMatrix

/// Trains one method on `budget` simulations of `model` drawn with `seed`.
/// - Parameters:
///   - method: The method.
///   - budget: The number of training simulations.
///   - seed: The simulation seed (the same for every method, so all see the same simulations).
///   - options: The epoch cap and GNPE's Gibbs iterations.
///   - model: The damped-oscillator model.
///   - epochs: Told the number of epochs trained.
/// - Returns: A sampler of the trained posterior.
func trainMethod(
    _ method: StudyMethod, budget: Int, seed: UInt64, options: StudyOptions, model: SimulationModel,
    epochs: (Int) -> Void
) throws -> PosteriorSampler {
    switch method {
    case .npeMLP, .npeCNN:
        let npe = NPE(model: model)
        if method == .npeCNN {
            npe.architecture.embedding = .defaultConvolutional(observationLength: model.outputLength)
        }
        options.configure(&npe.architecture, &npe.settings, priorSupport: npe.priorSupport)
        _ = try npe.appendSimulations(count: budget, seed: seed)
        let history = try npe.train(progress: reportEvery10Epochs(method.title))
        epochs(history.trainingLoss.count)
        let posterior = try npe.posterior
        return { x, count, seed in try posterior.sample(count: count, given: x, seed: seed) }
    case .gnpeMLP:
        // The model's kernel (uniform, width 0.2 unless --kernel-width) and GNPE's defaults: the
        // NPE flow and MLP embedding, an initialisation network over t₀, 30 Gibbs iterations
        // (unless --gibbs-iterations).
        let gnpe = try GNPEEstimator(model: model)
        gnpe.iterations = options.gibbsIterations
        options.configure(&gnpe.architecture, &gnpe.settings, priorSupport: gnpe.priorSupport)
        _ = try gnpe.appendSimulations(count: budget, seed: seed)
        let history = try gnpe.train(
            progress: reportEvery10Epochs("GNPE-MLP flow"), initialNetworkProgress: reportEvery10Epochs("GNPE-MLP init network"))
        epochs(history.trainingLoss.count)
        let posterior = try gnpe.posterior
        posterior.printsWarnings = false
        return { x, count, seed in
            let result = try posterior.sampleWithDiagnostics(count: count, given: x, seed: seed)
            if let warning = result.diagnostics.warning { note("    GNPE: \(warning)") }
            return result.samples
        }
    }
}

extension StudyOptions {
    /// Applies the flow and training options, the same for every method: epoch cap, spline
    /// flows, prior-bounded parameters, MADE width, step count, schedule and training seed.
    /// - Parameters:
    ///   - architecture: The estimator's flow architecture.
    ///   - settings: The estimator's training settings.
    ///   - priorSupport: The estimator's `priorSupport`, used with `--bounded`.
    func configure(_ architecture: inout FlowArchitecture, _ settings: inout TrainingSettings, priorSupport: ParameterSupport) {
        if let maximumEpochs { settings.maximumEpochs = maximumEpochs }
        if splineFlows { architecture.kind = .neuralSpline }
        if boundedParameters { architecture.parameterSupport = priorSupport }
        if let hiddenFeatures { architecture.hiddenFeatures = hiddenFeatures }
        if let transformCount { architecture.transformCount = transformCount }
        settings.learningRateSchedule = schedule
        if trainingSeed != 0 {
            settings.seed = trainingSeed
            architecture.seed = trainingSeed
        }
    }
}

/// A training callback that notes every 10th epoch's losses on standard error.
func reportEvery10Epochs(_ name: String) -> (EpochReport) -> Void {
    { report in
        guard report.epoch % 10 == 0 else { return }
        note("    \(name) epoch \(report.epoch): " + String(format: "train %.3f, validation %.3f (%.0f s)",
             report.trainingLoss, report.validationLoss, report.elapsedSeconds))
    }
}
