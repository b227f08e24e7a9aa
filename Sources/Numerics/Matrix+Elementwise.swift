/// `Matrix` conveniences over `Kernels`: whole-matrix activations and updates. Output matrices
/// must have the same element count; passing `self` as the output works in place.
extension Matrix {
    @inline(__always)
    private func checked(_ y: Matrix, _ op: String) {
        precondition(y.count == count, "\(op): output is \(y.rows)x\(y.cols), input \(rows)x\(cols)")
    }

    public func relu(into y: Matrix) { checked(y, "relu"); Kernels.relu(data, y.data, count: count) }
    public func tanh(into y: Matrix) { checked(y, "tanh"); Kernels.tanh(data, y.data, count: count) }
    public func sigmoid(into y: Matrix) { checked(y, "sigmoid"); Kernels.sigmoid(data, y.data, count: count) }
    public func softplus(into y: Matrix) { checked(y, "softplus"); Kernels.softplus(data, y.data, count: count) }
    public func exp(into y: Matrix) { checked(y, "exp"); Kernels.exp(data, y.data, count: count) }

    /// self += other.
    public func add(_ other: Matrix) { checked(other, "add"); Kernels.add(other.data, data, count: count) }

    /// self += alpha · x.
    public func axpy(_ alpha: Float, _ x: Matrix) { checked(x, "axpy"); Kernels.axpy(alpha, x.data, data, count: count) }

    /// self *= alpha.
    public func scale(by alpha: Float) { Kernels.scale(data, count: count, by: alpha) }

    /// Adds `vector` (cols values, e.g. a bias) to every row.
    public func addToRows(_ vector: UnsafePointer<Float>) {
        for r in 0..<rows { Kernels.add(vector, row(r), count: cols) }
    }

    /// out[r] = log Σ_c e^{self[r, c]} (rows values).
    public func rowLogSumExp(into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { out[r] = Kernels.logSumExp(row(r), count: cols) }
    }

    /// Row-wise softmax into `y` (same shape; may be self).
    public func softmaxRows(into y: Matrix) {
        precondition(y.rows == rows && y.cols == cols, "softmaxRows: shapes differ")
        for r in 0..<rows { Kernels.softmax(row(r), y.row(r), count: cols) }
    }
}
