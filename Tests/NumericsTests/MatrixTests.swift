import XCTest
import Numerics

final class MatrixTests: XCTestCase {
    func testRowViewAliasesStorage() {
        let m = Matrix([[1, 2], [3, 4], [5, 6]])
        let v = m.rows(1..<3)
        v[0, 1] = 40
        XCTAssertEqual(m[1, 1], 40)
        XCTAssertEqual(v.rows, 2)
    }

    func testGEMMAllBackendsAgreeWithReference() {
        var rng = SplitMix64(seed: 7)
        for (tA, tB) in [(false, false), (false, true), (true, false), (true, true)] {
            let m = 37, n = 29, k = 53
            let a = tA ? Matrix(rows: k, cols: m) : Matrix(rows: m, cols: k)
            let b = tB ? Matrix(rows: n, cols: k) : Matrix(rows: k, cols: n)
            for i in 0..<a.count { a.data[i] = rng.nextFloat() - 0.5 }
            for i in 0..<b.count { b.data[i] = rng.nextFloat() - 0.5 }
            for backend in GEMM.availableBackends() {
                let c = Matrix(rows: m, cols: n)
                c.fill(1)
                Matrix.gemm(a, transposeA: tA, b, transposeB: tB, into: c, alpha: 2, beta: 0.5, backend: backend)
                for i in 0..<m { for j in 0..<n {
                    var s: Float = 0
                    for p in 0..<k { s += (tA ? a[p, i] : a[i, p]) * (tB ? b[j, p] : b[p, j]) }
                    XCTAssertEqual(c[i, j], 2 * s + 0.5, accuracy: 1e-4, "\(backend.name) tA=\(tA) tB=\(tB)")
                } }
            }
        }
    }
}
