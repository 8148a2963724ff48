import Flows
import TensorCore

/// The θ-step of the Gibbs sampler backed by a trained GNPE flow.
///
/// The flow models θ *relative to the proxy* (``ResolvedEquivariance/relativeParameters(_:proxy:)``:
/// pose ĝ⁻¹·g(θ), other parameters as the group moves them; for a computed pose, the moved
/// parameter less ĝ₀) given the flow context: the standardised data T(ĝ⁻¹)x, followed by the
/// proxies the equivariance does not treat as exact (``ResolvedEquivariance/contextProxies(_:)``).
/// Samples are mapped back to absolute coordinates with
/// ``ResolvedEquivariance/absoluteParameters(_:proxies:)``.
public struct FlowGibbsConditional: GibbsConditional {
    /// The trained flow q(θ_rel | context).
    public let flow: ConditionalFlow
    /// The equivariance the flow was trained with.
    public let equivariance: ResolvedEquivariance

    /// Wraps a trained flow.
    /// - Parameters:
    ///   - flow: The flow; its context size must be the data length +
    ///     ``ResolvedEquivariance/contextProxyCount``.
    ///   - equivariance: The equivariance.
    public init(flow: ConditionalFlow, equivariance: ResolvedEquivariance) {
        self.flow = flow
        self.equivariance = equivariance
    }

    /// The flow context for a batch: standardised data, then the proxies for an approximate
    /// equivariance: `[batch, outputLength (+ poseDimension)]`.
    /// - Parameters:
    ///   - standardizedData: `[batch, outputLength]`.
    ///   - proxies: `[batch, poseDimension]`.
    /// - Returns: A Float32 tensor.
    public static func context(standardizedData: SampleMatrix, proxies: SampleMatrix, isExact: Bool) -> Tensor {
        if isExact {
            return Tensor(shape: [standardizedData.rows, standardizedData.columns], scalars: standardizedData.floatStorage)
        }
        let n = standardizedData.rows, a = standardizedData.columns, b = proxies.columns
        var scalars = [Float](repeating: 0, count: n * (a + b))
        for i in 0 ..< n {
            for j in 0 ..< a { scalars[i * (a + b) + j] = Float(standardizedData[i, j]) }
            for j in 0 ..< b { scalars[i * (a + b) + a + j] = Float(proxies[i, j]) }
        }
        return Tensor(shape: [n, a + b], scalars: scalars)
    }

    /// The flow context for a batch: standardised data, then each row's
    /// ``ResolvedEquivariance/contextProxies(_:)``: `[batch, outputLength + contextProxyCount]`.
    /// - Parameters:
    ///   - standardizedData: `[batch, outputLength]`.
    ///   - proxies: `[batch, poseDimension]`.
    ///   - equivariance: The equivariance.
    /// - Returns: A Float32 tensor.
    public static func context(standardizedData: SampleMatrix, proxies: SampleMatrix, equivariance: ResolvedEquivariance) -> Tensor {
        guard equivariance.hasComputedPose else {
            return context(standardizedData: standardizedData, proxies: proxies, isExact: equivariance.isExact)
        }
        let n = standardizedData.rows, a = standardizedData.columns, b = equivariance.contextProxyCount
        var scalars = [Float](repeating: 0, count: n * (a + b))
        for i in 0 ..< n {
            for j in 0 ..< a { scalars[i * (a + b) + j] = Float(standardizedData[i, j]) }
            let extra = equivariance.contextProxies(proxies.row(i))
            for j in 0 ..< b { scalars[i * (a + b) + a + j] = Float(extra[j]) }
        }
        return Tensor(shape: [n, a + b], scalars: scalars)
    }

    /// One θ per row from the flow q(θ | T(ĝ⁻¹)x, ĝ), given each row's standardised data and proxy.
    public func sampleParameters(standardizedData: SampleMatrix, proxies: SampleMatrix, using rng: inout RandomSource) throws
        -> SampleMatrix
    {
        let context = Self.context(standardizedData: standardizedData, proxies: proxies, equivariance: equivariance)
        let relative = try flow.sample(given: context, using: &rng)
        let matrix = try SampleMatrix(rows: relative.rows, columns: flow.parameterFeatures, storage: relative.scalars.map(Double.init))
        return equivariance.absoluteParameters(matrix, proxies: proxies)
    }
}
