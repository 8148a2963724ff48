internal import COpenBLAS

/// LAPACK routines from OpenBLAS (which ships LAPACK), wrapped for row-major Swift arrays.
///
/// Only what the library needs: the singular value decomposition that initialises a
/// reduced-basis embedding (Dax et al., PRL 127, 241103, 2021). LAPACK's `dgesdd` is used rather
/// than a hand-written or randomized SVD: it is exact, well tested and already linked.
public enum LAPACK {
    /// The leading right singular vectors of a matrix A `[rows, columns]` (row-major) and its
    /// singular values, from LAPACK's `dgesdd` (divide and conquer).
    ///
    /// Row i of the result is the unit vector vᵢ with A vᵢ = σᵢ uᵢ, σ₀ ≥ σ₁ ≥ …: the top `count`
    /// vectors span the best rank-`count` approximation of A's rows (Eckart–Young).
    /// - Parameters:
    ///   - a: A, `rows * columns` values, row-major.
    ///   - rows: A's rows (e.g. signals), ≥ 1.
    ///   - columns: A's columns (e.g. values per signal), ≥ 1.
    ///   - count: How many vectors to return; at most `min(rows, columns)` are.
    /// - Returns: `vectors`, `[k, columns]` row-major with k = min(count, rows, columns), and the
    ///   k largest singular values, descending.
    /// - Throws: ``TensorError/invalidArgument(_:)`` for a wrong size, a size beyond LAPACK's
    ///   32-bit integers, or non-finite values; ``TensorError/invalidArgument(_:)`` as well if the
    ///   iteration does not converge.
    /// - Complexity: O(rows · columns · min(rows, columns)).
    public static func rightSingularVectors(of a: [Double], rows: Int, columns: Int, count: Int) throws
        -> (vectors: [Double], singularValues: [Double])
    {
        guard rows >= 1, columns >= 1, count >= 1, a.count == rows * columns else {
            throw TensorError.invalidArgument(
                "SVD of a [\(rows), \(columns)] matrix (\(a.count) values) for \(count) vectors")
        }
        guard rows < Int(Int32.max) / 8, columns < Int(Int32.max) / 8 else {
            throw TensorError.invalidArgument("SVD of a [\(rows), \(columns)] matrix: too large for LAPACK's 32-bit sizes")
        }
        guard a.allSatisfy(\.isFinite) else { throw TensorError.invalidArgument("SVD of a matrix with NaN or infinite values") }
        // Row-major A [rows, columns] is column-major Aᵀ [columns, rows]: A's right singular
        // vectors are Aᵀ's left ones, the columns of U.
        var m = Int32(columns), n = Int32(rows)
        let k = min(columns, rows)
        var lda = m, ldu = m, ldvt = Int32(k)
        var work = a
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: columns * k)
        var vt = [Double](repeating: 0, count: k * rows)
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var info: Int32 = 0
        var jobz = CChar(UInt8(ascii: "S"))
        var query = [Double](repeating: 0, count: 1)
        var lwork: Int32 = -1
        dgesdd_(&jobz, &m, &n, &work, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info, 1)
        guard info == 0, query[0].isFinite, query[0] >= 1, query[0] < Double(Int32.max) else {
            throw TensorError.invalidArgument("LAPACK dgesdd workspace query failed (info \(info))")
        }
        lwork = Int32(query[0])
        var workspace = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &m, &n, &work, &lda, &s, &u, &ldu, &vt, &ldvt, &workspace, &lwork, &iwork, &info, 1)
        guard info == 0 else {
            throw TensorError.invalidArgument("LAPACK dgesdd did not converge (info \(info))")
        }
        let returned = min(count, k)
        // Column i of U (column-major, ldu = columns) is contiguous: row i of the result.
        return (Array(u[0 ..< returned * columns]), Array(s[0 ..< returned]))
    }
}
