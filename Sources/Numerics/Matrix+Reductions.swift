/// Row and column reductions: L2 norms for normalised embeddings, column sums for bias
/// gradients and batch statistics.
extension Matrix {
    /// out[r] = ‖self[r, :]‖₂ (rows values).
    public func rowNorms(into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { out[r] = Kernels.sumOfSquares(row(r), count: cols).squareRoot() }
    }

    /// out[r] = Σ_c self[r, c].
    public func rowSums(into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { out[r] = Kernels.sum(row(r), count: cols) }
    }

    /// Scales each row to unit L2 norm in place: x / sqrt(max(‖x‖², epsilon)), the
    /// `tf.nn.l2_normalize` convention (an all-zero row stays zero). When `norms` is given it
    /// receives sqrt(max(‖x‖², epsilon)) per row, what the backward pass divides by.
    public func normalizeRows(epsilon: Float = 1e-12, norms: UnsafeMutablePointer<Float>? = nil) {
        for r in 0..<rows {
            let p = row(r)
            let n = Swift.max(Kernels.sumOfSquares(p, count: cols), epsilon).squareRoot()
            norms?[r] = n
            Kernels.scale(p, count: cols, by: 1 / n)
        }
    }

    /// out[c] = Σ_r self[r, c] (cols values), summed row by row (vectorised across columns).
    public func columnSums(into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: cols)
        for r in 0..<rows { Kernels.add(row(r), out, count: cols) }
    }

    /// out[c] = mean over rows of self[r, c] (0 for a matrix without rows).
    public func columnMeans(into out: UnsafeMutablePointer<Float>) {
        columnSums(into: out)
        if rows > 0 { Kernels.scale(out, count: cols, by: 1 / Float(rows)) }
    }
}
