import XCTest
import Numerics
import DropoutNet

/// Every candidate weight of a scoring prior in one pass
/// (`Evaluator.evaluate(_:userEmbeddings:itemEmbeddings:priorUser:priorItems:weights:)`)
/// ranks as scoring each weight's side-by-side columns on its own does.
final class WeightedEvaluationTests: XCTestCase {
    /// Small integers and weights that are powers of two: every score is exact both ways, so the
    /// rankings (ties to the lower index included) must be identical, not merely close.
    func testEachWeightRanksAsItsOwnColumnsDo() throws {
        var rng = SplitMix64(seed: 17)
        let users = 700, items = 1300, dim = 6, priorDim = 3
        func integers(_ rows: Int, _ cols: Int) -> Matrix {
            Matrix(rows: rows, cols: cols, values: (0..<rows * cols).map { _ in Float(rng.nextInt(below: 9)) - 4 })
        }
        let u = integers(users, dim), v = integers(items, dim), pu = integers(users, priorDim), pv = integers(items, priorDim)
        var heldOut: [Int32: [Int32]] = [:], exclude: [Int32: [Int32]] = [:]
        for user in 0..<users where user % 3 != 0 {
            heldOut[Int32(user)] = (0..<4).map { _ in Int32(rng.nextInt(below: items)) }
            exclude[Int32(user)] = (0..<5).map { _ in Int32(rng.nextInt(below: items)) }
        }
        let everyItem = EvaluationTarget(name: "warm", heldOut: heldOut, exclude: exclude, candidates: nil)
        let someItems = EvaluationTarget(name: "cold_item", heldOut: heldOut, exclude: exclude,
                                         candidates: (0..<Int32(items)).filter { $0 % 4 != 1 })
        let weights: [Float] = [0, 0.5, 2, 8]
        let evaluator = Evaluator(targets: [everyItem, someItems], ks: [5, 20], itemCount: items)
        for target in [everyItem, someItems] {
            let together = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v,
                                              priorUser: { user, row in row.update(from: pu.row(user), count: priorDim) },
                                              priorItems: pv, weights: weights)
            XCTAssertEqual(together.count, weights.count)
            for (w, metrics) in zip(weights, together) {
                let scaled = Matrix(rows: users, cols: priorDim, values: pu.toArray().map { $0 * w })
                let alone = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: Self.sideBySide(u, scaled), itemEmbeddings: Self.sideBySide(v, pv)))
                let got = try XCTUnwrap(metrics)
                XCTAssertEqual(got.users, alone.users)
                for k in [5, 20] {
                    XCTAssertEqual(got.recall(at: k), alone.recall(at: k), "\(target.name), weight \(w), recall@\(k)")
                    XCTAssertEqual(got.value("ndcg", at: k), alone.value("ndcg", at: k), "\(target.name), weight \(w), ndcg@\(k)")
                }
            }
            // The weights matter here: the heaviest ranks differently from the model alone.
            XCTAssertNotEqual(together.first??.value("ndcg", at: 20), together.last??.value("ndcg", at: 20))
        }
    }

    /// `userRecalls` gives each user's own recall@K, in `target.users` order, for every weight:
    /// a brute-force ranking of the same scores agrees user by user, and the users' mean is the
    /// split's recall from the one-pass evaluation (`WarmPrior.choose` compares candidates on it).
    func testEachUsersRecallIsOneTermOfTheSplitsRecall() throws {
        var rng = SplitMix64(seed: 5)
        let users = 60, items = 90, dim = 4, k = 10
        func random(_ rows: Int, _ cols: Int) -> Matrix {
            Matrix(rows: rows, cols: cols, values: (0..<rows * cols).map { _ in rng.nextFloat() * 2 - 1 })
        }
        let u = random(users, dim), v = random(items, dim), pu = random(users, 1), pv = random(items, 1)
        var heldOut: [Int32: [Int32]] = [:], exclude: [Int32: [Int32]] = [:]
        for user in 0..<users where user % 4 != 0 {
            heldOut[Int32(user)] = Array(Set((0..<(1 + user % 5)).map { _ in Int32(rng.nextInt(below: items)) })).sorted()
            exclude[Int32(user)] = [Int32(rng.nextInt(below: items))].filter { !heldOut[Int32(user)]!.contains($0) }
        }
        let target = EvaluationTarget(name: "validation_warm", heldOut: heldOut, exclude: exclude, candidates: nil)
        let evaluator = Evaluator(targets: [target], ks: [k, 20], itemCount: items)
        let weights: [Float] = [0, 1, 4]
        let prior: (Int, UnsafeMutablePointer<Float>) -> Void = { user, row in row[0] = pu[user, 0] }
        let perUser = evaluator.userRecalls(target, userEmbeddings: u, itemEmbeddings: v, priorUser: prior, priorItems: pv,
                                            weights: weights, k: k)
        let splits = evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v, priorUser: prior, priorItems: pv, weights: weights)
        XCTAssertEqual(perUser.map(\.count), weights.map { _ in target.userCount })
        for (n, w) in weights.enumerated() {
            for (i, user) in target.users.enumerated() {
                let excluded = Set(target.excluded(ofUserAt: i)), held = Set(target.heldOut(ofUserAt: i))
                let score = { (item: Int) -> Float in
                    (0..<dim).reduce(0) { $0 + u[Int(user), $1] * v[item, $1] } + w * pu[Int(user), 0] * pv[item, 0]
                }
                let top = (0..<items).filter { !excluded.contains(Int32($0)) }.sorted { score($0) > score($1) }.prefix(k)
                let expected = Double(top.filter { held.contains(Int32($0)) }.count) / Double(held.count)
                XCTAssertEqual(perUser[n][i], expected, accuracy: 1e-12, "weight \(w), user \(user)")
            }
            let mean = perUser[n].reduce(0, +) / Double(perUser[n].count)
            XCTAssertEqual(mean, try XCTUnwrap(splits[n]?.recall(at: k)), accuracy: 1e-12)
        }
        XCTAssertNotEqual(perUser[0], perUser[2], "the prior's weight changes some user's recall")
        XCTAssertEqual(evaluator.userRecalls(target, userEmbeddings: u, itemEmbeddings: v, priorUser: prior, priorItems: pv,
                                             weights: weights, k: 7), [[], [], []], "7 is not a cut-off of the evaluator")
    }

    private static func sideBySide(_ a: Matrix, _ b: Matrix) -> Matrix {
        let out = Matrix(rows: a.rows, cols: a.cols + b.cols)
        for r in 0..<a.rows {
            out.row(r).update(from: a.row(r), count: a.cols)
            (out.row(r) + a.cols).update(from: b.row(r), count: b.cols)
        }
        return out
    }
}
