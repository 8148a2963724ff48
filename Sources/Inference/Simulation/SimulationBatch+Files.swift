import Foundation

extension SimulationBatch {
    /// Loads simulations made elsewhere from two `.npy` files (θ and x, one row per simulation).
    /// - Parameters:
    ///   - parametersFile: θ, `[n, parameterCount]` (a 1-D array counts as one parameter).
    ///   - dataFile: x, `[n, outputLength]`.
    ///   - model: If given, the widths are checked against the model's parameter count and output length.
    /// - Throws: ``DataFormatError`` for unreadable files or mismatched row counts,
    ///   ``ModelError`` for widths that do not match `model`.
    public init(parametersFile: URL, dataFile: URL, model: SimulationModel? = nil) throws {
        let theta = try NumPyArray(contentsOf: parametersFile).matrix()
        let x = try NumPyArray(contentsOf: dataFile).matrix()
        guard theta.rows == x.rows else {
            throw DataFormatError.shapeMismatch(expected: "\(theta.rows) data rows (one per parameter row in \(parametersFile.lastPathComponent))", found: "\(x.rows) in \(dataFile.lastPathComponent)")
        }
        if let model {
            guard theta.columns == model.parameterCount else { throw ModelError.wrongParameterCount(expected: model.parameterCount, found: theta.columns) }
            guard x.columns == model.outputLength else {
                throw DataFormatError.shapeMismatch(expected: "\(model.outputLength) data columns (the simulator's output length)", found: "\(x.columns)")
            }
        }
        self.init(parameters: theta, data: x, dropped: [])
    }

    /// Writes θ and x to two `.npy` files, atomically.
    /// - Parameters:
    ///   - parametersFile: Destination of θ, `[n, parameterCount]`.
    ///   - dataFile: Destination of x, `[n, outputLength]`.
    ///   - type: `.float32` or `.float64` (default).
    /// - Throws: ``DataFormatError/io(path:reason:)``.
    public func write(parametersTo parametersFile: URL, dataTo dataFile: URL, as type: NumPyArray.ElementType = .float64) throws {
        try NumPyArray(parameters).write(to: parametersFile, as: type)
        try NumPyArray(data).write(to: dataFile, as: type)
    }
}
