import Foundation
import Numerics

/// Weighted matrix factorisation for implicit feedback (Hu, Koren & Volinsky 2008), the
/// pre-training of the classic DropoutNet (DESIGN §4.7).
///
/// Minimises Σ_u,i c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all user × item cells,
/// with p_ui = 1 and c_ui = 1 + α·r_ui on observed entries and p = 0, c = 1 elsewhere, by
/// alternating least squares: users given items, then items given users.
public enum WMF {
    /// Fits factors to `r` (users × items, values r ≥ 0 on the observed positives).
    ///
    /// `progress` is called after each iteration on the calling thread with the training loss.
    /// With `options.threads == 1` the result is bit-for-bit reproducible for a seed; with more
    /// threads only the GEMM's own reduction order can differ.
    public static func fit(_ r: SparseMatrix, options: WMFOptions = WMFOptions(),
                           progress: ((WMFProgress) -> Void)? = nil) throws -> WMFFactors {
        try options.validate()
        for (e, v) in r.values.enumerated() where !(v >= 0 && v.isFinite) {
            throw WMFError.invalidInput("entry \(e) has value \(v); values must be finite and ≥ 0")
        }
        let k = options.rank
        let userRows = WMFRows(r)
        let itemRows = WMFRows(transposing: r)
        let users = Matrix(rows: r.rows, cols: k)
        let items = Matrix(rows: r.cols, cols: k)
        initialise(users, seed: options.seed, stream: 0)
        initialise(items, seed: options.seed, stream: 1)

        let workspaces = (0..<max(1, options.threads)).map { _ in WMFWorkspace(rank: k, solver: options.solver) }
        let gram = Matrix(rows: k, cols: k)
        let userBlocks = WMFHalfStep.blocks(userRows, rank: k)
        let itemBlocks = WMFHalfStep.blocks(itemRows, rank: k)
        let blockLoss = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(itemBlocks.count, 1))
        defer { blockLoss.deallocate() }

        for iteration in 1..<(options.iterations + 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            computeGram(of: items, regularization: options.regularization, into: gram, threads: options.threads)
            WMFHalfStep(rows: userRows, target: users, fixed: items, gram: gram, alpha: options.alpha,
                        solver: options.solver, threads: options.threads, blocks: userBlocks, blockLoss: nil)
                .run(workspaces: workspaces)
            computeGram(of: users, regularization: options.regularization, into: gram, threads: options.threads)
            blockLoss.update(repeating: 0)
            WMFHalfStep(rows: itemRows, target: items, fixed: users, gram: gram, alpha: options.alpha,
                        solver: options.solver, threads: options.threads, blocks: itemBlocks, blockLoss: blockLoss)
                .run(workspaces: workspaces)
            // The item half-step's sum covers Σ_all s² + Σ_obs (c(1 − s)² − s²) + λ‖Y‖²; the
            // users' penalty is the one term left.
            var loss = blockLoss.reduce(0, +)
            loss += Double(options.regularization) * squaredNorm(users)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress?(WMFProgress(iteration: iteration, iterations: options.iterations, loss: loss, seconds: seconds))
        }
        return WMFFactors(users: users, items: items)
    }

    /// The training loss of given factors (the quantity `fit` reports), computed the same
    /// efficient way: Σ_u x_uᵀ(YᵀY)x_u + Σ_obs (c(1 − s)² − s²) + λ(‖X‖² + ‖Y‖²).
    public static func loss(_ r: SparseMatrix, factors: WMFFactors, regularization: Float, alpha: Float,
                            threads: Int = Parallel.threadCount) -> Double {
        let k = factors.rank
        let gram = Matrix(rows: k, cols: k)
        computeGram(of: factors.items, regularization: 0, into: gram, threads: threads)
        let rows = WMFRows(r)
        let blocks = WMFHalfStep.blocks(rows, rank: k)
        let blockLoss = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(blocks.count, 1))
        defer { blockLoss.deallocate() }
        blockLoss.update(repeating: 0)
        // A half-step without a solver only evaluates its rows.
        let ws = (0..<max(1, threads)).map { _ in WMFWorkspace(rank: k, solver: .cholesky) }
        WMFHalfStep(rows: rows, target: factors.users, fixed: factors.items, gram: gram, alpha: alpha,
                    solver: nil, threads: threads, blocks: blocks, blockLoss: blockLoss).run(workspaces: ws)
        return blockLoss.reduce(0, +)
            + Double(regularization) * (squaredNorm(factors.users) + squaredNorm(factors.items))
    }

    /// gram = YᵀY + λI (one GEMM over all rows of Y).
    static func computeGram(of y: Matrix, regularization: Float, into gram: Matrix, threads: Int) {
        Matrix.gemm(y, transposeA: true, y, into: gram, threads: threads)
        for j in 0..<gram.rows { gram[j, j] += regularization }
    }

    static func squaredNorm(_ m: Matrix) -> Double {
        var total = 0.0
        for r in 0..<m.rows { total += Double(Kernels.dot(m.row(r), m.row(r), count: m.cols)) }
        return total
    }

    /// Uniform in [0, 0.01), as the `implicit` library starts: small enough that the first
    /// half-step is dominated by the data, and all-positive so that the first solves share the
    /// popularity direction; with a zero-mean start, 3-step CG needs an extra iteration or two to
    /// reach the same loss. Each block of rows draws from its own stream of the seed.
    static func initialise(_ m: Matrix, seed: UInt64, stream: UInt64) {
        let base = SplitMix64(seed: seed).split(stream)
        let rowsPerStream = 1024
        for s in 0..<((m.rows + rowsPerStream - 1) / rowsPerStream) {
            var g = base.split(UInt64(s))
            let lo = s * rowsPerStream * m.cols
            let hi = min(m.rows, (s + 1) * rowsPerStream) * m.cols
            for i in lo..<hi { m.data[i] = g.nextFloat() * 0.01 }
        }
    }
}
