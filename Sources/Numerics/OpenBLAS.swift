import Foundation

/// The system OpenBLAS, found at run time with `dlopen` so the project builds and runs where
/// it is absent (only the runtime package `libopenblas0` is needed, no headers).
public struct OpenBLAS: GEMMBackend, @unchecked Sendable {
    public let name = "openblas"
    typealias SgemmFn = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                         UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
                                         Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreadsFn = @convention(c) (Int32) -> Void
    let sgemmFn: SgemmFn
    let setThreadsFn: SetThreadsFn?

    private static let loaded: OpenBLAS? = {
        let names = ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib",
                     "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
                     "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0"]
        for name in names {
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL), let sym = dlsym(h, "cblas_sgemm") else { continue }
            let set = dlsym(h, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreadsFn.self) }
            return OpenBLAS(sgemmFn: unsafeBitCast(sym, to: SgemmFn.self), setThreadsFn: set)
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

extension OpenBLAS: SingleThreadedGEMMKernel {
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        call(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
             beta: beta, c: c, ldc: ldc)
    }
}
