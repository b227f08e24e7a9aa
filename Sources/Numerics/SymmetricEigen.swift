/// Eigenvalues and eigenvectors of a small dense symmetric matrix, in Double.
///
/// With OpenBLAS as the GEMM backend, LAPACK's divide-and-conquer `dsyevd` inside it: blocked,
/// so its O(l³) runs on BLAS-3 kernels. `RandomizedSVD` decomposes about eleven l × l Gram
/// matrices per fit (l = rank + oversampling), and at the cold-item map's 1,024 directions the
/// built-in reduction took a third of a CiteULike run's CPU. Otherwise (the built-in backend,
/// or no LAPACK in the library) Householder reduction to tridiagonal form, then the implicit QL
/// method with Wilkinson-style shifts (`tred2` and `tql2` of EISPACK, as in JAMA), serial and
/// fixed. Either way the same input gives the same bits on every run with the same backend,
/// as GEMM's products do; the two backends agree to round-off.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Eigenvectors as rows: `vectors[i * n ..< (i + 1) * n]` belongs to `values[i]`.
    public let vectors: [Double]
    public let n: Int

    /// The LAPACK used by default: the GEMM backend's, when it is OpenBLAS and carries one.
    public static var lapack: OpenBLAS? {
        guard let library = GEMM.backend as? OpenBLAS, library.hasSymmetricEigen else { return nil }
        return library
    }

    /// Decomposes the symmetric `n × n` row-major `matrix` (only its lower triangle is read),
    /// with `lapack` when given.
    public init(symmetric matrix: [Double], n: Int, lapack: OpenBLAS? = SymmetricEigen.lapack) {
        precondition(matrix.count == n * n, "SymmetricEigen: expected \(n * n) values, got \(matrix.count)")
        self.n = n
        if n == 0 { values = []; vectors = []; return }
        if let lapack {
            // The row-major lower triangle is the column-major upper one dsyevd reads; its
            // column-major eigenvectors are our rows. Ascending there, largest first here.
            var a = matrix
            if let ascending = lapack.symmetricEigen(&a, n: n) {
                values = ascending.reversed()
                var sorted = [Double](repeating: 0, count: n * n)
                for r in 0..<n {
                    let i = n - 1 - r
                    for k in 0..<n { sorted[r * n + k] = a[i * n + k] }
                }
                vectors = sorted
                return
            }
        }
        var v = matrix   // V[k][j] = v[k * n + j]
        for i in 0..<n { for j in 0..<i { v[j * n + i] = v[i * n + j] } }
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        SymmetricEigen.tridiagonalize(&v, &d, &e, n)
        // tql2 rotates pairs of columns of V; on the transpose they are contiguous rows.
        var w = [Double](repeating: 0, count: n * n)
        for k in 0..<n { for j in 0..<n { w[j * n + k] = v[k * n + j] } }
        SymmetricEigen.diagonalize(&w, &d, &e, n)
        // Largest first; ties keep the QL order (a stable sort of the indices).
        let order = (0..<n).sorted { d[$0] != d[$1] ? d[$0] > d[$1] : $0 < $1 }
        values = order.map { d[$0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (r, i) in order.enumerated() {
            for k in 0..<n { sorted[r * n + k] = w[i * n + k] }
        }
        vectors = sorted
    }

    /// Eigenvector `i` (of `values[i]`).
    public func vector(_ i: Int) -> ArraySlice<Double> { vectors[i * n ..< (i + 1) * n] }

    /// Householder reduction of V (symmetric) to tridiagonal form: d the diagonal, e the
    /// sub-diagonal (e[0] = 0), V the accumulated orthogonal transformation.
    private static func tridiagonalize(_ v: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int) {
        for j in 0..<n { d[j] = v[(n - 1) * n + j] }
        var i = n - 1
        while i > 0 {
            var scale = 0.0, h = 0.0
            for k in 0..<i { scale += abs(d[k]) }
            if scale == 0 {
                e[i] = d[i - 1]
                for j in 0..<i {
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                    v[j * n + i] = 0
                }
            } else {
                for k in 0..<i {
                    d[k] /= scale
                    h += d[k] * d[k]
                }
                var f = d[i - 1]
                var g = h.squareRoot()
                if f > 0 { g = -g }
                e[i] = scale * g
                h -= f * g
                d[i - 1] = f - g
                for j in 0..<i { e[j] = 0 }
                for j in 0..<i {
                    f = d[j]
                    v[j * n + i] = f
                    g = e[j] + v[j * n + j] * f
                    var k = j + 1
                    while k <= i - 1 {
                        g += v[k * n + j] * d[k]
                        e[k] += v[k * n + j] * f
                        k += 1
                    }
                    e[j] = g
                }
                f = 0
                for j in 0..<i {
                    e[j] /= h
                    f += e[j] * d[j]
                }
                let hh = f / (h + h)
                for j in 0..<i { e[j] -= hh * d[j] }
                for j in 0..<i {
                    f = d[j]
                    g = e[j]
                    for k in j...(i - 1) { v[k * n + j] -= f * e[k] + g * d[k] }
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                }
            }
            d[i] = h
            i -= 1
        }
        // Accumulate the transformations.
        for i in 0..<(n - 1) {
            v[(n - 1) * n + i] = v[i * n + i]
            v[i * n + i] = 1
            let h = d[i + 1]
            if h != 0 {
                for k in 0...i { d[k] = v[k * n + i + 1] / h }
                for j in 0...i {
                    var g = 0.0
                    for k in 0...i { g += v[k * n + i + 1] * v[k * n + j] }
                    for k in 0...i { v[k * n + j] -= g * d[k] }
                }
            }
            for k in 0...i { v[k * n + i + 1] = 0 }
        }
        for j in 0..<n {
            d[j] = v[(n - 1) * n + j]
            v[(n - 1) * n + j] = 0
        }
        v[(n - 1) * n + n - 1] = 1
        e[0] = 0
    }

    /// Implicit QL on the tridiagonal (d, e); `w` holds Vᵀ (eigenvector i becomes row i).
    private static func diagonalize(_ w: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int) {
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        var f = 0.0, tst1 = 0.0
        let eps = 0x1p-52
        for l in 0..<n {
            tst1 = max(tst1, abs(d[l]) + abs(e[l]))
            // The first negligible sub-diagonal element at or after l (e[n-1] = 0 ends the search;
            // a NaN ends it too, instead of running past the end).
            var m = l
            while m < n - 1 && !(abs(e[m]) <= eps * tst1) { m += 1 }
            if m > l {
                var iterations = 0
                repeat {
                    iterations += 1
                    var g = d[l]
                    var p = (d[l + 1] - g) / (2 * e[l])
                    var r = hypot(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g - d[l]
                    var i = l + 2
                    while i < n { d[i] -= h; i += 1 }
                    f += h
                    p = d[m]
                    var c = 1.0, c2 = 1.0, c3 = 1.0
                    let el1 = e[l + 1]
                    var s = 0.0, s2 = 0.0
                    i = m - 1
                    while i >= l {
                        c3 = c2
                        c2 = c
                        s2 = s
                        g = c * e[i]
                        h = c * p
                        r = hypot(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        w.withUnsafeMutableBufferPointer { b in
                            let lo = b.baseAddress! + i * n, hi = lo + n
                            for k in 0..<n {
                                let t = hi[k]
                                hi[k] = s * lo[k] + c * t
                                lo[k] = c * lo[k] - s * t
                            }
                        }
                        i -= 1
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                } while abs(e[l]) > eps * tst1 && iterations < 100
            }
            d[l] += f
            e[l] = 0
        }
    }
}

private func hypot(_ a: Double, _ b: Double) -> Double {
    let x = abs(a), y = abs(b)
    let big = max(x, y), small = min(x, y)
    if big == 0 { return 0 }
    let q = small / big
    return big * (1 + q * q).squareRoot()
}
