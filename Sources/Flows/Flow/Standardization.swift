import RealModule
import TensorCore

/// A per-feature affine z-scoring `(v − mean) / scale`, computed from training data.
public struct Standardization: Codable, Sendable, Equatable {
    /// Feature means, `[features]`.
    public var mean: [Float]
    /// Feature standard deviations (constant features get 1), `[features]`.
    public var scale: [Float]

    /// The identity map on `features` features.
    public static func identity(features: Int) -> Standardization {
        Standardization(mean: [Float](repeating: 0, count: features), scale: [Float](repeating: 1, count: features))
    }

    /// Creates a standardization from means and scales.
    public init(mean: [Float], scale: [Float]) {
        self.mean = mean
        self.scale = scale
    }

    /// Computes the column means and standard deviations of a batch (as sbi's z-scoring; a
    /// feature whose standard deviation is below 1e-14 or not finite gets scale 1).
    /// - Parameter data: `[batch, features]`.
    public init(fitting data: Tensor) {
        mean = data.meanAlongBatch().scalars
        scale = data.standardDeviationAlongBatch().scalars.map { ($0 > 1e-14 && $0.isFinite) ? $0 : 1 }
    }

    /// The number of features.
    public var features: Int { mean.count }

    /// `(v − mean) / scale` row by row. `v` is `[batch, features]`.
    public func apply(_ v: Tensor) -> Tensor {
        var out = v.scalars
        let d = mean.count
        out.withUnsafeMutableBufferPointer { o in
            for k in 0..<o.count { let j = k % d; o[k] = (o[k] - mean[j]) / scale[j] }
        }
        return Tensor(shape: v.shape, scalars: out)
    }

    /// `v · scale + mean` row by row (the inverse of ``apply(_:)``).
    public func invert(_ v: Tensor) -> Tensor {
        var out = v.scalars
        let d = mean.count
        out.withUnsafeMutableBufferPointer { o in
            for k in 0..<o.count { let j = k % d; o[k] = o[k] * scale[j] + mean[j] }
        }
        return Tensor(shape: v.shape, scalars: out)
    }

    /// `Σ log scale`, the log-determinant of ``invert(_:)``.
    public var logScaleSum: Float { scale.reduce(0) { $0 + Float.log($1) } }
}
