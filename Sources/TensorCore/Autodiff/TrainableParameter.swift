/// A trainable tensor with its accumulated gradient.
///
/// Layers own their parameters; optimizers update ``value`` in place from ``gradient``. A
/// parameter is a reference type so that a layer, a tape and an optimizer all see one copy.
public final class TrainableParameter: @unchecked Sendable {
    /// A dotted path naming the parameter inside its model, e.g. `"transform0.made.layer1.weight"`.
    public let name: String
    /// The current value.
    public var value: Tensor
    /// The gradient accumulated by ``Tape/backward(from:)`` since the last ``zeroGradient()``
    /// (same shape as ``value``).
    public var gradient: Tensor

    /// Creates a parameter with a zero gradient.
    /// - Parameters:
    ///   - name: A dotted path naming the parameter.
    ///   - value: The initial value.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }

    /// Sets the gradient to zero.
    public func zeroGradient() {
        gradient.scalars.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] = 0 }
        }
    }

    /// The number of scalars.
    public var count: Int { value.count }
}

extension Array where Element == TrainableParameter {
    /// The total number of scalars over all parameters.
    public var scalarCount: Int { reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero.
    public func zeroGradients() { for p in self { p.zeroGradient() } }

    /// The global L2 norm of all gradients.
    public func gradientNorm() -> Float {
        var s = 0.0
        for p in self { for g in p.gradient.scalars { s += Double(g) * Double(g) } }
        return Float(s.squareRoot())
    }

    /// Scales all gradients so that their global L2 norm is at most `maxNorm`
    /// (as `torch.nn.utils.clip_grad_norm_`).
    /// - Parameter maxNorm: The largest allowed norm (sbi uses 5).
    /// - Returns: The norm before clipping.
    @discardableResult
    public func clipGradientNorm(to maxNorm: Float) -> Float {
        let norm = gradientNorm()
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 {
            for p in self {
                p.gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<g.count { g[i] *= factor }
                }
            }
        }
        return norm
    }

    /// Copies of all values, in order (for best-weights restore and saving).
    public func values() -> [Tensor] { map(\.value) }

    /// Sets all values from tensors of the same shapes, in order.
    /// - Throws: ``TensorError/shapeMismatch(_:)`` if the count or a shape differs.
    public func setValues(_ values: [Tensor]) throws {
        guard values.count == count else {
            throw TensorError.shapeMismatch("expected \(count) parameter tensors, got \(values.count)")
        }
        for (p, v) in zip(self, values) {
            guard p.value.shape == v.shape else {
                throw TensorError.shapeMismatch("parameter \(p.name) has shape \(p.value.shape), got \(v.shape)")
            }
        }
        for (p, v) in zip(self, values) { p.value = v }
    }

    /// All values concatenated into one flat array, in order.
    public func flattenedValues() -> [Float] {
        var out = [Float]()
        out.reserveCapacity(scalarCount)
        for p in self { out.append(contentsOf: p.value.scalars) }
        return out
    }

    /// Sets all values from one flat array (as produced by ``flattenedValues()``).
    /// - Throws: ``TensorError/shapeMismatch(_:)`` if the count differs.
    public func setFlattenedValues(_ flat: [Float]) throws {
        guard flat.count == scalarCount else {
            throw TensorError.shapeMismatch("expected \(scalarCount) weights, got \(flat.count)")
        }
        var offset = 0
        for p in self {
            p.value.scalars = [Float](flat[offset..<offset + p.count])
            offset += p.count
        }
    }
}

/// Errors from tensor and model operations on user-supplied data.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Shapes or counts do not match; the message names both.
    case shapeMismatch(String)
    /// An argument is outside its valid range; the message names it.
    case invalidArgument(String)

    /// A one-line description for the user.
    public var description: String {
        switch self {
        case .shapeMismatch(let m): return "Shape mismatch: \(m)"
        case .invalidArgument(let m): return "Invalid argument: \(m)"
        }
    }
}
