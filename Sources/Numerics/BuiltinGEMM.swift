/// The built-in GEMM (placeholder reference loop; the fast packed SIMD kernel replaces it).
public struct BuiltinGEMM: GEMMBackend {
    public let name = "builtin"
    public init() {}

    public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        Parallel.forRanges(m, minChunk: 8, threads: threads) { rows in
            for i in rows {
                let crow = c + i * ldc
                if beta == 0 { for j in 0..<n { crow[j] = 0 } } else if beta != 1 { for j in 0..<n { crow[j] *= beta } }
                for p in 0..<k {
                    let aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p])
                    if aip == 0 { continue }
                    if transB { for j in 0..<n { crow[j] += aip * b[j * ldb + p] } } else {
                        let brow = b + p * ldb
                        for j in 0..<n { crow[j] += aip * brow[j] }
                    }
                }
            }
        }
    }
}
