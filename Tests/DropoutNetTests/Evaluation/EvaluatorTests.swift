import XCTest
import Foundation
import Numerics
import DropoutNet

final class EvaluatorTests: XCTestCase {
    /// Items on a line: item i has score (for the single user, embedding [1]) of −i, so the
    /// ranking is item 0, 1, 2, … and every metric has a value we can work out by hand.
    private func lineWorld(items: Int) -> (Matrix, Matrix) {
        let users = Matrix(rows: 1, cols: 1)
        users.fill(1)
        let v = Matrix(rows: items, cols: 1)
        for i in 0..<items { v[i, 0] = Float(-i) }
        return (users, v)
    }

    func testMetricsMatchHandComputedValues() throws {
        let (u, v) = lineWorld(items: 10)
        let target = EvaluationTarget(name: "warm", heldOut: [0: [1, 3]], candidates: nil)
        let evaluator = Evaluator(targets: [target], ks: [1, 3, 5], itemCount: 10)
        let m = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v))
        // Ranking 0,1,2,3,…: hits at positions 1 and 3 (0-based).
        XCTAssertEqual(m.recall(at: 1)!, 0, accuracy: 1e-12)
        XCTAssertEqual(m.recall(at: 3)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.recall(at: 5)!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(m.value("precision", at: 5)!, 0.4, accuracy: 1e-12)
        XCTAssertEqual(m.value("hit_rate", at: 1)!, 0, accuracy: 1e-12)
        XCTAssertEqual(m.value("hit_rate", at: 3)!, 1, accuracy: 1e-12)
        let dcg = 1 / log2(3.0) + 1 / log2(5.0)
        let idcg = 1 + 1 / log2(3.0)
        XCTAssertEqual(m.value("ndcg", at: 5)!, dcg / idcg, accuracy: 1e-12)
    }

    /// Three users on the line world, held out so that their recall@3 is 1, 1/2 and 0: the
    /// mean is 1/2 and the standard error of that mean √(var/n) with the sample variance
    /// (1/4 + 0 + 1/4)/2 = 1/4, so √(1/12). `--json` prints it beside the recall.
    func testRecallCarriesItsStandardErrorOverUsers() throws {
        let users = Matrix(rows: 3, cols: 1)
        users.fill(1)
        let (_, v) = lineWorld(items: 10)
        let target = EvaluationTarget(name: "warm", heldOut: [0: [0, 2], 1: [1, 7], 2: [8, 9]], candidates: nil)
        let m = try XCTUnwrap(Evaluator(targets: [target], ks: [3], itemCount: 10).evaluate(target, userEmbeddings: users, itemEmbeddings: v))
        XCTAssertEqual(m.recall(at: 3)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.recallStandardError(at: 3)!, (1.0 / 12).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(m.recallStandardError(at: 20), "K not evaluated")
        XCTAssertEqual(MetricValues(m).values["recall_se@3"] ?? nil, (1.0 / 12).squareRoot())
        // Metrics stored before the standard error decode with none.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as! [String: Any]
        json["recallStandardError"] = nil
        let old = try JSONDecoder().decode(SplitMetrics.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old.recall, m.recall)
        XCTAssertNil(old.recallStandardError(at: 3))
    }

    func testExcludedItemsAreNeverRecommended() throws {
        let (u, v) = lineWorld(items: 10)
        // Items 0 and 1 are training positives: masked, so held-out item 2 becomes the top-1.
        let target = EvaluationTarget(name: "warm", heldOut: [0: [2]], exclude: [0: [0, 1]], candidates: nil)
        let m = try XCTUnwrap(Evaluator(targets: [target], ks: [1], itemCount: 10).evaluate(target, userEmbeddings: u, itemEmbeddings: v))
        XCTAssertEqual(m.recall(at: 1)!, 1, accuracy: 1e-12)
    }

    func testCandidatesRestrictTheCompetition() throws {
        let (u, v) = lineWorld(items: 10)
        // Among candidates {7, 8, 9}, item 8 is second best.
        let target = EvaluationTarget(name: "cold_item", heldOut: [0: [8]], candidates: [7, 8, 9])
        let m = try XCTUnwrap(Evaluator(targets: [target], ks: [1, 2], itemCount: 10).evaluate(target, userEmbeddings: u, itemEmbeddings: v))
        XCTAssertEqual(m.recall(at: 1)!, 0, accuracy: 1e-12)
        XCTAssertEqual(m.recall(at: 2)!, 1, accuracy: 1e-12)
    }

    func testSplitWithoutUsersIsNilNotZero() {
        let (u, v) = lineWorld(items: 4)
        let empty = EvaluationTarget(name: "cold_user", heldOut: [:], candidates: nil)
        let report = Evaluator(targets: [empty], ks: [20], itemCount: 4).evaluate(userEmbeddings: u, itemEmbeddings: v)
        XCTAssertEqual(report.order, ["cold_user"])
        XCTAssertNil(report["cold_user"])
    }

    /// Planted structure: users and items in 8 clusters; every held-out item is in the user's
    /// cluster, so perfect embeddings give recall 1 and random ones about chance.
    func testPlantedClustersAndThreadIndependence() throws {
        var rng = SplitMix64(seed: 3)
        let usersN = 700, itemsN = 400, clusters = 8, dim = 8
        let u = Matrix(rows: usersN, cols: dim), v = Matrix(rows: itemsN, cols: dim)
        for i in 0..<itemsN { v[i, i % clusters] = 1 + 0.01 * rng.nextFloat() }
        var heldOut: [Int32: [Int32]] = [:]
        for x in 0..<usersN {
            let c = x % clusters
            u[x, c] = 1
            heldOut[Int32(x)] = (0..<3).map { _ in Int32(c + clusters * rng.nextInt(below: itemsN / clusters)) }
        }
        let target = EvaluationTarget(name: "warm", heldOut: heldOut, candidates: nil)
        let evaluator = Evaluator(targets: [target], ks: [50, 10], itemCount: itemsN)
        XCTAssertEqual(evaluator.ks, [10, 50])
        evaluator.threads = 1
        let one = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v))
        evaluator.threads = 2
        evaluator.blockSize = 64
        let two = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v))
        XCTAssertEqual(one.users, usersN)
        XCTAssertEqual(one.recall(at: 50)!, 1, accuracy: 1e-9, "each cluster has 50 items: all held-out items fit in the top 50")
        XCTAssertEqual(one.recall(at: 10)!, two.recall(at: 10)!, accuracy: 1e-12)
        XCTAssertEqual(one.value("ndcg", at: 50)!, two.value("ndcg", at: 50)!, accuracy: 1e-12)

        // Popularity (all items equally popular here) is far worse than the planted embeddings.
        let pop = PopularityBaseline.embeddings(userCount: usersN, itemPositiveCounts: Array(repeating: 1, count: itemsN))
        let p = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: pop.users, itemEmbeddings: pop.items))
        XCTAssertLessThan(p.recall(at: 10)!, 0.1)
    }
}
