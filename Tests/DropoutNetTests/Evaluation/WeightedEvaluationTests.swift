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

    private static func sideBySide(_ a: Matrix, _ b: Matrix) -> Matrix {
        let out = Matrix(rows: a.rows, cols: a.cols + b.cols)
        for r in 0..<a.rows {
            out.row(r).update(from: a.row(r), count: a.cols)
            (out.row(r) + a.cols).update(from: b.row(r), count: b.cols)
        }
        return out
    }
}
