import XCTest
import Numerics

final class ReductionTests: XCTestCase {
    func testRowNormsAndNormalisation() {
        let m = Matrix([[3, 4, 0], [0, 0, 0], [1, 1, 1]])
        var norms = [Float](repeating: 0, count: 3)
        m.rowNorms(into: &norms)
        XCTAssertEqual(norms[0], 5, accuracy: 1e-6)
        XCTAssertEqual(norms[1], 0)
        XCTAssertEqual(norms[2], Float(3).squareRoot(), accuracy: 1e-6)
        m.normalizeRows(norms: &norms)
        XCTAssertEqual(m.rowArray(0), [0.6, 0.8, 0])
        XCTAssertEqual(m.rowArray(1), [0, 0, 0], "an all-zero row stays zero, not NaN")
        var after = [Float](repeating: 0, count: 3)
        m.rowNorms(into: &after)
        XCTAssertEqual(after[2], 1, accuracy: 1e-6)
    }

    func testColumnSumsAndMeans() {
        let cols = 19
        let m = Matrix(rows: 5, cols: cols)
        for r in 0..<5 { for c in 0..<cols { m[r, c] = Float(r * cols + c) } }
        var sums = [Float](repeating: -1, count: cols)
        m.columnSums(into: &sums)
        for c in 0..<cols { XCTAssertEqual(sums[c], Float((0..<5).map { $0 * cols + c }.reduce(0, +))) }
        var means = [Float](repeating: -1, count: cols)
        m.columnMeans(into: &means)
        for c in 0..<cols { XCTAssertEqual(means[c], sums[c] / 5, accuracy: 1e-5) }
    }

    func testMatrixConveniencesWorkInPlace() {
        let m = Matrix([[-1, 2], [3, -4]])
        m.relu(into: m)
        XCTAssertEqual(m.toArray(), [0, 2, 3, 0])
        m.addToRows([1, -1])
        XCTAssertEqual(m.toArray(), [1, 1, 4, -1])
        let s = Matrix(rows: 2, cols: 2)
        m.softmaxRows(into: s)
        XCTAssertEqual(s[0, 0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(s[1, 0] + s[1, 1], 1, accuracy: 1e-6)
    }
}
