/// The small dense kernels of the ALS inner loops: dot, axpy and a k×k Cholesky solve.
///
/// Each user (item) solve touches its n_u observed rows of the other side's factors once or
/// twice per conjugate-gradient step, so these loops, not the GEMMs, set the speed on sparse
/// rows. They are written with 8-lane SIMD and unaligned loads (factor rows are only 4-byte
/// aligned when the rank is not a multiple of 16).
enum WMFKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// Σ a[i]·b[i] over n values.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= n {
            s0.addProduct(load(a + i), load(b + i))
            s1.addProduct(load(a + i + 8), load(b + i + 8))
            s2.addProduct(load(a + i + 16), load(b + i + 16))
            s3.addProduct(load(a + i + 24), load(b + i + 24))
            i += 32
        }
        while i + 8 <= n {
            s0.addProduct(load(a + i), load(b + i))
            i += 8
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// y += alpha·x over n values.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            var v = load(y + i)
            v.addProduct(a, load(x + i))
            store(v, y + i)
            i += 8
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }

    /// y = x + beta·y over n values (the conjugate-gradient direction update).
    @inline(__always)
    static func xpby(_ x: UnsafePointer<Float>, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let b = SIMD8<Float>(repeating: beta)
        var i = 0
        while i + 8 <= n {
            var v = load(x + i)
            v.addProduct(b, load(y + i))
            store(v, y + i)
            i += 8
        }
        while i < n { y[i] = x[i] + beta * y[i]; i += 1 }
    }

    /// y += c0·x0 + c1·x1 + c2·x2 + c3·x3 over n values: four axpys for one pass over y.
    @inline(__always)
    static func axpy4(_ c0: Float, _ x0: UnsafePointer<Float>, _ c1: Float, _ x1: UnsafePointer<Float>,
                      _ c2: Float, _ x2: UnsafePointer<Float>, _ c3: Float, _ x3: UnsafePointer<Float>,
                      _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a0 = SIMD8<Float>(repeating: c0), a1 = SIMD8<Float>(repeating: c1)
        let a2 = SIMD8<Float>(repeating: c2), a3 = SIMD8<Float>(repeating: c3)
        var i = 0
        while i + 8 <= n {
            var v = load(y + i)
            v.addProduct(a0, load(x0 + i))
            v.addProduct(a1, load(x1 + i))
            v.addProduct(a2, load(x2 + i))
            v.addProduct(a3, load(x3 + i))
            store(v, y + i)
            i += 8
        }
        while i < n {
            y[i] += c0 * x0[i] + c1 * x1[i] + c2 * x2[i] + c3 * x3[i]
            i += 1
        }
    }

    /// Factors the symmetric positive definite k×k matrix `a` (row-major, upper triangle read)
    /// in place into U with A = Uᵀ·U (upper triangle written; the lower is left as it was).
    ///
    /// Right-looking by rows: row j of U is row j of the updated A scaled by 1/√A[j][j], then
    /// every later row i loses U[j][i]·U[j][i…]. Rows are finished four at a time and the rest
    /// of the matrix is updated by all four in one pass (`axpy4`), so the k³/6 multiply-adds
    /// are independent contiguous SIMD updates at about one load of A per four of them (a
    /// dot-product formulation chains every element on the previous one's result). A pivot that
    /// rounding (or a zero regularisation on an empty direction) makes non-positive is clamped to
    /// a tiny positive value: it acts as a little extra regularisation on that one direction
    /// instead of a NaN in the factors.
    static func choleskyFactor(_ a: UnsafeMutablePointer<Float>, _ k: Int) {
        var maxDiagonal: Float = 0
        for i in 0..<k { maxDiagonal = max(maxDiagonal, a[i * k + i]) }
        let floor = max(maxDiagonal, 1) * 1e-7
        var j0 = 0
        while j0 < k {
            let panel = min(4, k - j0)
            // Finish the panel's rows, updating only the panel's later rows.
            for j in j0..<(j0 + panel) {
                let rj = a + j * k
                let d = rj[j] > floor ? rj[j].squareRoot() : floor.squareRoot()
                rj[j] = d
                let inverse = 1 / d
                for c in (j + 1)..<max(j + 1, k) { rj[c] *= inverse }
                for i in (j + 1)..<(j0 + panel) { axpy(-rj[i], rj + i, a + i * k + i, k - i) }
            }
            // Update every row below the panel by the panel's rows at once.
            let r0 = a + j0 * k
            if panel == 4 {
                let r1 = r0 + k, r2 = r1 + k, r3 = r2 + k
                for i in (j0 + 4)..<max(j0 + 4, k) {
                    axpy4(-r0[i], r0 + i, -r1[i], r1 + i, -r2[i], r2 + i, -r3[i], r3 + i, a + i * k + i, k - i)
                }
            } else {
                for t in 0..<panel {
                    let rt = r0 + t * k
                    for i in (j0 + panel)..<max(j0 + panel, k) { axpy(-rt[i], rt + i, a + i * k + i, k - i) }
                }
            }
            j0 += panel
        }
    }

    /// Solves Uᵀ·U·x = b in place (`x` holds b on entry) with the factor from `choleskyFactor`.
    static func choleskySolve(_ u: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ k: Int) {
        // Forward: Uᵀ·y = b. Once y[j] is known, it leaves the later equations through row j of
        // U (a contiguous axpy).
        for j in 0..<k {
            let rj = u + j * k
            x[j] /= rj[j]
            if j + 1 < k { axpy(-x[j], rj + j + 1, x + j + 1, k - j - 1) }
        }
        // Backward: U·x = y, row by row (contiguous dot products).
        var i = k - 1
        while i >= 0 {
            let ri = u + i * k
            x[i] = (x[i] - dot(ri + i + 1, x + i + 1, k - i - 1)) / ri[i]
            i -= 1
        }
    }
}
