/// Orthonormal bases of the column space of a tall matrix, from its Gram matrix.
///
/// For Y (m × l, m ≫ l): G = D⁻¹ᐟ²·Yᵀ·Y·D⁻¹ᐟ² (the Gram matrix scaled to a unit diagonal, so
/// columns of very different lengths do not hide each other) = W·Λ·Wᵀ, and
/// Q = Y·D⁻¹ᐟ²·W·Λ⁻¹ᐟ² has orthonormal columns spanning Y's (the SVQB of Stathopoulos & Wu,
/// 2002). The m·l² work is two GEMMs; the eigendecomposition is l × l. Directions with
/// λ ≤ `relativeTolerance`·λ_max are dependent to within float32 round-off and are dropped, so
/// the basis may have fewer columns than Y: it reveals Y's numerical rank, where a Cholesky
/// QR would fail.
public enum Orthonormal {
    /// Below this fraction of the largest eigenvalue of a float32 Gram matrix a direction is
    /// round-off (float32 sums of m products carry relative errors around 1e-7·√m).
    public static let relativeTolerance: Double = 1e-5

    /// Q with orthonormal columns spanning the columns of `y` (at most `y.cols` of them; none
    /// when `y` is zero). Call twice for orthogonality to round-off when `y` is ill-conditioned.
    public static func basis(of y: Matrix) -> Matrix {
        let l = y.cols
        let gram = Matrix(rows: l, cols: l)
        Matrix.gemm(y, transposeA: true, y, into: gram)
        var scale = [Double](repeating: 0, count: l)
        for j in 0..<l {
            let g = Double(gram[j, j])
            scale[j] = g > 0 ? 1 / g.squareRoot() : 0
        }
        var scaled = [Double](repeating: 0, count: l * l)
        for i in 0..<l { for j in 0...i { scaled[i * l + j] = Double(gram[i, j]) * scale[i] * scale[j] } }
        let eigen = SymmetricEigen(symmetric: scaled, n: l)
        let largest = eigen.values.first ?? 0
        let rank = largest > 0 ? eigen.values.prefix { $0 > largest * relativeTolerance }.count : 0
        let transform = Matrix(rows: l, cols: rank)
        for j in 0..<rank {
            let s = 1 / eigen.values[j].squareRoot()
            for i in 0..<l { transform[i, j] = Float(scale[i] * eigen.vectors[j * l + i] * s) }
        }
        let q = Matrix(rows: y.rows, cols: rank)
        Matrix.gemm(y, transform, into: q)
        return q
    }
}
