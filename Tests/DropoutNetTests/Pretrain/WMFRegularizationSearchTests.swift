import Numerics
import XCTest
@testable import DropoutNet

/// `wmf.reg_search = holdout`: WMF's λ chosen by recall on held-out training positives.
final class WMFRegularizationSearchTests: XCTestCase {
    /// Users and items in 5 taste groups; each user has `perUser` random positives in its group.
    private func positives(users: Int = 300, items: Int = 200, perUser: Int, seed: UInt64) -> SparseMatrix {
        var rng = SplitMix64(seed: seed)
        let entries: [[(Int, Float)]] = (0..<users).map { u in
            var seen = Set<Int>()
            while seen.count < perUser { seen.insert((rng.nextInt(below: items / 5)) * 5 + u % 5) }
            return seen.map { ($0, 1) }
        }
        return SparseMatrix(rows: users, cols: items, entries: entries)
    }

    func testTheSplitHoldsOutATenthAndKeepsEveryUser() {
        let r = positives(perUser: 10, seed: 1)
        let (fit, held) = WMFRegularizationSearch.split(r, seed: 2)
        let heldCount = held.reduce(0) { $0 + $1.count }
        XCTAssertEqual(fit.nonZeroCount + heldCount, r.nonZeroCount)
        XCTAssertEqual(Double(heldCount) / Double(r.nonZeroCount), 0.1, accuracy: 0.03)
        for u in 0..<r.rows {
            XCTAssertGreaterThan(fit.rowPointers[u + 1] - fit.rowPointers[u], 0, "user \(u) keeps a positive")
            let kept = Set(fit.columnIndices[fit.rowPointers[u]..<fit.rowPointers[u + 1]])
            XCTAssertTrue(kept.isDisjoint(with: held[u]))
            XCTAssertEqual(kept.union(held[u]), Set(r.columnIndices[r.rowPointers[u]..<r.rowPointers[u + 1]]))
        }
        XCTAssertEqual(WMFRegularizationSearch.split(r, seed: 2).held, held, "seeded")
    }

    /// A wide WMF at a tiny λ memorises a sparse world; the search picks a larger λ, and that λ
    /// also ranks a *separate* draw of each user's in-group items better than the tiny one.
    func testASparseWorldGetsALargerRidgeThatGeneralises() throws {
        let train = positives(perUser: 6, seed: 3)
        var options = WMFOptions(rank: 32, regularization: 0.05, alpha: 10, iterations: 6, seed: 4, threads: 1)
        let outcome = try XCTUnwrap(try WMFRegularizationSearch.choose(train, options: options, seed: 5))
        XCTAssertEqual(Array(outcome.recalls.map(\.lambda).prefix(4)), WMFRegularizationSearch.multipliers.map { $0 * 0.05 })
        for i in 4..<max(4, outcome.recalls.count) {
            let r = outcome.recalls.map(\.recall)
            XCTAssertGreaterThan(r[i - 1], r[..<(i - 1)].max()!, "extended only while the top was best: \(outcome.recalls)")
            XCTAssertEqual(outcome.recalls[i].lambda, outcome.recalls[i - 1].lambda * 4)
        }
        XCTAssertEqual(outcome.recalls.first { $0.lambda == outcome.chosen }?.recall, outcome.recalls.map(\.recall).max())
        XCTAssertGreaterThan(outcome.chosen, 0.05, "tried: \(outcome.recalls)")
        // Fresh positives of the same tastes, never seen by any fit.
        let test = positives(perUser: 6, seed: 99)
        var held = [[Int32]](repeating: [], count: test.rows)
        for u in 0..<test.rows {
            let known = Set(train.columnIndices[train.rowPointers[u]..<train.rowPointers[u + 1]])
            held[u] = test.columnIndices[test.rowPointers[u]..<test.rowPointers[u + 1]].filter { !known.contains($0) }
        }
        let users = held.indices.filter { !held[$0].isEmpty }
        func testRecall(_ lambda: Float) throws -> Double {
            options.regularization = lambda
            return WMFRegularizationSearch.recall(try WMF.fit(train, options: options), fit: train, held: held, users: users, k: 20)
        }
        XCTAssertGreaterThan(try testRecall(outcome.chosen), try testRecall(0.05))
    }

    func testTooFewPositivesToHoldOutSkipTheSearch() throws {
        let r = SparseMatrix(rows: 3, cols: 4, entries: [[(0, 1), (1, 1)], [(2, 1)], [(3, 1)]])
        XCTAssertNil(try WMFRegularizationSearch.choose(r, options: WMFOptions(rank: 2, iterations: 2), seed: 1))
    }
}
