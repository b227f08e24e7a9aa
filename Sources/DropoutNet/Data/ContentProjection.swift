import Numerics

/// `content.svd`: one side's sparse content x ↦ x·V_K, the top K right singular vectors of the
/// training rows' sparse block (`RandomizedSVD`), then z-scored column-wise with the training
/// rows' mean and standard deviation and clipped to ±5 — the DropoutNet reference's 300-d SVD
/// of tf-idf followed by its `prep_standardize`.
///
/// Dense and small (K columns instead of tens of thousands), so the tower's first content
/// layer is a GEMM over K inputs; the price is what the top K directions leave out. Fitted on
/// the training rows only; cold rows are projected with the same V_K, mean and scale.
public struct ContentProjection: Sendable {
    /// K: the number of output columns (columns beyond the content's rank are zeros).
    public let rank: Int
    /// V_K, sparse width × K.
    public let basis: Matrix
    /// The training rows' singular values σ_1 ≥ … ≥ σ_K.
    public let singularValues: [Float]
    /// Column means and reciprocal standard deviations of the fitted rows' projections (0 for a
    /// constant column, so it encodes to zeros).
    let mean: [Float]
    let inverseStd: [Float]

    /// Values are clipped to ±`clip` standard deviations (as `prep_standardize` does).
    public static let clip: Float = 5

    /// Fits on `fitted` (the training rows' sparse block, one row per training entity).
    public init(fitting fitted: SparseMatrix, rank: Int, seed: UInt64) {
        let all = (0..<Int32(fitted.rows)).map { $0 }
        let svd = RandomizedSVD(SparseRows(fitted, rows: all), rank: rank, seed: seed)
        self.rank = rank
        basis = svd.rightVectors
        singularValues = svd.singularValues
        let z = Matrix(rows: fitted.rows, cols: rank)
        let v = svd.rightVectors
        all.withUnsafeBufferPointer { fitted.gatherMultiply(rowIndices: $0, v, into: z) }
        var sum = [Double](repeating: 0, count: rank), sumSq = [Double](repeating: 0, count: rank)
        for r in 0..<z.rows {
            let row = z.row(r)
            for j in 0..<rank { let x = Double(row[j]); sum[j] += x; sumSq[j] += x * x }
        }
        let n = Double(max(z.rows, 1))
        mean = sum.map { Float($0 / n) }
        inverseStd = (0..<rank).map { j in
            let m = sum[j] / n
            let variance = max(sumSq[j] / n - m * m, 0)
            return variance > 1e-12 ? Float(1 / variance.squareRoot()) : 0
        }
    }

    /// Writes the standardised projection of every row of `sparse` into `out`'s columns
    /// `column ..< column + rank`; `standardized: false` writes x·V_K as it is, keeping each
    /// direction's spread (a ridge on top then shrinks the weak directions most).
    public func project(_ sparse: SparseMatrix, into out: Matrix, column: Int, standardized: Bool = true) {
        precondition(sparse.cols == basis.rows && out.rows == sparse.rows && column + rank <= out.cols, "ContentProjection: shapes")
        let z = Matrix(rows: sparse.rows, cols: rank)
        let all = (0..<Int32(sparse.rows)).map { $0 }
        all.withUnsafeBufferPointer { sparse.gatherMultiply(rowIndices: $0, basis, into: z) }
        for r in 0..<sparse.rows {
            let src = z.row(r), dst = out.row(r) + column
            if !standardized { dst.update(from: src, count: rank); continue }
            for j in 0..<rank {
                dst[j] = min(max((src[j] - mean[j]) * inverseStd[j], -Self.clip), Self.clip)
            }
        }
    }
}
