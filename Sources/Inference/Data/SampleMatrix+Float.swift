extension SampleMatrix {
    /// Creates a matrix from `Float` values in row-major order (e.g. a Float32 tensor's storage).
    /// - Parameters:
    ///   - rows: The number of rows.
    ///   - columns: The number of columns.
    ///   - floatStorage: `rows * columns` values, row-major.
    /// - Throws: ``DataFormatError/shapeMismatch(expected:found:)`` if the count is wrong.
    public init(rows: Int, columns: Int, floatStorage: [Float]) throws {
        try self.init(rows: rows, columns: columns, storage: floatStorage.map(Double.init))
    }
}
