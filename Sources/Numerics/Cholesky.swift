/// A k×k symmetric positive definite solve, A·x = b, by Cholesky factorisation: the direct
/// solver of the ALS steps (one small system per user or item, k = the factor rank).
///
/// Float throughout, in place, no allocation: the callers solve thousands of these per sweep on
/// preallocated per-thread scratch.
public enum Cholesky {
    /// Factors the symmetric positive definite k×k matrix `a` (row-major, upper triangle read)
    /// in place into U with A = Uᵀ·U (upper triangle written; the lower is left as it was).
    ///
    /// Right-looking by rows: row j of U is row j of the updated A scaled by 1/√A[j][j], then
    /// every later row i loses U[j][i]·U[j][i…]. Rows are finished four at a time and the rest
    /// of the matrix is updated by all four in one pass (`Kernels.axpy4`), so the k³/6 multiply-adds
    /// are independent contiguous SIMD updates at about one load of A per four of them (a
    /// dot-product formulation chains every element on the previous one's result). A pivot that
    /// rounding (or a zero regularisation on an empty direction) makes non-positive is clamped to
    /// a tiny positive value: it acts as a little extra regularisation on that one direction
    /// instead of a NaN in the factors.
    public static func factor(_ a: UnsafeMutablePointer<Float>, _ k: Int) {
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
                for i in (j + 1)..<(j0 + panel) { Kernels.axpy(-rj[i], rj + i, a + i * k + i, count: k - i) }
            }
            // Update every row below the panel by the panel's rows at once.
            let r0 = a + j0 * k
            if panel == 4 {
                let r1 = r0 + k, r2 = r1 + k, r3 = r2 + k
                for i in (j0 + 4)..<max(j0 + 4, k) {
                    Kernels.axpy4(-r0[i], r0 + i, -r1[i], r1 + i, -r2[i], r2 + i, -r3[i], r3 + i, a + i * k + i, count: k - i)
                }
            } else {
                for t in 0..<panel {
                    let rt = r0 + t * k
                    for i in (j0 + panel)..<max(j0 + panel, k) { Kernels.axpy(-rt[i], rt + i, a + i * k + i, count: k - i) }
                }
            }
            j0 += panel
        }
    }

    /// Solves Uᵀ·U·x = b in place (`x` holds b on entry) with the factor from `factor`.
    public static func solve(_ u: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ k: Int) {
        // Forward: Uᵀ·y = b. Once y[j] is known, it leaves the later equations through row j of
        // U (a contiguous axpy).
        for j in 0..<k {
            let rj = u + j * k
            x[j] /= rj[j]
            if j + 1 < k { Kernels.axpy(-x[j], rj + j + 1, x + j + 1, count: k - j - 1) }
        }
        // Backward: U·x = y, row by row (contiguous dot products).
        var i = k - 1
        while i >= 0 {
            let ri = u + i * k
            x[i] = (x[i] - Kernels.dot(ri + i + 1, x + i + 1, count: k - i - 1)) / ri[i]
            i -= 1
        }
    }
}
