import Foundation

/// A dense, row-major, batch-first array of `Float` values.
///
/// `Tensor` is a value type (copy-on-write through its `scalars` array). The first axis is the
/// batch axis by convention: a batch of 200 parameter vectors in ℝ³ is a `Tensor` of shape
/// `[200, 3]`.
///
/// ```swift
/// let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let b = a.transposed()               // shape [3, 2]
/// let c = a.matmul(b)                  // shape [2, 2], via OpenBLAS sgemm
/// ```
public struct Tensor: Equatable, Codable, Sendable, CustomStringConvertible {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Creates a tensor from its shape and row-major elements.
    /// - Parameters:
    ///   - shape: The extent of each axis.
    ///   - scalars: The elements in row-major order; the count must equal the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Creates a tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// Creates a `[rows.count, columns]` matrix from rows of equal length.
    /// - Parameter rows: The rows; all must have the same count.
    public init(rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Tensor(rows:): rows differ in length")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// Creates a tensor of standard-normal deviates drawn from `rng`.
    public init(randomNormal shape: [Int], using rng: inout RandomSource) {
        var s = [Float](repeating: 0, count: shape.reduce(1, *))
        s.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        self.init(shape: shape, scalars: s)
    }

    /// Creates a tensor of uniform deviates in `[low, high)` drawn from `rng`.
    public init(randomUniform shape: [Int], low: Float, high: Float, using rng: inout RandomSource) {
        let n = shape.reduce(1, *)
        var s = [Float](repeating: 0, count: n)
        for i in 0..<n { s[i] = low + (high - low) * Float(rng.nextUniform()) }
        self.init(shape: shape, scalars: s)
    }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The extent of the first (batch) axis.
    public var rows: Int { shape.first ?? 1 }
    /// The number of elements per row (product of all axes after the first).
    public var columns: Int { shape.count <= 1 ? (shape.first.map { _ in 1 } ?? 1) : shape.dropFirst().reduce(1, *) }

    /// The element at a row and column of a matrix (`rank == 2`).
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * shape[1] + column] }
        set { scalars[row * shape[1] + column] = newValue }
    }

    /// The same elements with another shape of equal element count.
    /// - Parameter newShape: The new shape; its product must equal ``count``.
    /// - Returns: A tensor sharing the element order of `self`.
    public func reshaped(to newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Row `i` of a batch as an array.
    public func row(_ i: Int) -> [Float] {
        let c = columns
        return Array(scalars[i * c..<(i + 1) * c])
    }

    /// The rows at the given indices, as a new batch (`[indices.count, columns...]`).
    public func gatheringRows(_ indices: [Int]) -> Tensor {
        let c = columns
        var out = [Float](repeating: 0, count: indices.count * c)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "gatheringRows: index \(i) out of range 0..<\(rows)")
                    for j in 0..<c { dst[k * c + j] = src[i * c + j] }
                }
            }
        }
        var newShape = shape
        if newShape.isEmpty { newShape = [1] }
        newShape[0] = indices.count
        return Tensor(shape: newShape, scalars: out)
    }

    /// Rows `range` of a batch.
    public func slicingRows(_ range: Range<Int>) -> Tensor {
        let c = columns
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[range.lowerBound * c..<range.upperBound * c]))
    }

    /// A transposed copy of a matrix (`[m, n]` → `[n, m]`).
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed(): rank-2 tensors only")
        let m = shape[0], n = shape[1]
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { out[j * m + i] = scalars[i * n + j] } }
        return Tensor(shape: [n, m], scalars: out)
    }

    /// A short description with the shape and the first elements.
    public var description: String {
        let head = scalars.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(scalars.count > 8 ? ", …" : "")])"
    }
}
