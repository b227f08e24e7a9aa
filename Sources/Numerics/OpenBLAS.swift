import Foundation

/// The system OpenBLAS, found at run time with `dlopen` so the project builds and runs where
/// it is absent (only the runtime package `libopenblas0` is needed, no headers).
public struct OpenBLAS: GEMMBackend, @unchecked Sendable {
    public let name = "openblas"
    typealias SgemmFn = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                         UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
                                         Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreadsFn = @convention(c) (Int32) -> Void
    /// LAPACK's dsyevd (Fortran: every argument by reference, then the hidden lengths of the
    /// two character arguments).
    typealias DsyevdFn = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafePointer<Int32>,
                                         UnsafeMutablePointer<Double>, UnsafePointer<Int32>, UnsafeMutablePointer<Double>,
                                         UnsafeMutablePointer<Double>, UnsafePointer<Int32>, UnsafeMutablePointer<Int32>,
                                         UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int, Int) -> Void
    let sgemmFn: SgemmFn
    let setThreadsFn: SetThreadsFn?
    let dsyevdFn: DsyevdFn?

    private static let loaded: OpenBLAS? = {
        let names = ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib",
                     "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
                     "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0"]
        for name in names {
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL), let sym = dlsym(h, "cblas_sgemm") else { continue }
            let set = dlsym(h, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreadsFn.self) }
            let eigen = dlsym(h, "dsyevd_").map { unsafeBitCast($0, to: DsyevdFn.self) }
            return OpenBLAS(sgemmFn: unsafeBitCast(sym, to: SgemmFn.self), setThreadsFn: set, dsyevdFn: eigen)
        }
        return nil
    }()

    /// The library when it can be loaded, else nil.
    public static func load() -> OpenBLAS? { loaded }

    /// OpenBLAS's own threads are switched off once (see `sgemm`).
    private static let singleThreaded: Void = {
        if let set = loaded?.setThreadsFn { set(1) }
    }()

    /// Threads split C across the worker pool, each running single-threaded OpenBLAS on its
    /// part (as `BuiltinGEMM` does), instead of OpenBLAS's own thread pool: OpenBLAS workers
    /// busy-wait (yielding) for a long while after each call, so on a machine with as many
    /// cores as threads they would take the core the next parallel loop of the step (BatchNorm,
    /// the losses) needs, and on a shared machine they compete with every other process. The
    /// pool's workers sleep between jobs. Each element of C is computed by one call, so results
    /// depend only on how C is split: fixed for a given thread count.
    public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        OpenBLAS.singleThreaded
        // Thread only when each part gets at least ~2 MFLOP: below that a wake-up costs more.
        let parts = max(1, min(threads, m * n * k / (1 << 20)))
        if parts == 1 {
            call(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                 beta: beta, c: c, ldc: ldc)
            return
        }
        GEMMSlices(kernel: self, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            .run(parts: parts, alignment: 16)
    }

    /// One single-threaded OpenBLAS call on row-major operands.
    @inline(__always)
    func call(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112
        sgemmFn(101, transA ? 112 : 111, transB ? 112 : 111, Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension OpenBLAS {
    /// Whether the library carries LAPACK's symmetric eigensolver (OpenBLAS builds do).
    public var hasSymmetricEigen: Bool { dsyevdFn != nil }

    /// Every eigenvalue (ascending) and eigenvector of the symmetric n × n `matrix`, by LAPACK's
    /// divide-and-conquer dsyevd; the matrix is overwritten by the eigenvectors, column j (in
    /// column-major order, so `matrix[j * n ..< (j + 1) * n]`) belonging to value j. Its upper
    /// triangle in column-major order — the lower triangle of a row-major matrix — is read.
    /// Nil when the library lacks it or it fails to converge.
    public func symmetricEigen(_ matrix: inout [Double], n: Int) -> [Double]? {
        guard let dsyevd = dsyevdFn, n > 0, matrix.count == n * n else { return nil }
        OpenBLAS.singleThreaded   // one thread, as for GEMM: the same bits on every run
        var values = [Double](repeating: 0, count: n)
        // The documented minimum workspace for jobz = V: no size query needed.
        var lwork = Int32(1 + 6 * n + 2 * n * n), liwork = Int32(3 + 5 * n)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        var size = Int32(n), info: Int32 = 0
        "V".withCString { jobz in
            "U".withCString { uplo in
                dsyevd(jobz, uplo, &size, &matrix, &size, &values, &work, &lwork, &iwork, &liwork, &info, 1, 1)
            }
        }
        return info == 0 ? values : nil
    }
}

extension OpenBLAS: SingleThreadedGEMMKernel {
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        call(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
             beta: beta, c: c, ldc: ldc)
    }
}
