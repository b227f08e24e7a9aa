import Foundation
import Numerics

/// One ALS half-step: every row x_u of `target` is set to the minimiser of
///     Σ_i c_ui (p_ui − x_u·y_i)² + λ‖x_u‖²
/// with `fixed` (Y) held, i.e. the solution of (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u.
///
/// `gram` is YᵀY + λI, computed once per half-step by GEMM; a row then only adds the
/// contribution of its n_u observed entries, so the row costs O(n_u·k² + k³) (Cholesky) or
/// O(steps·(k² + n_u·k)) (conjugate gradient). Rows are processed in blocks claimed
/// dynamically by the workers (rows differ a lot in length); within a block the k×k products
/// with the Gram matrix of all rows at once are one GEMM. Each row's result depends only on
/// its own entries and `fixed`, so the output does not depend on the scheduling.
struct WMFHalfStep {
    let rows: WMFRows
    let target: Matrix
    let fixed: Matrix
    let gram: Matrix
    let alpha: Float
    /// nil: leave the rows as they are and only evaluate the loss.
    let solver: WMFSolver?
    let threads: Int

    /// Row boundaries of the blocks (`blocks[b]..<blocks[b + 1]`), from `WMFHalfStep.blocks`.
    let blocks: [Int]
    /// When set, each block adds Σ_u [x_uᵀ·gram·x_u + Σ_i∈u (c(1 − s)² − s²)] for its new rows
    /// (s = x_u·y_i) to `blockLoss[block]`: summed over the side, that is the whole weighted
    /// squared error plus λ‖X‖² of this side, without visiting the unobserved cells.
    var blockLoss: UnsafeMutableBufferPointer<Double>?

    /// At most this many rows per block (the height of the workspace matrices).
    static let maxBlockRows = 32

    /// Cuts 0..<rows.rows into contiguous blocks of at most `maxBlockRows` rows whose entries'
    /// rows of the fixed side take about `cacheBytes`: CG visits every entry once per step, in
    /// lock-step over the block, so the block's gathered rows must stay in the core's cache
    /// between steps or every step pays a trip to memory for each of them.
    static func blocks(_ rows: WMFRows, rank: Int, cacheBytes: Int = 384 * 1024) -> [Int] {
        let maxEntries = max(1, cacheBytes / (4 * rank))
        var starts = [0]
        var entries = 0, inBlock = 0
        for r in 0..<rows.rows {
            let n = rows.pointers[r + 1] - rows.pointers[r]
            if inBlock > 0 && (inBlock == maxBlockRows || entries + n > maxEntries) {
                starts.append(r)
                entries = 0
                inBlock = 0
            }
            entries += n
            inBlock += 1
        }
        if rows.rows > 0 { starts.append(rows.rows) }
        return starts
    }

    func run(workspaces: [WMFWorkspace]) {
        let count = blocks.count - 1
        let workers = max(1, min(threads, count, workspaces.count))
        let queue = BlockQueue(count: count)
        Parallel.forEach(chunks: workers, threads: workers) { w in
            let ws = workspaces[w]
            while let b = queue.claim() {
                let block = blocks[b]..<blocks[b + 1]
                switch solver {
                case .conjugateGradient(let steps)?: conjugateGradient(block, steps: steps, ws)
                case .cholesky?: cholesky(block, ws)
                case nil: break
                }
                if let blockLoss { blockLoss[b] = loss(block, ws) }
            }
        }
    }

    // MARK: conjugate gradient

    /// Warm-started CG on every row of the block in lock-step, so that the Gram products of
    /// the block's search directions are one (rows × k) · (k × k) GEMM per step.
    private func conjugateGradient(_ block: Range<Int>, steps: Int, _ ws: WMFWorkspace) {
        let k = target.cols
        let n = block.count
        let x = target.rows(block)
        let t = ws.t.rows(0..<n), r = ws.r.rows(0..<n), p = ws.p.rows(0..<n)
        let alpha = self.alpha
        // r = b − A·x = Σ_i (c_i − (c_i − 1)·s_i)·y_i − gram·x, with s_i = x·y_i.
        Matrix.gemm(x, gram, into: t, threads: 1)
        for b in 0..<n {
            let u = block.lowerBound + b
            let xr = x.row(b), rr = r.row(b), pr = p.row(b), tr = t.row(b)
            let entries = rows.range(u)
            if entries.isEmpty {
                // The exact solution of an empty row is 0 (it has no evidence, only the prior).
                xr.update(repeating: 0, count: k)
                pr.update(repeating: 0, count: k)
                ws.residual[b] = 0
                continue
            }
            for j in 0..<k { rr[j] = -tr[j] }
            for e in entries {
                let y = fixed.row(Int(rows.columns[e]))
                let cm1 = alpha * rows.values[e]
                let s = Kernels.dot(x.row(b), y, count: k)
                Kernels.axpy(1 + cm1 - cm1 * s, y, rr, count: k)
            }
            pr.update(from: rr, count: k)
            ws.residual[b] = Double(Kernels.dot(rr, rr, count: k))
            if ws.residual[b] < WMFWorkspace.converged { pr.update(repeating: 0, count: k) }
        }
        for _ in 0..<steps {
            // t = gram · p for all rows (p rows of converged or empty rows are zero).
            Matrix.gemm(p, gram, into: t, threads: 1)
            var active = 0
            for b in 0..<n where ws.residual[b] >= WMFWorkspace.converged {
                let u = block.lowerBound + b
                let xr = x.row(b), rr = r.row(b), pr = p.row(b), ap = t.row(b)
                for e in rows.range(u) {
                    let y = fixed.row(Int(rows.columns[e]))
                    let s = Kernels.dot(pr, y, count: k)
                    Kernels.axpy(alpha * rows.values[e] * s, y, ap, count: k)
                }
                let pAp = Kernels.dot(pr, ap, count: k)
                guard pAp > 0 else {
                    ws.residual[b] = 0
                    pr.update(repeating: 0, count: k)
                    continue
                }
                let step = Float(ws.residual[b]) / pAp
                Kernels.axpy(step, pr, xr, count: k)
                Kernels.axpy(-step, ap, rr, count: k)
                let rsNew = Double(Kernels.dot(rr, rr, count: k))
                if rsNew < WMFWorkspace.converged {
                    ws.residual[b] = 0
                    pr.update(repeating: 0, count: k)
                    continue
                }
                Kernels.xpby(rr, Float(rsNew / ws.residual[b]), pr, count: k)
                ws.residual[b] = rsNew
                active += 1
            }
            if active == 0 { break }
        }
    }

    // MARK: Cholesky

    /// Exact solve per row: A = gram + Σ_i (c_i − 1)·y_i·y_iᵀ formed by GEMM on the gathered,
    /// √(c_i − 1)-scaled rows (in chunks of the workspace's height), then Cholesky.
    private func cholesky(_ block: Range<Int>, _ ws: WMFWorkspace) {
        let k = target.cols
        let a = ws.a, z = ws.z
        for u in block {
            let xr = target.row(u)
            let entries = rows.range(u)
            if entries.isEmpty {
                xr.update(repeating: 0, count: k)
                continue
            }
            a.copy(from: gram)
            xr.update(repeating: 0, count: k)
            var filled = 0
            for e in entries {
                let y = fixed.row(Int(rows.columns[e]))
                let cm1 = alpha * rows.values[e]
                Kernels.axpy(1 + cm1, y, xr, count: k)
                let zr = z.row(filled)
                let scale = cm1.squareRoot()
                for j in 0..<k { zr[j] = scale * y[j] }
                filled += 1
                if filled == z.rows {
                    Matrix.gemm(z, transposeA: true, z, into: a, beta: 1, threads: 1)
                    filled = 0
                }
            }
            if filled > 0 {
                let zs = z.rows(0..<filled)
                Matrix.gemm(zs, transposeA: true, zs, into: a, beta: 1, threads: 1)
            }
            Cholesky.factor(a.data, k)
            Cholesky.solve(a.data, xr, k)
        }
    }

    // MARK: loss

    private func loss(_ block: Range<Int>, _ ws: WMFWorkspace) -> Double {
        let k = target.cols
        let x = target.rows(block)
        let t = ws.t.rows(0..<block.count)
        Matrix.gemm(x, gram, into: t, threads: 1)
        var total = 0.0
        for b in 0..<block.count {
            let xr = x.row(b)
            total += Double(Kernels.dot(xr, t.row(b), count: k))
            for e in rows.range(block.lowerBound + b) {
                let s = Kernels.dot(xr, fixed.row(Int(rows.columns[e])), count: k)
                let c = 1 + alpha * rows.values[e]
                total += Double(c * (1 - s) * (1 - s) - s * s)
            }
        }
        return total
    }
}

/// Preallocated per-worker buffers of the half-steps (sized for the larger side).
final class WMFWorkspace: @unchecked Sendable {
    /// CG stops a row once r·r falls below this (as `implicit` does).
    static let converged = 1e-20
    /// Rows gathered per GEMM when forming a Cholesky system.
    static let gatherRows = 256

    let t: Matrix, r: Matrix, p: Matrix
    let a: Matrix, z: Matrix
    var residual: [Double]

    init(rank k: Int, solver: WMFSolver) {
        let n = WMFHalfStep.maxBlockRows
        t = Matrix(rows: n, cols: k)
        residual = Array(repeating: 0, count: n)
        if case .cholesky = solver {
            r = Matrix(rows: 0, cols: k); p = Matrix(rows: 0, cols: k)
            a = Matrix(rows: k, cols: k); z = Matrix(rows: WMFWorkspace.gatherRows, cols: k)
        } else {
            r = Matrix(rows: n, cols: k); p = Matrix(rows: n, cols: k)
            a = Matrix(rows: 0, cols: k); z = Matrix(rows: 0, cols: k)
        }
    }
}

/// Hands out block indices 0..<count to workers, one at a time.
final class BlockQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
