import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

final class TwoTowerModelTests: XCTestCase {
    func settings() -> Settings {
        var s = TrainingFixture.settings()
        s.activation = .tanh   // smooth, so finite differences are not thrown off by ReLU kinks
        s.userPreference = .id
        s.itemPreference = .stats
        s.preferenceDim = 6
        return s
    }

    /// Every parameter's gradient through preference dropout, content (dense + sparse), BN,
    /// the tower and the L2 normalisation, against central finite differences.
    func testGradientsMatchFiniteDifferences() throws {
        let data = TrainingFixture.data
        let model = try TwoTowerModel(data: data, settings: settings(), maxBatch: 16)
        let users = Array(data.trainUsers.prefix(16)), items = Array(data.trainItems.prefix(16))
        var rng = SplitMix64(seed: 3)
        let ru = Matrix(rows: 16, cols: model.embeddingDim), rv = Matrix(rows: 16, cols: model.embeddingDim)
        for i in 0..<ru.count { ru.data[i] = rng.nextFloat() - 0.5; rv.data[i] = rng.nextFloat() - 0.5 }
        func loss() -> Double {
            var dropout = SplitMix64(seed: 99)   // the same dropout mask every time
            let (u, v) = users.withUnsafeBufferPointer { up in
                items.withUnsafeBufferPointer { ip in
                    model.forward(userIDs: up, itemIDs: ip, userDropout: 0.3, itemDropout: 0.3, scaling: true,
                                  training: true, rng: &dropout)
                }
            }
            var s = 0.0
            for i in 0..<u.count { s += Double(u.data[i] * ru.data[i]) + Double(v.data[i] * rv.data[i]) }
            return s
        }
        model.zeroGrad()
        _ = loss()
        model.backward(gradUsers: ru, gradItems: rv)
        var checked = Set<String>()
        for p in model.trainableParameters {
            if p.role == .embedding {
                // Sparse gradients: only the rows the batch touched can be non-zero; check those.
                XCTAssertFalse(p.touchedRows.isEmpty, "\(p.name) got no gradient")
                for row in Set(p.touchedRows).sorted().prefix(8) {
                    let r = GradientCheck.compare(p.value.rows(Int(row)..<Int(row) + 1), analytic: p.grad.rows(Int(row)..<Int(row) + 1),
                                                  epsilon: 3e-3, maxEntries: 8, loss: loss)
                    XCTAssertLessThan(r.maxRelativeError, 0.05, "\(p.name) row \(row): \(r)")
                }
            } else {
                let r = GradientCheck.compare(p, epsilon: 1e-2, maxEntries: 48, loss: loss)
                XCTAssertLessThan(r.maxRelativeError, 0.05, "\(p.name): \(r)")
            }
            checked.insert(p.name)
        }
        for name in ["user.preference.id.table", "user.content.sparse.kernel", "user.content.dense.kernel",
                     "item.content.sparse.kernel", "user.tower.0.dense.kernel", "item.tower.1.dense.kernel"] {
            XCTAssertTrue(checked.contains(name), "expected a parameter named \(name); have \(checked.sorted())")
        }
    }

    func testEvaluationEmbeddingsAreUnitRowsAndColdEntitiesUseContentOnly() throws {
        let data = TrainingFixture.data
        let model = try TwoTowerModel(data: data, settings: settings(), maxBatch: 64)
        let all = model.embedAllUsers()
        let contentOnly = model.embedAllUsers(contentOnly: true)
        XCTAssertEqual(all.rows, data.userCount)
        for r in [0, data.userCount / 2, data.userCount - 1] {
            var n: Float = 0
            for j in 0..<all.cols { n += all[r, j] * all[r, j] }
            XCTAssertEqual(n, 1, accuracy: 1e-4)
        }
        // A cold user has no preference, so its embedding equals its content-only embedding;
        // a known user's differs.
        let cold = try XCTUnwrap(data.isKnownUser.firstIndex(of: false))
        let warm = try XCTUnwrap(data.isKnownUser.firstIndex(of: true))
        XCTAssertEqual(all.rowArray(cold), contentOnly.rowArray(cold))
        XCTAssertNotEqual(all.rowArray(warm), contentOnly.rowArray(warm))
    }

    func testMismatchedTowerWidthsAreAClearError() {
        var s = settings()
        s.itemTower = [32, 8]
        XCTAssertThrowsError(try TwoTowerModel(data: TrainingFixture.data, settings: s)) { e in
            XCTAssertTrue("\(e)".contains("same width"), "\(e)")
        }
    }
}
