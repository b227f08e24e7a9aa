import Numerics

/// Ridge regression from one side's content to its clicks on the other side: W = (ZᵀZ + λI)⁻¹ZᵀY
/// with Z the fitted entities' design rows and Y their click rows. The two cold-start priors
/// are its two directions — users' content onto items (`ContentPopularity`), items' content
/// onto users (`ContentAffinity`).
///
/// Written here rather than on a solver library because the system is small (64 to 1,025
/// columns: `design` caps them) while Y is wide and sparse: ZᵀY is gathered from the click
/// lists in one pass, the Gram matrix (from the GEMM) factored once, and every column of the
/// other side solved against the factor.
struct ClickRegression {
    let width: Int
    let otherCount: Int
    var zz: [Double]
    /// ZᵀY stored transposed, one row of `width` per entity of the other side: a click adds the
    /// clicking row's design row to one contiguous row (the layout of ZᵀY scattered each of
    /// those values to a different row, a cache miss apiece — 3 s of a 25 M run's setup).
    var yz: [Double]

    /// Content columns beyond which `design` projects onto the top SVD directions.
    static let maxContentColumns = 64

    /// The normal equations over `rows` of `z`, their clicks in `clicks`; `perRow` divides a
    /// row's clicks by their number (every entity weighs the same).
    init(_ z: Matrix, rows: [Int], clicks: AdjacencyLists, otherCount: Int, perRow: Bool) {
        width = z.cols; self.otherCount = otherCount
        zz = ClickRegression.gram(z, rows: rows)
        yz = [Double](repeating: 0, count: otherCount * width)
        let width = width
        var scaled = [Double](repeating: 0, count: width)
        for r in rows {
            let row = z.row(r), list = clicks[r]
            let t = perRow ? 1 / Double(max(list.count, 1)) : 1
            for a in 0..<width { scaled[a] = row[a] != 0 ? t * Double(row[a]) : 0 }
            yz.withUnsafeMutableBufferPointer { yz in
                for i in list {
                    let out = yz.baseAddress! + Int(i) * width
                    for a in 0..<width { out[a] += scaled[a] }
                }
            }
        }
    }

    /// Rows gathered per GEMM of the Gram matrix.
    static let gramChunk = 512

    /// ZᵀZ over `rows` of `z`: chunks of rows gathered and multiplied on the GEMM, their float
    /// products summed in Double, so round-off stays that of a 512-term float sum however many
    /// rows there are. A row-by-row Double loop took 15% of a CiteULike run's CPU once the
    /// cold-item map could be 1,025 columns wide (width² per row, 15,000 rows, four fits).
    static func gram(_ z: Matrix, rows: [Int]) -> [Double] {
        let width = z.cols
        var zz = [Double](repeating: 0, count: width * width)
        let part = Matrix(rows: width, cols: width)
        var start = 0
        while start < rows.count {
            let count = min(gramChunk, rows.count - start)
            let chunk = Matrix(rows: count, cols: width)
            for (t, r) in rows[start..<(start + count)].enumerated() { chunk.row(t).update(from: z.row(r), count: width) }
            Matrix.gemm(chunk, transposeA: true, chunk, into: part)
            for e in 0..<zz.count { zz[e] += Double(part.data[e]) }
            start += count
        }
        return zz
    }

    /// W (otherCount × width) = ((ZᵀZ + λI)⁻¹ ZᵀY)ᵀ with λ = `relativeRidge` × mean diagonal.
    func solve(relativeRidge: Float) -> Matrix {
        let meanDiagonal = (0..<width).reduce(0.0) { $0 + zz[$1 * width + $1] } / Double(max(width, 1))
        let lambda = Double(relativeRidge) * max(meanDiagonal, 1e-12)
        var a = zz.map(Float.init)
        for j in 0..<width { a[j * width + j] += Float(lambda) }
        let w = Matrix(rows: otherCount, cols: width)
        var x = [Float](repeating: 0, count: width)
        a.withUnsafeMutableBufferPointer { a in
            Cholesky.factor(a.baseAddress!, width)
            x.withUnsafeMutableBufferPointer { x in
                for i in 0..<otherCount {
                    for j in 0..<width { x[j] = Float(yz[i * width + j]) }
                    Cholesky.solve(a.baseAddress!, x.baseAddress!, width)
                    w.row(i).update(from: x.baseAddress!, count: width)
                }
            }
        }
        return w
    }

    /// Every entity's design row: dense content, sparse content (or the SVD projection of both,
    /// fitted on `known`, when they are wider than `maxColumns`, each direction keeping its
    /// spread), then a constant 1.
    static func design(_ f: EncodedFeatures, known: [Int], seed: UInt64, maxColumns: Int = maxContentColumns) -> Matrix {
        let rows = f.rows, content = f.dense.cols + f.sparse.cols
        if content <= maxColumns {
            let z = Matrix(rows: rows, cols: content + 1)
            for r in 0..<rows {
                let out = z.row(r)
                out.update(from: f.dense.row(r), count: f.dense.cols)
                for e in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] {
                    out[f.dense.cols + Int(f.sparse.columnIndices[e])] = f.sparse.values[e]
                }
                out[content] = 1
            }
            return z
        }
        // One sparse matrix of both blocks, so a single projection serves either layout.
        var entries = [[(Int, Float)]](repeating: [], count: rows)
        for r in 0..<rows {
            let dense = f.dense.row(r)
            for j in 0..<f.dense.cols where dense[j] != 0 { entries[r].append((j, dense[j])) }
            for e in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] {
                entries[r].append((f.dense.cols + Int(f.sparse.columnIndices[e]), f.sparse.values[e]))
            }
        }
        let all = SparseMatrix(rows: rows, cols: content, entries: entries)
        let projection = ContentProjection(fitting: all.gatherRows(known), rank: maxColumns, seed: seed)
        let z = Matrix(rows: rows, cols: maxColumns + 1)
        // Unstandardised: z-scored directions weigh the weak ones like the strong and lost
        // cold-item recall@20 (numpy, exported splits: proxy 0.331 → 0.295, sample-data
        // 0.244 → 0.209 for the item map alone).
        projection.project(all, into: z, column: 0, standardized: false)
        for r in 0..<rows { z[r, maxColumns] = 1 }
        return z
    }
}
