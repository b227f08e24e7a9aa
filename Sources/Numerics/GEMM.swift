import Foundation

/// One implementation of single-precision general matrix multiply on row-major data:
/// C = alpha · op(A) · op(B) + beta · C, op(A) is m×k, op(B) is k×n, C is m×n.
/// `lda`, `ldb`, `ldc` are row strides of the matrices as stored (before transposition).
public protocol GEMMBackend: Sendable {
    /// "openblas" or "builtin": the names `DROPOUTNET_BLAS` and the bench JSON use.
    var name: String { get }
    func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int)
}

/// The process-wide GEMM entry point and backend choice.
public enum GEMM {
    /// Chosen once from `DROPOUTNET_BLAS=auto|openblas|builtin` (auto prefers OpenBLAS).
    nonisolated(unsafe) public static var backend: GEMMBackend = defaultBackend()

    public static func defaultBackend() -> GEMMBackend {
        let choice = ProcessInfo.processInfo.environment["DROPOUTNET_BLAS"]?.lowercased() ?? "auto"
        switch choice {
        case "builtin": return BuiltinGEMM()
        case "openblas": return OpenBLAS.load() ?? BuiltinGEMM()
        default: return OpenBLAS.load() ?? BuiltinGEMM()
        }
    }

    /// Every backend available on this machine (for benches and cross-checking tests).
    public static func availableBackends() -> [GEMMBackend] {
        var list: [GEMMBackend] = []
        if let blas = OpenBLAS.load() { list.append(blas) }
        list.append(BuiltinGEMM())
        return list
    }

    @inlinable
    public static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                             threads: Int = Parallel.threadCount) {
        if m == 0 || n == 0 { return }
        backend.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads)
    }
}

extension Matrix {
    /// c = alpha · op(a) · op(b) + beta · c, shapes checked.
    public static func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                            into c: Matrix, alpha: Float = 1, beta: Float = 0,
                            backend: GEMMBackend? = nil, threads: Int = Parallel.threadCount) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        precondition(c.rows == m && c.cols == n, "gemm: output is \(c.rows)x\(c.cols), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        (backend ?? GEMM.backend).sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                        a: a.data, lda: a.cols, b: b.data, ldb: b.cols,
                                        beta: beta, c: c.data, ldc: c.cols, threads: threads)
    }

    /// op(a) · op(b) as a new matrix (tests and one-off work; the hot loop uses `gemm(into:)`).
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        let c = Matrix(rows: transposeA ? a.cols : a.rows, cols: transposeB ? b.rows : b.cols)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: c)
        return c
    }
}
