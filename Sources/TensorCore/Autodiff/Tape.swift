/// A node recorded on a ``Tape``: an index into its values.
public struct Variable: Hashable, Sendable {
    /// The position of the node on its tape.
    public let index: Int
}

/// A reverse-mode automatic-differentiation tape.
///
/// Each operation computes its value eagerly and records a backward function. Operations are
/// coarse (a whole linear layer, a whole flow transform), so the per-operation bookkeeping is
/// negligible next to the arithmetic; hot kernels run over contiguous buffers.
///
/// ```swift
/// let tape = Tape()
/// let x = tape.constant(batch)                       // [batch, 3]
/// let w = tape.parameter(layer.weight)               // [3, 50]
/// let y = tape.activation(tape.linear(x, weight: w, bias: nil), .tanh)
/// let loss = tape.mean(tape.sumAlongColumns(y))
/// tape.backward(from: loss)                          // fills layer.weight.gradient
/// ```
public final class Tape {
    @usableFromInline var values: [Tensor] = []
    @usableFromInline var gradients: [[Float]?] = []
    @usableFromInline var needsGradient: [Bool] = []
    @usableFromInline var backwardFunctions: [((Tape) -> Void)?] = []
    @usableFromInline var parameterLinks: [(Int, TrainableParameter)] = []

    /// Whether layers with training behaviour (dropout, batch norm statistics) run in training
    /// mode on this tape.
    public var isTraining: Bool
    /// The random source used by stochastic layers (dropout) on this tape.
    public var random: RandomSource

    /// Creates an empty tape.
    /// - Parameters:
    ///   - isTraining: Whether dropout and batch-norm batch statistics are active.
    ///   - random: The random source for dropout.
    public init(isTraining: Bool = false, random: RandomSource = RandomSource(seed: 0)) {
        self.isTraining = isTraining
        self.random = random
        values.reserveCapacity(64)
        gradients.reserveCapacity(64)
        needsGradient.reserveCapacity(64)
        backwardFunctions.reserveCapacity(64)
    }

    /// The number of recorded nodes.
    public var count: Int { values.count }

    /// Records a tensor that needs no gradient.
    public func constant(_ value: Tensor) -> Variable {
        append(value, needsGradient: false, backward: nil)
    }

    /// Records a leaf whose gradient is wanted (read it with ``gradient(of:)`` after backward).
    public func variable(_ value: Tensor) -> Variable {
        append(value, needsGradient: true, backward: nil)
    }

    /// Records a trainable parameter; ``backward(from:)`` adds its gradient to
    /// `parameter.gradient`.
    public func parameter(_ parameter: TrainableParameter) -> Variable {
        let v = append(parameter.value, needsGradient: true, backward: nil)
        parameterLinks.append((v.index, parameter))
        return v
    }

    /// The value of a node.
    @inlinable public func value(_ v: Variable) -> Tensor { values[v.index] }

    /// The shape of a node's value.
    @inlinable public func shape(_ v: Variable) -> [Int] { values[v.index].shape }

    /// Whether gradients flow into this node.
    @inlinable public func needsGradient(_ v: Variable) -> Bool { needsGradient[v.index] }

    /// The gradient of the last ``backward(from:)`` with respect to a node, or `nil` if none
    /// reached it.
    public func gradient(of v: Variable) -> Tensor? {
        gradients[v.index].map { Tensor(shape: values[v.index].shape, scalars: $0) }
    }

    /// Records a custom operation with one output.
    ///
    /// - Parameters:
    ///   - value: The computed output.
    ///   - inputs: The nodes the output depends on.
    ///   - backward: Called once during ``backward(from:)`` with the output gradient; it adds
    ///     input gradients with ``accumulate(_:_:)`` for inputs where ``needsGradient(_:)``.
    /// - Returns: The output node.
    public func record(
        _ value: Tensor, inputs: [Variable],
        backward: @escaping (_ tape: Tape, _ outputGradient: [Float]) -> Void
    ) -> Variable {
        let needs = inputs.contains { needsGradient[$0.index] }
        let index = values.count
        return append(value, needsGradient: needs, backward: needs ? { tape in
            if let g = tape.gradients[index] { backward(tape, g) }
        } : nil)
    }

    /// Records a custom operation with several outputs (for example a flow transform that
    /// returns both the transformed batch and its log-determinants).
    ///
    /// The backward function receives one gradient per output (`nil` where no gradient reached
    /// it) once all of them are complete.
    public func record(
        _ outputs: [Tensor], inputs: [Variable],
        backward: @escaping (_ tape: Tape, _ outputGradients: [[Float]?]) -> Void
    ) -> [Variable] {
        let needs = inputs.contains { needsGradient[$0.index] }
        var result = [Variable]()
        let first = values.count
        for (k, t) in outputs.enumerated() {
            let isLast = k == outputs.count - 1
            result.append(append(t, needsGradient: needs, backward: (needs && isLast) ? { tape in
                let gs = (first..<first + outputs.count).map { tape.gradients[$0] }
                if gs.contains(where: { $0 != nil }) { backward(tape, gs) }
            } : nil))
        }
        return result
    }

    /// Adds `gradient` to a node's accumulated gradient (used by backward functions).
    /// - Parameters:
    ///   - v: The node.
    ///   - gradient: A buffer of the node's element count.
    @inlinable
    public func accumulate(_ v: Variable, _ gradient: [Float]) {
        let i = v.index
        guard needsGradient[i] else { return }
        if gradients[i] == nil {
            gradients[i] = gradient
        } else {
            gradients[i]!.withUnsafeMutableBufferPointer { g in
                gradient.withUnsafeBufferPointer { d in
                    for k in 0..<g.count { g[k] += d[k] }
                }
            }
        }
    }

    /// Back-propagates from a scalar node, adding the gradients to every recorded parameter.
    /// - Parameter loss: A node holding one element.
    public func backward(from loss: Variable) {
        precondition(values[loss.index].count == 1, "backward(from:) needs a scalar loss")
        for i in gradients.indices { gradients[i] = nil }
        gradients[loss.index] = [1]
        var i = loss.index
        while i >= 0 {
            if gradients[i] != nil, let f = backwardFunctions[i] { f(self) }
            i -= 1
        }
        for (index, p) in parameterLinks {
            guard let g = gradients[index] else { continue }
            p.gradient.scalars.withUnsafeMutableBufferPointer { dst in
                g.withUnsafeBufferPointer { src in
                    for k in 0..<dst.count { dst[k] += src[k] }
                }
            }
        }
    }

    @usableFromInline
    func append(_ value: Tensor, needsGradient needs: Bool, backward: ((Tape) -> Void)?) -> Variable {
        values.append(value)
        gradients.append(nil)
        needsGradient.append(needs)
        backwardFunctions.append(backward)
        return Variable(index: values.count - 1)
    }
}
