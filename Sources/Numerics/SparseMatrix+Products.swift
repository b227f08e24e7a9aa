/// Products of a CSR matrix's gathered rows with dense matrices: what a first layer over sparse
/// input needs. Rows are gathered by index, so a batch never materialises its own CSR copy.
extension SparseMatrix {
    /// c[i, :] = beta · c[i, :] + Σ_e S[rowIndices[i], e] · w[col_e, :]   (S_batch · W)
    public func gatherMultiply(rowIndices: UnsafeBufferPointer<Int32>, _ w: Matrix, into c: Matrix, beta: Float = 0) {
        precondition(w.rows == cols, "gatherMultiply: W has \(w.rows) rows, S has \(cols) columns")
        precondition(c.rows == rowIndices.count && c.cols == w.cols, "gatherMultiply: output shape")
        let n = w.cols
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    Parallel.forRanges(rowIndices.count, minChunk: 64) { range in
                        for i in range {
                            let out = c.row(i)
                            if beta == 0 { out.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { out[j] *= beta } }
                            let r = Int(rowIndices[i])
                            for e in ptr[r]..<ptr[r + 1] {
                                let v = val[e]
                                let wr = w.row(Int(idx[e]))
                                for j in 0..<n { out[j] += v * wr[j] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// gradW[col_e, :] += alpha · S[rowIndices[i], e] · dy[i, :]   (S_batchᵀ · dY, accumulated)
    public func gatherTransposeMultiplyAdd(rowIndices: UnsafeBufferPointer<Int32>, _ dy: Matrix, into gradW: Matrix, alpha: Float = 1) {
        precondition(gradW.rows == cols && gradW.cols == dy.cols && dy.rows == rowIndices.count, "gatherTransposeMultiplyAdd: shapes")
        let n = dy.cols
        // Serial: different batch rows hit the same feature rows of gradW.
        rowPointers.withUnsafeBufferPointer { ptr in
            columnIndices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    for i in 0..<rowIndices.count {
                        let g = dy.row(i)
                        let r = Int(rowIndices[i])
                        for e in ptr[r]..<ptr[r + 1] {
                            let v = alpha * val[e]
                            let out = gradW.row(Int(idx[e]))
                            for j in 0..<n { out[j] += v * g[j] }
                        }
                    }
                }
            }
        }
    }
}
