import Numerics

extension WMF {
    /// The factors of users known only by the rows of `r` (users × items, values r ≥ 0, as
    /// `preferenceMatrix` builds them), with the item factors `items` held fixed: `fit`'s user
    /// half-step, solved exactly (Cholesky) with the same confidence c = 1 + α·r and
    /// regularisation λ. A user folded in with the items and values it was fitted on gets back
    /// the factor `fit` gave it, up to how far the fit had converged; a row with no entries gets
    /// zeros, like a cold user.
    ///
    /// This is how a new user's first few interactions become a vector of the kind the user
    /// tower was trained on (the few-shot curve's `wmf` preference).
    public static func foldIn(_ r: SparseMatrix, items: Matrix, regularization: Float, alpha: Float,
                              threads: Int = Parallel.threadCount) -> Matrix {
        precondition(r.cols == items.rows, "fold-in: \(r.cols) item columns for \(items.rows) item factors")
        let k = items.cols
        let workers = max(1, threads)
        let rows = WMFRows(r)
        let users = Matrix(rows: r.rows, cols: k)
        let gram = Matrix(rows: k, cols: k)
        computeGram(of: items, regularization: regularization, into: gram, threads: workers)
        let workspaces = (0..<workers).map { _ in WMFWorkspace(rank: k, solver: .cholesky) }
        WMFHalfStep(rows: rows, target: users, fixed: items, gram: gram, alpha: alpha, solver: .cholesky,
                    threads: workers, blocks: WMFHalfStep.blocks(rows, rank: k), blockLoss: nil)
            .run(workspaces: workspaces)
        return users
    }
}
