/// A backend's GEMM on one thread, on row-major operands (C = α·op(A)·op(B) + β·C).
protocol SingleThreadedGEMMKernel {
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)
}

/// How both GEMM backends use two or more threads: C is cut into contiguous slices of rows (or of
/// columns when C is wider than tall) and each worker runs the backend's single-threaded kernel
/// on its slice, the operands offset to match. Each element of C is computed by one slice with
/// the same k-order as unsplit, so results do not depend on the split. Runs as a
/// `ParallelRangeBody`, so threading allocates nothing.
struct GEMMSlices<Kernel: SingleThreadedGEMMKernel>: ParallelRangeBody {
    let kernel: Kernel
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    /// Slices C's rows when it is at least as tall as wide, its columns otherwise.
    var splitsRows: Bool { m >= n }

    /// Runs the product on up to `parts` threads, inner slice boundaries on multiples of `alignment`.
    func run(parts: Int, alignment: Int) {
        Parallel.forRanges(splitsRows ? m : n, minChunk: 1, alignment: alignment, threads: parts, body: self)
    }

    func run(_ slice: Range<Int>) {
        if slice.isEmpty { return }
        let lo = slice.lowerBound
        if splitsRows {
            kernel.gemm(transA: transA, transB: transB, m: slice.count, n: n, k: k, alpha: alpha,
                        a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc)
        } else {
            kernel.gemm(transA: transA, transB: transB, m: m, n: slice.count, k: k, alpha: alpha,
                        a: a, lda: lda, b: transB ? b + lo * ldb : b + lo, ldb: ldb, beta: beta, c: c + lo, ldc: ldc)
        }
    }
}
