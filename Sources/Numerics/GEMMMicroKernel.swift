/// The register-blocked heart of the built-in GEMM: a 6×16 tile of C held in twelve
/// AVX accumulators while k advances over packed panels.
///
/// Why 6×16: x86-64-v3 (AVX2 + FMA) has 16 vector registers. 6 rows × 2 vectors = 12
/// accumulators, plus 2 registers for the B row and 1 for the broadcast A value, is 15, so
/// nothing spills. Each k step issues 12 FMAs against 8 loads (2 B vectors, 6 broadcasts),
/// enough to keep both FMA pipes busy. With FMA code generation (`-march=x86-64-v3`, set in
/// Package.swift) `addingProduct` becomes one `vfmadd231ps`; without it, a libm call per lane.
@usableFromInline
enum MicroKernel {
    @usableFromInline static let mr = 6
    @usableFromInline static let nr = 16

    /// Computes acc = Σ_p a[p*6 + r] · b[p*16 + c] over `k` steps and writes
    /// C[r, c] = alpha · acc + beta · C[r, c] (C is not read when beta == 0).
    /// `a` and `b` are packed micro-panels (see `GEMMPacking`).
    ///
    /// Each accumulator row is one `SIMD16<Float>` (two AVX registers): written with pairs of
    /// `SIMD8` values, LLVM's scheduler issued all six broadcasts before the FMAs and spilled
    /// (≈ 47 GFLOP/s); a SIMD16 keeps each broadcast's two FMAs together (≈ 115 in L1).
    @inlinable @inline(__always)
    static func full(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        typealias W = SIMD16<Float>
        var c0 = W(), c1 = W(), c2 = W(), c3 = W(), c4 = W(), c5 = W()
        var ap = a
        var bp = UnsafeRawPointer(b)
        var p = 0
        while p < k {
            let bv = bp.loadUnaligned(as: W.self)
            c0 = c0.addingProduct(W(repeating: ap[0]), bv)
            c1 = c1.addingProduct(W(repeating: ap[1]), bv)
            c2 = c2.addingProduct(W(repeating: ap[2]), bv)
            c3 = c3.addingProduct(W(repeating: ap[3]), bv)
            c4 = c4.addingProduct(W(repeating: ap[4]), bv)
            c5 = c5.addingProduct(W(repeating: ap[5]), bv)
            ap += 6
            bp += 64
            p += 1
        }
        store(c0, c + 0 * ldc, alpha: alpha, beta: beta)
        store(c1, c + 1 * ldc, alpha: alpha, beta: beta)
        store(c2, c + 2 * ldc, alpha: alpha, beta: beta)
        store(c3, c + 3 * ldc, alpha: alpha, beta: beta)
        store(c4, c + 4 * ldc, alpha: alpha, beta: beta)
        store(c5, c + 5 * ldc, alpha: alpha, beta: beta)
    }

    @inlinable @inline(__always)
    static func store(_ v: SIMD16<Float>, _ row: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
        let raw = UnsafeMutableRawPointer(row)
        var r = alpha == 1 ? v : v * alpha
        if beta != 0 {
            let old = UnsafeRawPointer(raw).loadUnaligned(as: SIMD16<Float>.self)
            r = beta == 1 ? r + old : r.addingProduct(old, beta)
        }
        raw.storeBytes(of: r, as: SIMD16<Float>.self)
    }

    /// An edge tile (fewer than 6 rows or 16 columns of C remain): the full tile is computed on
    /// the zero-padded panels into `scratch` (96 floats), then only the valid part is written.
    @inlinable @inline(__always)
    static func edge(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                     c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int,
                     alpha: Float, beta: Float, scratch: UnsafeMutablePointer<Float>) {
        full(k: k, a: a, b: b, c: scratch, ldc: nr, alpha: alpha, beta: 0)
        for r in 0..<rows {
            let dst = c + r * ldc
            let src = scratch + r * nr
            if beta == 0 {
                for j in 0..<cols { dst[j] = src[j] }
            } else {
                for j in 0..<cols { dst[j] = src[j] + beta * dst[j] }
            }
        }
    }
}
