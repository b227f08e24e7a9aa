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

    nonisolated(unsafe) private static var currentThreads: Int32 = -1
    private static let threadLock = NSLock()

    public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        if let setThreads = setThreadsFn {
            OpenBLAS.threadLock.lock()
            if OpenBLAS.currentThreads != Int32(threads) {
                setThreads(Int32(threads))
                OpenBLAS.currentThreads = Int32(threads)
            }
            OpenBLAS.threadLock.unlock()
        }
        // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112
        sgemmFn(101, transA ? 112 : 111, transB ? 112 : 111, Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
