import Flows

extension EmbeddingArchitecture {
    /// The default MLP embedding of ``NPE``: two ReLU hidden layers of 128 units down to
    /// `min(observationLength, 32)` features.
    /// - Parameter observationLength: The length of one data vector.
    public static func defaultMLP(observationLength: Int) -> EmbeddingArchitecture {
        .mlp(inputFeatures: observationLength, hidden: [128, 128], outputFeatures: min(observationLength, 32),
             activation: .relu)
    }

    /// A 1-D convolutional embedding for one-channel time series (the translation-equivariant
    /// baseline of Dax et al., ICLR 2022): convolutions with 8 and 16 channels, kernel 5, max
    /// pooling by 2, then a 128-unit layer down to 32 features.
    /// - Parameter observationLength: The number of time samples.
    public static func defaultConvolutional(observationLength: Int) -> EmbeddingArchitecture {
        .convolutional(channels: 1, length: observationLength, convolutionChannels: [8, 16], kernelSize: 5,
                       poolSize: 2, hidden: [128], outputFeatures: 32, activation: .relu)
    }
}

extension FlowArchitecture {
    /// The default flow of ``NPE``: a masked autoregressive flow with sbi's sizes (5 transforms,
    /// 2 × 50 hidden units) on the default MLP embedding. For a neural spline flow set
    /// `kind = .neuralSpline`.
    /// - Parameters:
    ///   - parameterCount: The dimension of θ.
    ///   - observationLength: The length of one data vector.
    public static func npeDefault(parameterCount: Int, observationLength: Int) -> FlowArchitecture {
        FlowArchitecture(kind: .maskedAutoregressive, parameterFeatures: parameterCount,
                         embedding: .defaultMLP(observationLength: observationLength))
    }
}
