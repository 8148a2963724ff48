extension Tensor {
    /// A vector (`[values.count]`) of the given values.
    public init(_ values: [Float]) {
        self.init(shape: [values.count], scalars: values)
    }

    /// A tensor of the given shape from `Double` values (rounded to `Float`).
    /// - Parameters:
    ///   - shape: The extent of each axis.
    ///   - values: Row-major values; the count must equal the product of `shape`.
    /// - Throws: ``TensorError/shapeMismatch(_:)`` if the count differs.
    public init(shape: [Int], converting values: [Double]) throws {
        guard shape.reduce(1, *) == values.count else {
            throw TensorError.shapeMismatch("shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        }
        self.init(shape: shape, scalars: values.map { Float($0) })
    }

    /// A `[rows.count, columns]` matrix from rows of `Double`s.
    /// - Throws: ``TensorError/shapeMismatch(_:)`` if the rows differ in length.
    public init(convertingRows rows: [[Double]]) throws {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            throw TensorError.shapeMismatch("rows differ in length (\(Set(rows.map(\.count)).sorted()))")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0.map { Float($0) } })
    }

    /// The rows of a batch as arrays of `Double` (for plotting and printing).
    public func rowArrays() -> [[Double]] {
        (0..<rows).map { r in row(r).map { Double($0) } }
    }

    /// Column `j` of a matrix as `Double`s (one parameter's samples, for histograms).
    public func column(_ j: Int) -> [Double] {
        let c = columns
        precondition(j >= 0 && j < c, "column(_:): index \(j) out of range 0..<\(c)")
        return (0..<rows).map { Double(scalars[$0 * c + j]) }
    }
}
