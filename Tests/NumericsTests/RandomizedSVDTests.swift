import Numerics
import XCTest

final class RandomizedSVDTests: XCTestCase {
    /// `count` orthonormal columns of length `n` (Gram–Schmidt in Double of Gaussian vectors),
    /// as column arrays.
    private func orthonormalColumns(_ n: Int, _ count: Int, rng: inout SplitMix64) -> [[Double]] {
        var cols: [[Double]] = []
        while cols.count < count {
            var v = (0..<n).map { _ in Double(rng.nextGaussian()) }
            for _ in 0..<2 {
                for c in cols {
                    let dot = zip(v, c).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<n { v[i] -= dot * c[i] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            cols.append(v.map { $0 / norm })
        }
        return cols
    }

    /// A = U·diag(s)·Vᵀ with known orthonormal U (m × r) and V (n × r).
    private func known(m: Int, n: Int, s: [Double], seed: UInt64) -> (a: Matrix, v: [[Double]]) {
        var rng = SplitMix64(seed: seed)
        let u = orthonormalColumns(m, s.count, rng: &rng), v = orthonormalColumns(n, s.count, rng: &rng)
        let a = Matrix(rows: m, cols: n)
        for i in 0..<m {
            for j in 0..<n {
                var x = 0.0
                for t in 0..<s.count { x += u[t][i] * s[t] * v[t][j] }
                a[i, j] = Float(x)
            }
        }
        return (a, v)
    }

    private func column(_ m: Matrix, _ j: Int) -> [Double] { (0..<m.rows).map { Double(m[$0, j]) } }

    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    private func sparse(_ a: Matrix) -> SparseMatrix {
        SparseMatrix(rows: a.rows, cols: a.cols, entries: (0..<a.rows).map { r in (0..<a.cols).map { (Int($0), a[r, $0]) } })
    }

    /// Both solvers — the built-in one and, where OpenBLAS is on the machine, its LAPACK —
    /// recover a known spectrum from the lower triangle alone.
    func testSymmetricEigenRecoversAKnownSpectrum() throws {
        var rng = SplitMix64(seed: 5)
        let n = 40
        let q = orthonormalColumns(n, n, rng: &rng)
        // Repeated, negative and zero eigenvalues included.
        let lambda = (0..<n).map { i -> Double in i < 3 ? 7 : Double(20 - i) / 3 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for t in 0..<n { a[i * n + j] += q[t][i] * lambda[t] * q[t][j] } } }
        // Only the lower triangle may be read: the upper one holds nonsense.
        var lower = a
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { lower[i * n + j] = 1e6 } }
        var solvers: [(String, OpenBLAS?)] = [("built-in", nil)]
        if let library = OpenBLAS.load(), library.hasSymmetricEigen { solvers.append(("LAPACK", library)) }
        else { print("OpenBLAS with LAPACK not on this machine: only the built-in eigensolver is checked") }
        for (name, lapack) in solvers {
            let e = SymmetricEigen(symmetric: lower, n: n, lapack: lapack)
            let want = lambda.sorted(by: >)
            for i in 0..<n { XCTAssertEqual(e.values[i], want[i], accuracy: 1e-10, name) }
            for i in 0..<n {
                let v = Array(e.vector(i))
                XCTAssertEqual(dot(v, v), 1, accuracy: 1e-10, name)
                // A·v = λ·v
                for r in 0..<n {
                    let av = (0..<n).reduce(0.0) { $0 + a[r * n + $1] * v[$1] }
                    XCTAssertEqual(av, e.values[i] * v[r], accuracy: 1e-9, name)
                }
                for j in 0..<i { XCTAssertEqual(dot(v, Array(e.vector(j))), 0, accuracy: 1e-10, name) }
            }
        }
    }

    func testOrthonormalBasisRevealsRank() {
        let (a, _) = known(m: 120, n: 9, s: [5, 3, 2, 1, 0.5], seed: 3)   // rank 5, 9 columns
        let q = Orthonormal.basis(of: a)
        XCTAssertEqual(q.cols, 5)
        let gram = Matrix.product(q, transposeA: true, q)
        for i in 0..<q.cols { for j in 0..<q.cols { XCTAssertEqual(gram[i, j], i == j ? 1 : 0, accuracy: 1e-4) } }
        XCTAssertEqual(Orthonormal.basis(of: Matrix(rows: 10, cols: 3)).cols, 0, "a zero matrix has an empty basis")
    }

    func testRecoversAKnownFactorisation() {
        let s: [Double] = [20, 15, 11, 8, 6, 4.5, 3, 2, 1.5, 1, 0.7, 0.5]
        let (a, v) = known(m: 300, n: 200, s: s, seed: 11)
        for op in [a as LinearOperator, SparseRows(sparse(a), rows: (0..<300).map(Int32.init))] {
            let svd = RandomizedSVD(op, rank: 8, seed: 1)
            for i in 0..<8 {
                XCTAssertEqual(Double(svd.singularValues[i]), s[i], accuracy: 1e-3 * s[i], "σ\(i + 1)")
                // The same direction as the known right singular vector (up to sign) …
                XCTAssertGreaterThan(abs(dot(column(svd.rightVectors, i), v[i])), 1 - 1e-4, "v\(i + 1)")
            }
            // … and the columns orthonormal.
            let gram = Matrix.product(svd.rightVectors, transposeA: true, svd.rightVectors)
            for i in 0..<8 { for j in 0..<8 { XCTAssertEqual(gram[i, j], i == j ? 1 : 0, accuracy: 1e-4) } }
        }
    }

    func testRankBeyondTheMatrixGivesZeros() {
        let s: [Double] = [4, 2, 1]
        let (a, v) = known(m: 60, n: 50, s: s, seed: 2)
        let svd = RandomizedSVD(a, rank: 6, seed: 9)
        for i in 0..<3 {
            XCTAssertEqual(Double(svd.singularValues[i]), s[i], accuracy: 1e-3 * s[i])
            XCTAssertGreaterThan(abs(dot(column(svd.rightVectors, i), v[i])), 1 - 1e-4)
        }
        for i in 3..<6 {
            XCTAssertEqual(svd.singularValues[i], 0)
            XCTAssertEqual(column(svd.rightVectors, i).map(abs).max(), 0)
        }
    }

    func testFitsOnlyTheGivenRows() {
        // Rows 0..<100 are A; rows 100..<130 are large and unrelated. Fitting on the first
        // 100 rows must give A's factorisation, whatever the other rows hold.
        let s: [Double] = [9, 5, 3, 2]
        let (a, v) = known(m: 100, n: 40, s: s, seed: 4)
        var rng = SplitMix64(seed: 6)
        let entries: [[(Int, Float)]] = (0..<130).map { r in
            (0..<40).map { c in (c, r < 100 ? a[r, c] : 100 * rng.nextGaussian()) }
        }
        let all = SparseMatrix(rows: 130, cols: 40, entries: entries)
        let svd = RandomizedSVD(SparseRows(all, rows: (0..<100).map(Int32.init)), rank: 4, seed: 3)
        for i in 0..<4 {
            XCTAssertEqual(Double(svd.singularValues[i]), s[i], accuracy: 1e-3 * s[i])
            XCTAssertGreaterThan(abs(dot(column(svd.rightVectors, i), v[i])), 1 - 1e-4)
        }
    }

    func testDeterministicForASeedAndSignFixed() {
        var rng = SplitMix64(seed: 12)
        let a = Matrix(rows: 150, cols: 90)
        for i in 0..<a.count { a.data[i] = rng.nextFloat() < 0.1 ? rng.nextFloat() : 0 }
        let op = SparseRows(sparse(a), rows: (0..<150).map(Int32.init))
        let first = RandomizedSVD(op, rank: 10, seed: 7), again = RandomizedSVD(op, rank: 10, seed: 7)
        XCTAssertEqual(first.singularValues, again.singularValues)
        XCTAssertEqual(first.rightVectors.toArray(), again.rightVectors.toArray())
        // Another seed: the same leading singular value; each vector's largest entry positive.
        let other = RandomizedSVD(op, rank: 10, seed: 8)
        XCTAssertEqual(other.singularValues[0], first.singularValues[0], accuracy: 1e-3 * first.singularValues[0])
        for j in 0..<10 {
            let c = column(first.rightVectors, j)
            XCTAssertEqual(c.max()!, c.map(abs).max()!)
        }
    }
}
