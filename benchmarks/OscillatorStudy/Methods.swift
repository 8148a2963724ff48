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
///   - maximumEpochs: An optional cap on the epochs (default: the estimator's).
///   - model: The damped-oscillator model.
///   - epochs: Told the number of epochs trained.
/// - Returns: A sampler of the trained posterior.
func trainMethod(
    _ method: StudyMethod, budget: Int, seed: UInt64, maximumEpochs: Int?, model: SimulationModel,
    epochs: (Int) -> Void
) throws -> PosteriorSampler {
    switch method {
    case .npeMLP, .npeCNN:
        let npe = NPE(model: model)
        if method == .npeCNN {
            npe.architecture.embedding = .defaultConvolutional(observationLength: model.outputLength)
        }
        if let maximumEpochs { npe.settings.maximumEpochs = maximumEpochs }
        _ = try npe.appendSimulations(count: budget, seed: seed)
        let history = try npe.train()
        epochs(history.trainingLoss.count)
        let posterior = try npe.posterior
        return { x, count, seed in try posterior.sample(count: count, given: x, seed: seed) }
    case .gnpeMLP:
        throw StudyOptions.UsageError(description: "GNPE is not available in this build yet")
    }
}
