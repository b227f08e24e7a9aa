import XCTest
import Numerics

final class TopKTests: XCTestCase {
    /// The specification: a full sort by (score descending, index ascending), masked entries dropped.
    func expected(_ scores: [Float], k: Int) -> [(Int, Float)] {
        let kept = scores.enumerated().filter { $0.element > -.infinity }
        let sorted = kept.sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
        return sorted.prefix(k).map { ($0.offset, $0.element) }
    }

    func testMatchesFullSortWithTiesAndMasks() {
        var rng = SplitMix64(seed: 5)
        for trial in 0..<200 {
            let n = rng.nextInt(below: 300)
            // Few distinct levels, so ties are everywhere; some entries masked with -inf, some NaN.
            let scores: [Float] = (0..<n).map { _ in
                let u = rng.nextInt(below: 20)
                if u == 0 { return -.infinity }
                if u == 1 && trial % 2 == 0 { return .nan }
                return Float(rng.nextInt(below: 8)) - 3
            }
            for k in [0, 1, 3, 10, 50, n, n + 5] {
                let got = TopK.select(scores, k: k)
                let want = expected(scores, k: k)
                XCTAssertEqual(got.map(\.index), want.map(\.0), "n=\(n) k=\(k)")
                XCTAssertEqual(got.map(\.score), want.map(\.1), "n=\(n) k=\(k)")
            }
        }
    }

    func testRowsVersionAgreesAndFillsShortRows() {
        var rng = SplitMix64(seed: 6)
        let rows = 37, cols = 500, k = 20
        let m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.count { m.data[i] = Float(rng.nextInt(below: 50)) }
        for c in 5..<cols { m[3, c] = -.infinity }     // row 3 has only 5 selectable items
        var idx = [Int32](repeating: 0, count: rows * k)
        var val = [Float](repeating: 0, count: rows * k)
        var counts = [Int](repeating: 0, count: rows)
        TopK.selectRows(m, k: k, indices: &idx, values: &val, counts: &counts, threads: 2)
        for r in 0..<rows {
            let want = expected(m.rowArray(r), k: k)
            XCTAssertEqual(counts[r], want.count)
            XCTAssertEqual(Array(idx[r * k ..< r * k + want.count]).map(Int.init), want.map(\.0), "row \(r)")
            XCTAssertEqual(Array(val[r * k ..< r * k + want.count]), want.map(\.1), "row \(r)")
        }
        XCTAssertEqual(counts[3], 5)
        XCTAssertEqual(idx[3 * k + 5], -1)
        XCTAssertEqual(val[3 * k + 5], -.infinity)
    }
}
