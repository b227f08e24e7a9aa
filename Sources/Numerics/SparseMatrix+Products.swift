/// Products of a CSR matrix's gathered rows with dense matrices: what a first layer over sparse
/// input needs. Rows are gathered by index, so a batch never materialises its own CSR copy.
/// Inner loops are SIMD FMAs over a dense row (`Kernels.axpy`); both products split work so
/// that each output element is written by one thread in a fixed order (thread-count
/// independent results), and hand it to threads without allocating.
extension SparseMatrix {
    /// c[i, :] = beta · c[i, :] + Σ_e S[rowIndices[i], e] · w[col_e, :]   (S_batch · W)
    /// Threads split the batch rows.
    public func gatherMultiply(rowIndices: UnsafeBufferPointer<Int32>, _ w: Matrix, into c: Matrix, beta: Float = 0,
                               threads: Int = Parallel.threadCount) {
        precondition(w.rows == cols, "gatherMultiply: W has \(w.rows) rows, S has \(cols) columns")
        precondition(c.rows == rowIndices.count && c.cols == w.cols, "gatherMultiply: output shape")
        let batch = rowIndices.count
        if batch == 0 { return }
        // About 64 K multiply-adds per chunk before another worker is worth waking.
        let perRow = max(1, w.cols * max(1, nonZeroCount / max(rows, 1)))
        let parts = max(1, min(threads, batch / max(1, 65_536 / perRow)))
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    var call = GatherCall(ptr: ptr.baseAddress!, idx: idx.baseAddress, val: val.baseAddress,
                                          rowIndices: rowIndices.baseAddress!, batch: batch, dense: w.data, n: w.cols,
                                          out: c.data, alpha: 1, beta: beta, parts: parts)
                    withUnsafePointer(to: &call) { p in
                        Parallel.forEach(chunks: parts, threads: threads, context: UnsafeRawPointer(p)) { context, part in
                            context.assumingMemoryBound(to: GatherCall.self).pointee.multiply(part: part)
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
        let batch = rowIndices.count
        if batch == 0 { return }
        let n = dy.cols
        var work = 0
        for i in 0..<batch { let r = Int(rowIndices[i]); work += rowPointers[r + 1] - rowPointers[r] }
        work *= n
        // Column slices of at least 32 floats, and only when there are ~128 K multiply-adds to share.
        let parts = work < 131_072 ? 1 : max(1, min(threads, n / 32))
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    var call = GatherCall(ptr: ptr.baseAddress!, idx: idx.baseAddress, val: val.baseAddress,
                                          rowIndices: rowIndices.baseAddress!, batch: batch, dense: dy.data, n: n,
                                          out: gradW.data, alpha: alpha, beta: 1, parts: parts)
                    withUnsafePointer(to: &call) { p in
                        Parallel.forEach(chunks: parts, threads: threads, context: UnsafeRawPointer(p)) { context, part in
                            context.assumingMemoryBound(to: GatherCall.self).pointee.transposeMultiplyAdd(part: part)
                        }
                    }
                }
            }
        }
    }
}

/// The state of one gathered product, passed to workers by pointer.
struct GatherCall {
    let ptr: UnsafePointer<Int>
    let idx: UnsafePointer<Int32>?
    let val: UnsafePointer<Float>?
    let rowIndices: UnsafePointer<Int32>
    let batch: Int
    /// W (forward) or dY (backward), `n` columns.
    let dense: UnsafeMutablePointer<Float>
    let n: Int
    /// C (forward, batch × n) or gradW (backward, cols × n).
    let out: UnsafeMutablePointer<Float>
    let alpha: Float
    let beta: Float
    let parts: Int

    /// Forward, batch rows [part·batch/parts, (part+1)·batch/parts).
    func multiply(part: Int) {
        let lo = batch * part / parts, hi = batch * (part + 1) / parts
        for i in lo..<hi {
            let row = out + i * n
            if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { Kernels.scale(row, count: n, by: beta) }
            let r = Int(rowIndices[i])
            for e in ptr[r]..<ptr[r + 1] {
                Kernels.axpy(val![e], dense + Int(idx![e]) * n, row, count: n)
            }
        }
    }

    /// Backward, columns [lo, hi) of every gradW row (slices aligned to 8 floats).
    func transposeMultiplyAdd(part: Int) {
        let step = ((n + parts - 1) / parts + 7) / 8 * 8
        let lo = part * step, hi = min(n, lo + step)
        if lo >= hi { return }
        for i in 0..<batch {
            let g = dense + i * n + lo
            let r = Int(rowIndices[i])
            for e in ptr[r]..<ptr[r + 1] {
                Kernels.axpy(alpha * val![e], g, out + Int(idx![e]) * n + lo, count: hi - lo)
            }
        }
    }
}
