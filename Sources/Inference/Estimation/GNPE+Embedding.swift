import Flows

extension GNPE {
    /// The embedding network applied to the flow's context.
    public enum Embedding: Sendable, Equatable {
        /// A multilayer perceptron with ReLU (default widths [100, 100] → 20 features).
        case mlp(hidden: [Int] = [100, 100], outputFeatures: Int = 20)
        /// A 1-D convolutional network over the data (one channel); not usable with an approximate
        /// equivariance, whose context also holds the proxies.
        case convolutional(convolutionChannels: [Int] = [8, 16], kernelSize: Int = 5, poolSize: Int = 2,
                           hidden: [Int] = [100], outputFeatures: Int = 20)
        /// None: the flow sees the z-scored context itself.
        case identity

        /// The architecture for a context of `features` features, `dataLength` of them data.
        /// - Throws: ``GNPEError/invalidOption(_:)`` for a convolutional embedding whose context is
        ///   not the data alone.
        func architecture(features: Int, dataLength: Int) throws -> EmbeddingArchitecture {
            switch self {
            case let .mlp(hidden, out):
                return .mlp(inputFeatures: features, hidden: hidden, outputFeatures: out, activation: .relu)
            case let .convolutional(channels, kernel, pool, hidden, out):
                guard features == dataLength else {
                    throw GNPEError.invalidOption("a convolutional embedding cannot take the proxies of an approximate equivariance; use .mlp")
                }
                return .convolutional(channels: 1, length: dataLength, convolutionChannels: channels, kernelSize: kernel,
                                      poolSize: pool, hidden: hidden, outputFeatures: out, activation: .relu)
            case .identity:
                return .identity(features: features)
            }
        }
    }
}
