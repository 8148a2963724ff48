internal import COpenBLAS

/// Thin wrappers over OpenBLAS single-precision routines (row-major).
///
/// Everything numerical that is a matrix product goes through here, so that the rest of the
/// library does not import the C module.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses (1 is fastest for the small matrices of
    /// conditional flows on a 2-core machine; see benchmarks/flows).
    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// The number of threads OpenBLAS uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major.
    /// - Parameters:
    ///   - transA: Whether to use Aᵀ; `A` is stored `[m, k]` (or `[k, m]` if transposed).
    ///   - transB: Whether to use Bᵀ; `B` is stored `[k, n]` (or `[n, k]` if transposed).
    ///   - m: Rows of op(A) and C.
    ///   - n: Columns of op(B) and C.
    ///   - k: Inner dimension.
    @inlinable
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0, c: UnsafeMutablePointer<Float>
    ) {
        _gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, with explicit leading dimensions
    /// (for operating on column blocks of larger matrices).
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @usableFromInline
    internal static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>
    ) {
        if m == 0 || n == 0 { return }
        let lda = transA ? m : k
        let ldb = transB ? k : n
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)),
                    beta, c, Int32(max(n, 1)))
    }
}
