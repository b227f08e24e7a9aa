/// Products of a CSR matrix's gathered rows with dense matrices: what a first layer over sparse
/// input needs. Rows are gathered by index, so a batch never materialises its own CSR copy.
/// Inner loops are SIMD FMAs over a dense row (`Kernels.axpy`); both products split work so
/// that each output element is written by one thread in a fixed order (thread-count
/// independent results).
extension SparseMatrix {
    /// c[i, :] = beta · c[i, :] + Σ_e S[rowIndices[i], e] · w[col_e, :]   (S_batch · W)
    /// Threads split the batch rows.
    public func gatherMultiply(rowIndices: UnsafeBufferPointer<Int32>, _ w: Matrix, into c: Matrix, beta: Float = 0,
                               threads: Int = Parallel.threadCount) {
        precondition(w.rows == cols, "gatherMultiply: W has \(w.rows) rows, S has \(cols) columns")
        precondition(c.rows == rowIndices.count && c.cols == w.cols, "gatherMultiply: output shape")
        let n = w.cols
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    // About 64 K multiply-adds per chunk before a worker is worth waking.
                    let perRow = max(1, n * max(1, nonZeroCount / max(rows, 1)))
                    Parallel.forRanges(rowIndices.count, minChunk: max(1, 65_536 / perRow), threads: threads) { range in
                        for i in range {
                            let out = c.row(i)
                            if beta == 0 { out.update(repeating: 0, count: n) } else if beta != 1 { Kernels.scale(out, count: n, by: beta) }
                            let r = Int(rowIndices[i])
                            for e in ptr[r]..<ptr[r + 1] {
                                Kernels.axpy(val[e], w.row(Int(idx[e])), out, count: n)
                            }
                        }
                    }
                }
            }
        }
    }

    /// gradW[col_e, :] += alpha · S[rowIndices[i], e] · dy[i, :]   (S_batchᵀ · dY, accumulated)
    /// Different batch rows hit the same rows of gradW, so threads split the columns instead
    /// (each worker owns a slice of every gradW row).
    public func gatherTransposeMultiplyAdd(rowIndices: UnsafeBufferPointer<Int32>, _ dy: Matrix, into gradW: Matrix, alpha: Float = 1,
                                           threads: Int = Parallel.threadCount) {
        precondition(gradW.rows == cols && gradW.cols == dy.cols && dy.rows == rowIndices.count, "gatherTransposeMultiplyAdd: shapes")
        let n = dy.cols
        var work = 0
        for i in 0..<rowIndices.count { let r = Int(rowIndices[i]); work += rowPointers[r + 1] - rowPointers[r] }
        work *= n
        // Column slices of at least 32 floats, and only when there are ~128 K multiply-adds to share.
        let slices = work < 131_072 ? 1 : max(1, min(threads, n / 32))
        let step = ((n + slices - 1) / slices + 7) / 8 * 8
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    Parallel.forEach(chunks: slices, threads: threads) { s in
                        let lo = s * step, hi = min(n, lo + step)
                        if lo >= hi { return }
                        for i in 0..<rowIndices.count {
                            let g = dy.row(i) + lo
                            let r = Int(rowIndices[i])
                            for e in ptr[r]..<ptr[r + 1] {
                                Kernels.axpy(alpha * val[e], g, gradW.row(Int(idx[e])) + lo, count: hi - lo)
                            }
                        }
                    }
                }
            }
        }
    }
}
