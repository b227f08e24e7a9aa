/// A truncated singular value decomposition A ≈ U_k·Σ_k·V_kᵀ by randomized range finding
/// (Halko, Martinsson & Tropp, "Finding structure with randomness", 2011: algorithms 4.4 and
/// 5.1): a Gaussian sketch Y = A·Ω with l = k + oversampling columns, `powerIterations` rounds
/// of Y ← A·(Aᵀ·Q) with the basis re-orthonormalised after every product (without it the
/// round-off of float32 would wash out all but the top directions), then the exact SVD of the
/// small l × n matrix B = Qᵀ·A.
///
/// A is seen only through its two products (`LinearOperator`), so a sparse matrix restricted to
/// some of its rows never materialises; every l-column product and Gram matrix goes through
/// `Matrix.gemm`, and the only O(l³) work is `SymmetricEigen` on l × l matrices. Orthonormal
/// bases come from the Gram matrix (`Orthonormal.basis`), which also reveals rank: when A has
/// fewer than k independent directions the missing singular values are 0 and their vectors
/// zero columns.
///
/// Deterministic for a seed: the sketch is drawn serially from `SplitMix64(seed)`, and the
/// products split their work with fixed summation order (see `Matrix.gemm`'s backends).
public struct RandomizedSVD: Sendable {
    /// σ_1 ≥ … ≥ σ_k (zeros beyond the numerical rank).
    public let singularValues: [Float]
    /// V_k, n × k: the right singular vectors as columns, each signed so that its entry of
    /// largest magnitude is positive (the sign of a singular vector is otherwise arbitrary).
    public let rightVectors: Matrix

    /// Fits the top `rank` singular triplets of `a`.
    public init(_ a: LinearOperator, rank k: Int, oversampling: Int = 10, powerIterations: Int = 3, seed: UInt64) {
        precondition(k >= 1 && oversampling >= 0 && powerIterations >= 0, "RandomizedSVD: rank ≥ 1, oversampling and power iterations ≥ 0")
        let v = Matrix(rows: a.cols, cols: k)
        singularValues = RandomizedSVD.fit(a, rank: k, oversampling: oversampling, powerIterations: powerIterations, seed: seed, into: v)
        rightVectors = v
    }

    /// Writes V_k into `v` and returns Σ_k.
    private static func fit(_ a: LinearOperator, rank k: Int, oversampling: Int, powerIterations: Int, seed: UInt64,
                            into v: Matrix) -> [Float] {
        let m = a.rows, n = a.cols
        let l = min(k + oversampling, m, n)
        var sigma = [Float](repeating: 0, count: k)
        if l == 0 { return sigma }

        // Range of A: Q (m × r, r ≤ l) orthonormal with A ≈ Q·Qᵀ·A.
        var q: Matrix
        do {
            let omega = Matrix(rows: n, cols: l)
            var rng = SplitMix64(seed: seed)
            for i in 0..<omega.count { omega.data[i] = rng.nextGaussian() }
            let y = Matrix(rows: m, cols: l)
            a.multiply(omega, into: y)
            q = Orthonormal.basis(of: y)
        }
        for _ in 0..<powerIterations where q.cols > 0 {
            let z = Matrix(rows: n, cols: q.cols)
            a.multiplyTransposed(q, into: z)
            let zq = Orthonormal.basis(of: z)
            let y = Matrix(rows: m, cols: zq.cols)
            a.multiply(zq, into: y)
            q = Orthonormal.basis(of: y)
        }
        // A second pass leaves Q orthonormal to round-off, so B = Qᵀ·A keeps A's singular values.
        q = Orthonormal.basis(of: q)
        let r = q.cols
        if r == 0 { return sigma }

        // Bᵀ = Aᵀ·Q (n × r) = V₀·C with V₀ an orthonormal basis of its columns (n × r₀) and
        // C = V₀ᵀ·Bᵀ small (r₀ × r). C = U_C·Σ·W_Cᵀ from C·Cᵀ in Double, so A's right singular
        // vectors are V₀·U_C and its singular values Σ: squaring C loses nothing in Double, where
        // squaring Bᵀ in float32 would lose the small singular values' digits.
        let bt = Matrix(rows: n, cols: r)
        a.multiplyTransposed(q, into: bt)
        let v0 = Orthonormal.basis(of: Orthonormal.basis(of: bt))
        let r0 = v0.cols
        if r0 == 0 { return sigma }
        let c = Matrix(rows: r0, cols: r)
        Matrix.gemm(v0, transposeA: true, bt, into: c)
        var cct = [Double](repeating: 0, count: r0 * r0)
        for i in 0..<r0 {
            for j in 0...i {
                var sum = 0.0
                for t in 0..<r { sum += Double(c[i, t]) * Double(c[j, t]) }
                cct[i * r0 + j] = sum
            }
        }
        let eigen = SymmetricEigen(symmetric: cct, n: r0)
        let largest = max(eigen.values.first ?? 0, 0)
        let rotation = Matrix(rows: r0, cols: k)
        for j in 0..<min(k, r0) {
            let lambda = eigen.values[j]
            // Beyond the numerical rank of the float32 products: a zero value and vector.
            guard lambda > largest * Orthonormal.relativeTolerance * Orthonormal.relativeTolerance else { break }
            sigma[j] = Float(lambda.squareRoot())
            for i in 0..<r0 { rotation[i, j] = Float(eigen.vectors[j * r0 + i]) }
        }
        Matrix.gemm(v0, rotation, into: v)
        for j in 0..<k {
            var extreme: Float = 0
            for i in 0..<n where abs(v[i, j]) > abs(extreme) { extreme = v[i, j] }
            if extreme < 0 { for i in 0..<n { v[i, j] = -v[i, j] } }
        }
        return sigma
    }
}

/// A matrix seen through its products with dense blocks (what `RandomizedSVD` needs).
public protocol LinearOperator {
    var rows: Int { get }
    var cols: Int { get }
    /// y = A·x (x: cols × l, y: rows × l), overwriting y.
    func multiply(_ x: Matrix, into y: Matrix)
    /// x = Aᵀ·y (y: rows × l, x: cols × l), overwriting x.
    func multiplyTransposed(_ y: Matrix, into x: Matrix)
}

extension Matrix: LinearOperator {
    public func multiply(_ x: Matrix, into y: Matrix) { Matrix.gemm(self, x, into: y) }
    public func multiplyTransposed(_ y: Matrix, into x: Matrix) { Matrix.gemm(self, transposeA: true, y, into: x) }
}

/// Some rows of a CSR matrix as an operator (the rows an encoder is fitted on), in the given
/// order; no copy of the rows is made.
public struct SparseRows: LinearOperator {
    public let matrix: SparseMatrix
    public let rowIndices: [Int32]
    public var rows: Int { rowIndices.count }
    public var cols: Int { matrix.cols }

    public init(_ matrix: SparseMatrix, rows: [Int32]) {
        self.matrix = matrix
        rowIndices = rows
    }

    public func multiply(_ x: Matrix, into y: Matrix) {
        rowIndices.withUnsafeBufferPointer { matrix.gatherMultiply(rowIndices: $0, x, into: y) }
    }

    public func multiplyTransposed(_ y: Matrix, into x: Matrix) {
        x.zero()
        rowIndices.withUnsafeBufferPointer { matrix.gatherTransposeMultiplyAdd(rowIndices: $0, y, into: x) }
    }
}
