import XCTest
import Numerics

/// The fused scorer's top-K is exactly the full sort of each user's scores — descending, ties to
/// the lower item, masked items never — whatever the block, tile and catalogue sizes.
final class TopKScorerTests: XCTestCase {
    func testMatchesAFullSortOfTheScoresWithTiesMasksAndRaggedShapes() {
        var rng = SplitMix64(seed: 9)
        // Item counts around the tile and panel widths; user counts around the 6-row panels.
        for (users, items, dim, k) in [(1, 1, 1, 1), (7, 130, 3, 5), (13, 300, 8, 40), (6, 16, 4, 16), (20, 257, 5, 300), (5, 1100, 17, 3), (9, 1500, 6, 60)] {
            // Small integer embeddings: every dot product is exact, and ties are everywhere.
            let u = Matrix(rows: users, cols: dim), v = Matrix(rows: items, cols: dim)
            for i in 0..<u.count { u.data[i] = Float(rng.nextInt(below: 3)) - 1 }
            for i in 0..<v.count { v.data[i] = Float(rng.nextInt(below: 3)) - 1 }
            var masks: [[Int32]] = (0..<users).map { _ in
                Array(Set((0..<rng.nextInt(below: 6)).map { _ in Int32(rng.nextInt(below: items)) })).sorted()
            }
            masks[0] = []
            let columns = masks.flatMap { $0 }
            var offsets = [0]
            for m in masks { offsets.append(offsets.last! + m.count) }

            let scorer = TopKScorer(items: v, maxRows: users + 2, k: k)
            columns.withUnsafeBufferPointer { c in
                offsets.withUnsafeBufferPointer { o in
                    scorer.score(users: u.data, stride: dim, count: users, maskColumns: c.baseAddress, maskOffsets: o.baseAddress)
                }
            }
            for r in 0..<users {
                var scores = (0..<items).map { j in (0..<dim).reduce(Float(0)) { $0 + u[r, $1] * v[j, $1] } }
                for j in masks[r] { scores[Int(j)] = -.infinity }
                let want = scores.enumerated().filter { $0.element > -.infinity }
                    .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }.prefix(k)
                let got = scorer.result(r)
                XCTAssertEqual(got.indices.map(Int.init), want.map(\.offset), "users \(users) items \(items) row \(r)")
                XCTAssertEqual(Array(got.values), want.map(\.element))
            }
        }
    }

    /// Scores rising along the catalogue beat every threshold (the candidates are cut back over
    /// and over), falling ones are rejected almost at once; both give the full sort's top-K.
    func testRisingAndFallingScoresAcrossManyCutBacks() {
        let items = 3000, k = 50
        let v = Matrix(rows: items, cols: 2, values: (0..<items).flatMap { [Float($0) / Float(items), 1] })
        let u = Matrix(rows: 3, cols: 2, values: [1, 0, -1, 0, 0, 1])
        let scorer = TopKScorer(items: v, maxRows: 3, k: k)
        scorer.score(users: u.data, stride: 2, count: 3)
        XCTAssertEqual(scorer.result(0).indices.map(Int.init), Array((items - k ..< items).reversed()), "rising")
        XCTAssertEqual(scorer.result(1).indices.map(Int.init), Array(0..<k), "falling")
        XCTAssertEqual(scorer.result(2).indices.map(Int.init), Array(0..<k), "all tied: the lowest indices")
    }

    func testAScorerIsReusedAcrossBlocks() {
        let v = Matrix(rows: 40, cols: 2, values: (0..<80).map { Float($0 % 7) })
        let scorer = TopKScorer(items: v, maxRows: 4, k: 3)
        let a = Matrix(rows: 1, cols: 2, values: [1, 0]), b = Matrix(rows: 1, cols: 2, values: [0, -1])
        scorer.score(users: a.data, stride: 2, count: 1)
        let first = Array(scorer.result(0).indices)
        scorer.score(users: b.data, stride: 2, count: 1)
        scorer.score(users: a.data, stride: 2, count: 1)
        XCTAssertEqual(Array(scorer.result(0).indices), first, "no state carries over from an earlier block")
        XCTAssertNotEqual(first, [])
    }
}
