import XCTest
import Numerics

/// The ALS steps' direct solver.
final class CholeskyTests: XCTestCase {
    /// Gaussian elimination with partial pivoting in Double: the reference the Float Cholesky
    /// solve is checked against.
    private func directSolve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = a, x = b
        let n = b.count
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p); x.swapAt(c, p)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                for j in c..<n { m[r][j] -= f * m[c][j] }
                x[r] -= f * x[c]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = x[r]
            for j in (r + 1)..<n { s -= m[r][j] * x[j] }
            x[r] = s / m[r][r]
        }
        return x
    }

    func testCholeskySolveMatchesDirectSolve() {
        var rng = SplitMix64(seed: 7)
        for k in [1, 7, 33, 64] {
            // A = BᵀB + I, symmetric positive definite like an ALS system.
            let b = (0..<(k + 5)).map { _ in (0..<k).map { _ in Double(rng.nextGaussian()) } }
            var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for i in 0..<k { for j in 0..<k { a[i][j] = (i == j ? 1 : 0) + b.reduce(0) { $0 + $1[i] * $1[j] } } }
            let rhs = (0..<k).map { _ in Double(rng.nextGaussian()) }
            let expected = directSolve(a, rhs)

            var flat = a.flatMap { $0.map(Float.init) }
            var x = rhs.map(Float.init)
            flat.withUnsafeMutableBufferPointer { l in
                Cholesky.factor(l.baseAddress!, k)
                x.withUnsafeMutableBufferPointer { Cholesky.solve(l.baseAddress!, $0.baseAddress!, k) }
            }
            let scale = expected.map(abs).max()!
            for i in 0..<k {
                XCTAssertEqual(Double(x[i]), expected[i], accuracy: 1e-3 * max(scale, 1), "k=\(k) component \(i)")
            }
        }
    }
}
