import TensorCore

/// Checks shared by the entry points that take user data (observations, parameter vectors,
/// sample counts), so that each throws the same clear, typed error instead of trapping later.
///
/// Internal: every public entry point names its own checks in its `- Throws:` section.
enum InputValidation {
    /// The position of the first NaN or ±∞ in `values`, or `nil` when all are finite.
    static func firstNonFinite(in values: [Double]) -> Int? {
        values.firstIndex { !$0.isFinite }
    }

    /// The position of the first value that is NaN, ±∞ or too large for `Float` (the flows
    /// compute in Float32, where it would become ∞), or `nil`.
    static func firstUnrepresentable(in values: [Double]) -> Int? {
        values.firstIndex { !$0.isFinite || abs($0) > Double(Float.greatestFiniteMagnitude) }
    }

    /// The first NaN or ±∞ of a matrix with its row and column, or `nil`.
    static func firstNonFinite(in matrix: SampleMatrix) -> (row: Int, column: Int, value: Double)? {
        guard matrix.columns > 0, let k = firstNonFinite(in: matrix.storage) else { return nil }
        return (k / matrix.columns, k % matrix.columns, matrix.storage[k])
    }

    /// Throws unless `observation` has `length` values, all finite.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` or ``EstimatorError/nonFiniteValue(_:)``
    ///   naming the index of the first bad value.
    static func checkObservation(_ observation: [Double], length: Int) throws {
        guard observation.count == length else {
            throw EstimatorError.shapeMismatch("the observation must have \(length) values, got \(observation.count)")
        }
        if let i = firstUnrepresentable(in: observation) {
            throw EstimatorError.nonFiniteValue(
                "observation[\(i)] is \(observation[i]); every value of the observation must be finite"
                    + (observation[i].isFinite ? " and within ±3.4e38 (Float32)" : ""))
        }
    }

    /// Throws unless `theta` has `columns` columns and only finite values.
    /// - Parameters:
    ///   - theta: Parameter vectors, `[n, columns]`.
    ///   - columns: The number of parameters.
    ///   - names: The parameter names, for the message.
    /// - Throws: ``EstimatorError/shapeMismatch(_:)`` or ``EstimatorError/nonFiniteValue(_:)``
    ///   naming the row and parameter of the first bad value.
    static func checkParameters(_ theta: SampleMatrix, columns: Int, names: [String]) throws {
        guard theta.columns == columns else {
            throw EstimatorError.shapeMismatch("θ must have \(columns) columns (\(names.joined(separator: ", "))), got \(theta.columns)")
        }
        if let (row, column, value) = firstNonFinite(in: theta) {
            let name = column < names.count ? " (\(names[column]))" : ""
            throw EstimatorError.nonFiniteValue("θ[\(row), \(column)]\(name) is \(value); every parameter value must be finite")
        }
    }

    /// Throws unless `count` is ≥ 0 and `count` rows of `columns` values, at `bytesPerRowValue`
    /// bytes per value (the sum over the buffers the request allocates), fit in memory.
    /// - Parameters:
    ///   - count: The number of rows asked for.
    ///   - columns: Values per row.
    ///   - bytesPerRowValue: Bytes allocated per value (e.g. 16 for a `Double` result plus two
    ///     `Float` work buffers).
    ///   - purpose: The request, for the message, e.g. `"sample(count: 1099511627776)"`.
    ///   - budget: The memory budget (default: what the system has now).
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for a negative count;
    ///   `InsufficientMemoryError` with the figure in bytes, before anything is allocated.
    static func checkCount(_ count: Int, columns: Int, bytesPerValue: Int, purpose: @autoclosure () -> String,
                           budget: MemoryBudget? = nil) throws {
        guard count >= 0 else { throw EstimatorError.invalidArgument("count must be ≥ 0, got \(count)") }
        let bytes = MemoryBudget.bytes(count, max(columns, 1), bytesPerValue)
        // Small requests skip reading /proc (a few µs, but sampling loops call this often).
        guard bytes > 64 << 20 else { return }
        try (budget ?? MemoryBudget.current()).check(bytes: bytes, for: purpose())
    }
}
