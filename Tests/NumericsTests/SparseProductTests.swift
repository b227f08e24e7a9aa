import XCTest
import Numerics

final class SparseProductTests: XCTestCase {
    func makeSparse(rows: Int, cols: Int, rng: inout SplitMix64) -> SparseMatrix {
        let entries: [[(Int, Float)]] = (0..<rows).map { _ in
            (0..<rng.nextInt(below: 12)).map { _ in (rng.nextInt(below: cols), rng.nextFloat() + 0.1) }
        }
        return SparseMatrix(rows: rows, cols: cols, entries: entries)
    }

    func testGatheredProductsMatchDense() {
        var rng = SplitMix64(seed: 9)
        let s = makeSparse(rows: 80, cols: 50, rng: &rng)
        let batch: [Int32] = (0..<300).map { _ in Int32(rng.nextInt(below: 80)) }   // repeats on purpose
        let dense = s.gatherRows(batch.map(Int.init)).toDense()
        let w = Matrix(rows: 50, cols: 70)
        for i in 0..<w.count { w.data[i] = rng.nextFloat() - 0.5 }
        let want = Matrix.product(dense, w)
        for threads in [1, 2] {
            let c = Matrix(rows: batch.count, cols: 70)
            c.fill(.nan)
            batch.withUnsafeBufferPointer { s.gatherMultiply(rowIndices: $0, w, into: c, threads: threads) }
            for i in 0..<c.count { XCTAssertEqual(c.data[i], want.data[i], accuracy: 1e-4) }
        }

        let dy = Matrix(rows: batch.count, cols: 70)
        for i in 0..<dy.count { dy.data[i] = rng.nextFloat() - 0.5 }
        let base = Matrix(rows: 50, cols: 70)
        base.fill(1)
        let wantGrad = base.copy()
        Matrix.gemm(dense, transposeA: true, dy, into: wantGrad, alpha: 0.5, beta: 1)
        var results: [[Float]] = []
        for threads in [1, 2] {
            let g = base.copy()
            batch.withUnsafeBufferPointer { s.gatherTransposeMultiplyAdd(rowIndices: $0, dy, into: g, alpha: 0.5, threads: threads) }
            for i in 0..<g.count { XCTAssertEqual(g.data[i], wantGrad.data[i], accuracy: 1e-4) }
            results.append(g.toArray())
        }
        XCTAssertEqual(results[0], results[1], "thread count must not change the gradient")
    }
}
