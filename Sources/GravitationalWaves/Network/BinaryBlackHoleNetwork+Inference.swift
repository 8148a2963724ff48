import Flows
import Inference

extension BinaryBlackHoleNetwork {
    /// The network as a model for GNPE (Dax et al., ICLR 2022, §5): prior, simulator and noise
    /// (``declarations``) with the equivariance of per-detector arrival times — the pose is
    /// t_I(θ) (``arrivalTimePose``), the group shifts each detector's data by its own time
    /// (``timeTranslations``), the common shift is exact (it moves geocent_time) and the relative
    /// shifts are approximate (their proxies go to the flow as context).
    /// - Parameter kernel: κ, per detector (default uniform on ±1 ms, as DINGO).
    /// - Returns: The model.
    /// - Throws: ``ModelError`` for an invalid kernel.
    public func equivariantModel(kernel: BlurKernel = .uniform(width: 0.002)) throws -> SimulationModel {
        try SimulationModel(declarations: declarations + [.equivariance(arrivalTimeEquivariance(pose: arrivalTimePose, kernel: kernel))])
    }

    /// The equivariance of per-detector arrival times for a pose computed from some θ layout:
    /// ``timeTranslations``, κ per detector, the common shift exact (it moves geocent_time).
    func arrivalTimeEquivariance(pose: ComputedPose, kernel: BlurKernel) -> Equivariance {
        Equivariance(pose: pose, group: timeTranslations, kernel: kernel, exactPart: .commonTranslation(moving: "geocent_time"))
    }

    /// DINGO's embedding for this network's data (Dax et al., PRL 127, 241103 (2021)): per
    /// detector a linear projection of its whitened (re, im) values onto `basisSize` coefficients,
    /// initialised from an SVD of noise-free simulated signals at the start of training, then
    /// residual blocks of `residualWidths` to `outputFeatures`.
    /// - Parameters:
    ///   - basisSize: Real basis coefficients per detector (DINGO's n complex elements are 2n here).
    ///   - residualWidths: The residual blocks' widths.
    ///   - outputFeatures: The context features handed to the flow.
    ///   - passthroughFeatures: Inputs after the detectors' data that pass the projection
    ///     unchanged: 0 for NPE, GNPE's context proxies for GNPE
    ///     (`gnpe.equivariance.contextProxyCount`, 2 for three detectors).
    /// - Returns: The embedding's architecture.
    public func reducedBasisEmbedding(basisSize: Int = 64, residualWidths: [Int] = [256, 256, 128],
                                      outputFeatures: Int = 64, passthroughFeatures: Int = 0) -> EmbeddingArchitecture {
        .reducedBasis(channels: detectors.count, lengthPerChannel: 2 * bandBinCount, basisSize: basisSize,
                      residualWidths: residualWidths, outputFeatures: outputFeatures, passthroughFeatures: passthroughFeatures)
    }
}
