import TensorCore

/// A fixed permutation of the features (log-determinant zero), placed between autoregressive
/// steps so that every feature is conditioned on every other one somewhere in the flow.
public struct Permutation: FlowTransform {
    /// `output[:, j] = input[:, indices[j]]`.
    public let indices: [Int]
    private let inverseIndices: [Int]

    /// Creates a permutation.
    /// - Parameter indices: A permutation of `0..<features`.
    public init(indices: [Int]) {
        precondition(indices.sorted() == Array(indices.indices), "Permutation: not a permutation")
        self.indices = indices
        var inv = [Int](repeating: 0, count: indices.count)
        for (j, i) in indices.enumerated() { inv[i] = j }
        inverseIndices = inv
    }

    /// The order-reversing permutation of `features` features.
    public static func reversing(_ features: Int) -> Permutation {
        Permutation(indices: Array((0..<features).reversed()))
    }

    /// None.
    public var parameters: [TrainableParameter] { [] }

    /// Reorders the features; volume-preserving (no log-determinant).
    public func forward(_ x: Variable, context: Variable?, on tape: Tape) -> (output: Variable, logDeterminant: Variable?) {
        let xv = tape.value(x)
        let inv = inverseIndices
        let y = Self.permute(xv, indices)
        let out = tape.record(y, inputs: [x]) { tape, g in
            tape.accumulate(x, Self.permute(Tensor(shape: xv.shape, scalars: g), inv).scalars)
        }
        return (out, nil)
    }

    /// Restores the original order.
    public func inverse(_ z: Tensor, context: Tensor?) -> Tensor { Self.permute(z, inverseIndices) }

    static func permute(_ x: Tensor, _ idx: [Int]) -> Tensor {
        let n = x.rows, d = x.columns
        var out = [Float](repeating: 0, count: n * d)
        x.scalars.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<n { for j in 0..<d { o[r * d + j] = xs[r * d + idx[j]] } }
            }
        }
        return Tensor(shape: x.shape, scalars: out)
    }
}
