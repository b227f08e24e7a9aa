import XCTest
import Numerics

/// Both GEMM backends against a double-precision reference on ragged shapes (edge tiles, the
/// tiny unpacked path, and shapes crossing the mc/kc/nc block boundaries), all transposes.
final class GEMMTests: XCTestCase {
    /// Reference C = alpha·op(A)·op(B) + beta·C0 in Double.
    func reference(_ tA: Bool, _ tB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int,
                   b: [Float], ldb: Int, beta: Float, c0: [Float], ldc: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = tA ? a[p * lda + i] : a[i * lda + p]
                    let y = tB ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(x) * Double(y)
                }
                out[i * n + j] = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j]))
            }
        }
        return out
    }

    func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] { (0..<count).map { _ in rng.nextFloat() * 2 - 1 } }

    func check(m: Int, n: Int, k: Int, tA: Bool, tB: Bool, alpha: Float, beta: Float, pad: Int = 0,
               rng: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        // Leading dimensions larger than the logical width when pad > 0 (sub-matrix views).
        let lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + pad, ldc = n + pad
        let a = random((tA ? k : m) * lda, &rng), b = random((tB ? n : k) * ldb, &rng)
        var c0 = random(m * ldc, &rng)
        if beta == 0 { for i in c0.indices { c0[i] = .nan } }    // beta == 0 must not read C
        let want = reference(tA, tB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c0: c0, ldc: ldc)
        for backend in GEMM.availableBackends() {
            for threads in [1, 2] {
                var c = c0
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    backend.sgemm(transA: tA, transB: tB, m: m, n: n, k: k, alpha: alpha, a: ap.baseAddress!, lda: lda,
                                  b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc, threads: threads)
                } } }
                var worst = 0.0
                for i in 0..<m { for j in 0..<n {
                    let err = abs(Double(c[i * ldc + j]) - want[i * n + j]) / (1 + abs(want[i * n + j]))
                    worst = max(worst, err.isNaN ? .infinity : err)
                } }
                // Padding columns of C are never touched.
                var untouched = true
                for i in 0..<m { for j in n..<ldc where !(c[i * ldc + j] == c0[i * ldc + j] || (c[i * ldc + j].isNaN && c0[i * ldc + j].isNaN)) { untouched = false } }
                let tol = 2e-6 * Double(max(k, 1)).squareRoot() + 1e-6
                XCTAssertLessThan(worst, tol, "\(backend.name) threads=\(threads) \(m)x\(n)x\(k) tA=\(tA) tB=\(tB) α=\(alpha) β=\(beta)", file: file, line: line)
                XCTAssertTrue(untouched, "\(backend.name) wrote outside C", file: file, line: line)
            }
        }
    }

    func testRaggedShapesAllTransposes() {
        var rng = SplitMix64(seed: 11)
        let shapes = [(1, 1, 1), (5, 17, 63), (63, 5, 17), (17, 63, 5), (300, 17, 63), (17, 300, 63),
                      (63, 63, 300), (1, 300, 17), (300, 1, 17), (37, 29, 53), (150, 40, 300)]
        for (tA, tB) in [(false, false), (false, true), (true, false), (true, true)] {
            for (idx, s) in shapes.enumerated() {
                let (alpha, beta): (Float, Float) = [(1, 0), (2, 0.5), (-0.5, 1), (1, 0)][idx % 4]
                check(m: s.0, n: s.1, k: s.2, tA: tA, tB: tB, alpha: alpha, beta: beta, pad: idx % 3, rng: &rng)
            }
        }
    }

    /// Large enough (≥ 2 MFLOP a thread) that two threads split C by rows (tall C) or by columns
    /// (wide C), each part a separate backend call on offset, strided operands.
    func testSplitCallsAllTransposes() {
        var rng = SplitMix64(seed: 13)
        for (tA, tB) in [(false, false), (false, true), (true, false), (true, true)] {
            check(m: 301, n: 97, k: 150, tA: tA, tB: tB, alpha: 1, beta: 0, pad: 1, rng: &rng)
            check(m: 53, n: 333, k: 160, tA: tA, tB: tB, alpha: -0.5, beta: 0.5, pad: 2, rng: &rng)
        }
    }

    func testWideOutputCrossesColumnBlocks() {
        var rng = SplitMix64(seed: 12)
        check(m: 7, n: 4100, k: 5, tA: false, tB: false, alpha: 1, beta: 0, rng: &rng)
        check(m: 13, n: 4100, k: 9, tA: true, tB: true, alpha: 1.5, beta: 2, rng: &rng)
    }

    func testZeroInnerDimensionScalesC() {
        for backend in GEMM.availableBackends() {
            let a = Matrix(rows: 3, cols: 0), b = Matrix(rows: 0, cols: 4)
            let c = Matrix(rows: 3, cols: 4)
            c.fill(2)
            Matrix.gemm(a, b, into: c, alpha: 1, beta: 0.5, backend: backend)
            XCTAssertEqual(c.toArray(), [Float](repeating: 1, count: 12), backend.name)
        }
    }

    func testBuiltinResultDoesNotDependOnThreadCount() {
        var rng = SplitMix64(seed: 13)
        let a = Matrix(rows: 200, cols: 300), b = Matrix(rows: 300, cols: 90)
        for i in 0..<a.count { a.data[i] = rng.nextFloat() - 0.5 }
        for i in 0..<b.count { b.data[i] = rng.nextFloat() - 0.5 }
        let c1 = Matrix(rows: 200, cols: 90), c2 = Matrix(rows: 200, cols: 90)
        Matrix.gemm(a, b, into: c1, backend: BuiltinGEMM(), threads: 1)
        Matrix.gemm(a, b, into: c2, backend: BuiltinGEMM(), threads: 2)
        XCTAssertEqual(c1.toArray(), c2.toArray())
    }

    func testBackendChoiceFollowsEnvironmentNames() {
        let names = GEMM.availableBackends().map(\.name)
        XCTAssertEqual(names.last, "builtin")
        XCTAssertTrue(names.contains(GEMM.backend.name))
        if ProcessInfo.processInfo.environment["DROPOUTNET_BLAS"] == "builtin" {
            XCTAssertEqual(GEMM.backend.name, "builtin")
        }
    }
}
