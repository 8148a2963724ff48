/// A batch of vectors stored row-major in one flat `[Double]` buffer: shape `[rows, columns]`.
///
/// The exchange format between priors, simulators, samplers and the neural estimators: one row
/// per parameter vector θ (or data vector x). A trainer converts it to its own tensor type with
/// one copy (``floatStorage`` gives `[Float]` in the same row-major order).
///
/// ```swift
/// var batch = SampleMatrix(rows: 2, columns: 3)
/// batch[1, 2] = 4
/// let second = batch.row(1)         // [0, 0, 4]
/// ```
public struct SampleMatrix: Equatable, Sendable {
    /// The number of vectors (the batch size).
    public private(set) var rows: Int
    /// The length of each vector.
    public let columns: Int
    /// The values, row-major: element `(i, j)` is `storage[i * columns + j]`; count `rows * columns`.
    public private(set) var storage: [Double]

    /// Creates a matrix filled with `value`.
    /// - Parameters:
    ///   - rows: The number of rows (≥ 0).
    ///   - columns: The number of columns (≥ 0).
    ///   - value: The initial value of every element.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "SampleMatrix: negative shape")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// Creates a matrix from flat row-major storage.
    /// - Parameters:
    ///   - rows: The number of rows.
    ///   - columns: The number of columns.
    ///   - storage: `rows * columns` values, row-major.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` if the count is wrong.
    public init(rows: Int, columns: Int, storage: [Double]) throws {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw DataFormatError.shapeMismatch(expected: "\(rows) × \(columns) = \(rows * columns) values", found: "\(storage.count) values")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Creates a matrix whose rows are the given vectors.
    /// - Parameters:
    ///   - vectors: The rows; all of the same length.
    ///   - columns: The row length, needed when `vectors` is empty (defaults to the first row's length).
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` naming the first ragged row.
    public init(stacking vectors: [[Double]], columns: Int? = nil) throws {
        let width = columns ?? vectors.first?.count ?? 0
        var flat: [Double] = []
        flat.reserveCapacity(width * vectors.count)
        for (i, v) in vectors.enumerated() {
            guard v.count == width else {
                throw DataFormatError.shapeMismatch(expected: "rows of length \(width)", found: "row \(i) of length \(v.count)")
            }
            flat.append(contentsOf: v)
        }
        self.rows = vectors.count
        self.columns = width
        self.storage = flat
    }

    /// The element in row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of row `index` (one parameter or data vector).
    public func row(_ index: Int) -> [Double] {
        Array(storage[index * columns ..< (index + 1) * columns])
    }

    /// Replaces row `index` with `values`.
    /// - Parameters:
    ///   - index: A row in `0 ..< rows`.
    ///   - values: ``columns`` values.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` for a row outside the matrix or
    ///   values of another length; the matrix is then unchanged.
    public mutating func setRow(_ index: Int, to values: [Double]) throws {
        guard index >= 0, index < rows else {
            throw DataFormatError.shapeMismatch(expected: "a row index in 0..<\(rows)", found: "row \(index)")
        }
        guard values.count == columns else {
            throw DataFormatError.shapeMismatch(expected: "a row of \(columns) values", found: "\(values.count) values")
        }
        replaceRow(index, with: values)
    }

    /// ``setRow(_:to:)`` for the library's own rows, whose length it knows (a wrong one is a bug
    /// here, not bad input).
    mutating func replaceRow(_ index: Int, with values: [Double]) {
        precondition(values.count == columns, "SampleMatrix.replaceRow: length \(values.count) ≠ \(columns)")
        storage.replaceSubrange(index * columns ..< (index + 1) * columns, with: values)
    }

    /// A copy of column `index` (e.g. one parameter across a batch of samples).
    public func column(_ index: Int) -> [Double] {
        (0 ..< rows).map { storage[$0 * columns + index] }
    }

    /// All rows as separate arrays.
    public var rowVectors: [[Double]] { (0 ..< rows).map(row) }

    /// The values converted to `Float`, row-major (what a Float32 tensor takes).
    public var floatStorage: [Float] { storage.map { Float($0) } }

    /// Appends one row.
    /// - Parameter values: ``columns`` values.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` for values of another length;
    ///   the matrix is then unchanged.
    public mutating func append(row values: [Double]) throws {
        guard values.count == columns else {
            throw DataFormatError.shapeMismatch(expected: "a row of \(columns) values", found: "\(values.count) values")
        }
        storage.append(contentsOf: values)
        rows += 1
    }

    /// The rows at the given indices, in that order.
    public func selecting(rows indices: [Int]) -> SampleMatrix {
        var result = SampleMatrix(rows: 0, columns: columns)
        result.storage.reserveCapacity(indices.count * columns)
        for i in indices { result.storage.append(contentsOf: storage[i * columns ..< (i + 1) * columns]) }
        result.rows = indices.count
        return result
    }

    /// The columns at the given indices, in that order (e.g. the pose parameters of a batch).
    public func selecting(columns indices: [Int]) -> SampleMatrix {
        var result = SampleMatrix(rows: rows, columns: indices.count)
        for i in 0 ..< rows {
            for (j, c) in indices.enumerated() { result.storage[i * indices.count + j] = storage[i * columns + c] }
        }
        return result
    }

    /// The mean of every column: `[columns]`.
    public var columnMeans: [Double] {
        var m = Array(repeating: 0.0, count: columns)
        guard rows > 0 else { return m }
        for i in 0 ..< rows { for j in 0 ..< columns { m[j] += storage[i * columns + j] } }
        return m.map { $0 / Double(rows) }
    }

    /// The sample covariance of the columns (divisor `rows − 1`): `[columns][columns]`.
    public var columnCovariance: [[Double]] {
        let m = columnMeans
        var c = Array(repeating: Array(repeating: 0.0, count: columns), count: columns)
        guard rows > 1 else { return c }
        for i in 0 ..< rows {
            for a in 0 ..< columns {
                let da = storage[i * columns + a] - m[a]
                for b in a ..< columns { c[a][b] += da * (storage[i * columns + b] - m[b]) }
            }
        }
        for a in 0 ..< columns {
            for b in a ..< columns {
                c[a][b] /= Double(rows - 1)
                c[b][a] = c[a][b]
            }
        }
        return c
    }
}
