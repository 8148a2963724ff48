import TensorCore

/// A conditional sampler of θ given data standardised by pose proxies: the θ-step of the GNPE
/// Gibbs sampler (Dax et al., "Group equivariant neural posterior estimation", ICLR 2022,
/// arXiv 2111.13139, §3.2).
///
/// Given, for each chain i, the standardised data x′ᵢ = T(ĝᵢ⁻¹)x and the proxy ĝᵢ, a conformer
/// draws θᵢ ~ q(θ | x′ᵢ, ĝᵢ) and returns it in **absolute** coordinates (pose g(θᵢ) near ĝᵢ, not
/// relative to it). A trained GNPE flow conforms through ``FlowGibbsConditional``; a test can
/// conform with a closed-form conditional and check the sampler without any training.
///
/// ```swift
/// struct Exact: GibbsConditional {
///     func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix,
///                           using rng: inout RandomSource) throws -> SampleMatrix { … }
/// }
/// ```
public protocol GibbsConditional {
    /// Draws one parameter vector per chain.
    /// - Parameters:
    ///   - standardizedData: T(ĝᵢ⁻¹)x per chain: `[chains, outputLength]`.
    ///   - proxies: ĝᵢ per chain: `[chains, poseDimension]`.
    ///   - rng: The random source.
    /// - Returns: θᵢ in absolute coordinates: `[chains, parameterCount]`.
    /// - Throws: Whatever the underlying sampler throws (shape errors, interruption).
    func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws
        -> SampleMatrix
}
