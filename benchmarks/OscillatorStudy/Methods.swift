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
        if let maximumEpochs = options.maximumEpochs { npe.settings.maximumEpochs = maximumEpochs }
        if options.splineFlows { npe.architecture.kind = .neuralSpline }
        if options.boundedParameters { npe.architecture.parameterSupport = npe.priorSupport }
        if let hidden = options.hiddenFeatures { npe.architecture.hiddenFeatures = hidden }
        if let steps = options.transformCount { npe.architecture.transformCount = steps }
        npe.settings.learningRateSchedule = options.schedule
        if options.trainingSeed != 0 {
            npe.settings.seed = options.trainingSeed
            npe.architecture.seed = options.trainingSeed
        }
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
        if let maximumEpochs = options.maximumEpochs { gnpe.settings.maximumEpochs = maximumEpochs }
        gnpe.iterations = options.gibbsIterations
        if options.splineFlows { gnpe.architecture.kind = .neuralSpline }
        if options.boundedParameters { gnpe.architecture.parameterSupport = gnpe.priorSupport }
        if let hidden = options.hiddenFeatures { gnpe.architecture.hiddenFeatures = hidden }
        if let steps = options.transformCount { gnpe.architecture.transformCount = steps }
        gnpe.settings.learningRateSchedule = options.schedule
        if options.trainingSeed != 0 {
            gnpe.settings.seed = options.trainingSeed
            gnpe.architecture.seed = options.trainingSeed
        }
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

/// A training callback that notes every 10th epoch's losses on standard error.
func reportEvery10Epochs(_ name: String) -> (EpochReport) -> Void {
    { report in
        guard report.epoch % 10 == 0 else { return }
        note("    \(name) epoch \(report.epoch): " + String(format: "train %.3f, validation %.3f (%.0f s)",
             report.trainingLoss, report.validationLoss, report.elapsedSeconds))
    }
}
