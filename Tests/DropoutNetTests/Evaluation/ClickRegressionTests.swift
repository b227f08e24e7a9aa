import Numerics
import XCTest
@testable import DropoutNet

/// `ClickRegression`'s normal equations: the Gram matrix it takes from the GEMM in chunks of
/// rows is the one a row-by-row sum in Double gives.
final class ClickRegressionTests: XCTestCase {
    func testTheGramMatrixOverSomeRowsMatchesARowByRowSum() {
        var rng = SplitMix64(seed: 9)
        let z = Matrix(rows: 1_300, cols: 7)
        for i in 0..<z.count { z.data[i] = rng.nextFloat() - 0.5 }
        // Three chunks, the last one partial, and rows left out and out of order.
        let rows = (0..<z.rows).filter { $0 % 7 != 3 }.reversed().map { $0 }
        XCTAssertGreaterThan(rows.count, 2 * ClickRegression.gramChunk)
        let gram = ClickRegression.gram(z, rows: rows)
        for a in 0..<z.cols {
            for b in 0..<z.cols {
                let want = rows.reduce(0.0) { $0 + Double(z[$1, a]) * Double(z[$1, b]) }
                XCTAssertEqual(gram[a * z.cols + b], want, accuracy: 1e-4 * max(abs(want), 1), "(\(a), \(b))")
            }
        }
        XCTAssertEqual(ClickRegression.gram(z, rows: []), [Double](repeating: 0, count: 49), "no rows, a zero matrix")
    }
}
