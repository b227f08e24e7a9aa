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

    /// Factors the symmetric positive definite k×k matrix `a` (row-major, lower triangle read)
    /// in place into L with A = L·Lᵀ (lower triangle written; the upper is left as it was).
    ///
    /// Row-oriented Crout: L[i][j] = (A[i][j] − L[i][0..<j]·L[j][0..<j]) / L[j][j], so every inner
    /// loop is a contiguous dot product. A pivot that rounding (or a zero regularisation on an
    /// empty direction) makes non-positive is clamped to a tiny positive value: it acts as a
    /// little extra regularisation on that one direction instead of a NaN in the factors.
    static func choleskyFactor(_ a: UnsafeMutablePointer<Float>, _ k: Int) {
        var maxDiagonal: Float = 0
        for i in 0..<k { maxDiagonal = max(maxDiagonal, a[i * k + i]) }
        let floor = max(maxDiagonal, 1) * 1e-7
        for i in 0..<k {
            let ri = a + i * k
            for j in 0..<i {
                let rj = a + j * k
                ri[j] = (ri[j] - dot(ri, rj, j)) / rj[j]
            }
            let d = ri[i] - dot(ri, ri, i)
            ri[i] = d > floor ? d.squareRoot() : floor.squareRoot()
        }
    }

    /// Solves L·Lᵀ·x = b in place (`x` holds b on entry) with the factor from `choleskyFactor`.
    static func choleskySolve(_ l: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ k: Int) {
        // Forward: L·y = b, row by row (contiguous dot products).
        for i in 0..<k {
            let ri = l + i * k
            x[i] = (x[i] - dot(ri, x, i)) / ri[i]
        }
        // Backward: Lᵀ·x = y; column i of Lᵀ is row i of L, so subtract x[i]·L[i][0..<i] as we go.
        var i = k - 1
        while i >= 0 {
            let ri = l + i * k
            x[i] /= ri[i]
            let xi = x[i]
            axpy(-xi, ri, x, i)
            i -= 1
        }
    }
}
