import Foundation
import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// The classic DropoutNet (DESIGN §4.3) through the shared model, trainer, session and checkpoints.
final class ClassicModelTests: XCTestCase {
    /// The classic defaults scaled down so a step takes well under a millisecond.
    static func settings(epochs: Int = 3, seed: UInt64 = 11) -> Settings {
        var s = Settings.classicDefaults
        s.userTower = [32, 16]
        s.itemTower = [32, 16]
        s.embeddingDim = 16
        s.batchSize = 64
        s.wmfRank = 16
        s.wmfIterations = 6
        s.classicTopK = 10
        s.evalEvery = 50
        s.epochs = epochs
        s.seed = seed
        return s
    }

    static let fixtureWMF: WMFFactors = try! Trainer.fitRawWMF(data: TrainingFixture.data, settings: settings())

    private func trainer(_ s: Settings = ClassicModelTests.settings(), live: LiveSettings? = nil) throws -> Trainer {
        try Trainer(data: TrainingFixture.data, settings: s, live: live, rawWMF: ClassicModelTests.fixtureWMF)
    }

    /// `classic.residual`: with the MLP silenced, a warm user's embedding is its raw WMF factor
    /// (the shortcut undoes the input's standardisation) and a cold user's the mean factor — so
    /// training starts from the teacher and the MLP learns a correction.
    func testResidualStartsWarmEntitiesAtTheirWMFFactors() throws {
        let s = Self.settings()
        XCTAssertTrue(s.residualApplies)
        let t = try trainer(s)
        for p in t.model.user.mlp.parameters + t.model.item.mlp.parameters where p.role == .kernel || p.role == .bias {
            p.value.zero()
        }
        let data = TrainingFixture.data
        let raw = Self.fixtureWMF.users, embedded = t.model.embedAllUsers()
        let scale = PreferenceInputs.wmfScale(raw, known: data.isKnownUser)
        var warm = 0, cold = 0
        for u in 0..<data.userCount {
            for j in 0..<raw.cols {
                if data.isKnownUser[u] {
                    // Exact even where the standardised input was clipped to ±5σ.
                    XCTAssertEqual(embedded[u, j], raw[u, j], accuracy: 1e-4 * max(1, abs(raw[u, j])), "warm user \(u), factor \(j)")
                } else {
                    XCTAssertEqual(Double(embedded[u, j]), scale.mean[j], accuracy: 1e-5, "cold user \(u), factor \(j)")
                }
            }
            if data.isKnownUser[u] { warm += 1 } else { cold += 1 }
        }
        XCTAssertGreaterThan(warm, 0)
        XCTAssertGreaterThan(cold, 0, "the fixture has cold users")
    }

    /// `gated` (the classic default): a warm entity's embedding is its raw WMF factor whatever the
    /// MLP has learned; `additive` adds the MLP's correction to it.
    func testGatedTowersGiveWarmEntitiesTheirWMFFactorsExactly() throws {
        let data = TrainingFixture.data
        var s = Self.settings()
        XCTAssertEqual(s.classicResidual, .gated)
        let gated = try trainer(s)
        for _ in 0..<20 { try gated.trainStep() }
        s.classicResidual = .additive
        let additive = try trainer(s)
        for _ in 0..<20 { try additive.trainStep() }
        let raw = Self.fixtureWMF.items, scale = PreferenceInputs.wmfScale(raw, known: data.isKnownItem)
        let g = gated.model.embedAllItems(), a = additive.model.embedAllItems()
        var largestGap: Float = 0
        // Known items with a factor (an item with no training positive has none, and counts as cold).
        for i in 0..<data.itemCount where data.isKnownItem[i] && raw.rowArray(i).contains(where: { $0 != 0 }) {
            for j in 0..<raw.cols {
                XCTAssertEqual(g[i, j], raw[i, j], accuracy: 1e-4 * max(1, abs(raw[i, j])), "warm item \(i), factor \(j)")
                largestGap = max(largestGap, abs(a[i, j] - raw[i, j]))
            }
        }
        XCTAssertGreaterThan(largestGap, 1e-3, "additive: the trained MLP moves warm items off their factors")
        let cold = try XCTUnwrap((0..<data.itemCount).first { !data.isKnownItem[$0] })
        XCTAssertNotEqual(g.rowArray(cold), scale.mean.map(Float.init), "a cold item gets the MLP's estimate from its content")
    }

    /// The shortcut needs the tower to end as wide as the WMF input; otherwise the towers are the
    /// reference's plain MLPs (and say so through `residualApplies`).
    func testResidualOnlyWhereTheShapesAllowIt() throws {
        var s = Self.settings()
        s.wmfRank = 8
        XCTAssertFalse(s.residualApplies)
        let t = try Trainer(data: TrainingFixture.data, settings: s)
        XCTAssertNil(t.model.user.residual)
        s = Self.settings()
        s.classicResidual = .off
        XCTAssertFalse(s.residualApplies)
        XCTAssertFalse(Settings().residualApplies, "the EasyRec model has no shortcut")
    }

    /// d(MSE of u·v against the targets)/d(every parameter) through dropout, content, BN, tanh
    /// and the linear output — no L2 normalisation — against central finite differences.
    func testMeanSquaredErrorGradientsThroughTheClassicTowers() throws {
        var s = Self.settings()
        s.classicTransform = true
        let data = TrainingFixture.data
        let wmf = Trainer.standardized(Self.fixtureWMF, data: data)
        let model = try TwoTowerModel(data: data, settings: s, wmf: wmf, maxBatch: 16)
        XCTAssertFalse(model.normalizesOutput)
        // Kernels at a Glorot-like scale: the classic N(0, 0.01²) start is so small that a finite
        // difference step would be a large relative change of a weight.
        var start = SplitMix64(seed: 8)
        for p in model.trainableParameters where p.role == .kernel {
            WeightInit.uniform(limit: 0.3).fill(p.value, fanIn: p.value.rows, fanOut: p.value.cols, rng: &start)
        }
        let users = Array(data.positiveUsers.prefix(16)), items = Array(data.positiveItems.prefix(16))
        var targets = [Float](repeating: 0, count: 16)
        for i in 0..<16 { targets[i] = Self.fixtureWMF.score(user: Int(users[i]), item: Int(items[i])) }
        let loss = TrainingLoss(maxBatchSize: 16, maxNegatives: 0)
        let gu = Matrix(rows: 16, cols: model.embeddingDim), gv = Matrix(rows: 16, cols: model.embeddingDim)
        func run(backward: Bool) -> Double {
            var dropout = SplitMix64(seed: 99)   // the same dropout (and transform) draws every time
            var negatives = SplitMix64(seed: 1)
            return users.withUnsafeBufferPointer { up in
                items.withUnsafeBufferPointer { ip in
                    targets.withUnsafeBufferPointer { tp in
                        let (u, v) = model.forward(userIDs: up, itemIDs: ip, userDropout: 0.5, itemDropout: 0.5, scaling: false,
                                                   training: true, rng: &dropout)
                        let r = try! loss.compute(users: u, items: v, labels: tp, userIDs: up, itemIDs: ip,
                                                  params: LossParameters(settings: s), rng: &negatives, gradUsers: gu, gradItems: gv)
                        if backward { model.backward(gradUsers: gu, gradItems: gv) }
                        return r.total
                    }
                }
            }
        }
        model.zeroGrad()
        let value = run(backward: true)
        XCTAssertTrue(value.isFinite && value > 0)
        for p in model.trainableParameters {
            let r = GradientCheck.compare(p, epsilon: 1e-2, maxEntries: 32, loss: { run(backward: false) })
            // A content projection's bias feeds the tower's batch norm, which cancels any constant
            // shift: its true gradient is 0 and both sides are rounding noise.
            XCTAssertTrue(r.maxRelativeError < 0.05 || abs(r.analytic - r.numeric) < 2e-5, "\(p.name): \(r)")
        }
        XCTAssertTrue(model.trainableParameters.contains { $0.name == "item.tower.1.dense.kernel" })
    }

    /// Classic embeddings are raw (not unit rows), and a cold item's equals its content-only one.
    func testClassicEmbeddingsAreUnnormalisedAndColdItemsUseContentOnly() throws {
        let t = try trainer()
        for _ in 0..<20 { try t.trainStep() }
        let items = t.model.embedAllItems(), contentOnly = t.model.embedAllItems(contentOnly: true)
        let norms = (0..<items.rows).map { r in (0..<items.cols).reduce(Float(0)) { $0 + items[r, $1] * items[r, $1] } }
        XCTAssertGreaterThan((norms.max()! - norms.min()!) / norms.max()!, 0.05, "norms vary: not L2-normalised")
        let cold = try XCTUnwrap(TrainingFixture.data.isKnownItem.firstIndex(of: false))
        XCTAssertEqual(items.rowArray(cold), contentOnly.rowArray(cold))
    }

    /// On a synthetic world where content predicts taste, the classic model learns cold items
    /// from content: cold-item recall@20 clearly above popularity. The WMF baseline is warm only.
    func testClassicTrainsOnASyntheticWorldAndColdItemsBeatPopularity() throws {
        var o = SyntheticWorld.Options()
        o.users = 600; o.items = 500; o.interactions = 30_000; o.oracleTopK = 0; o.seed = 3
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dn-classic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SyntheticWorld(options: o).write(to: dir)
        let dataset = try DatasetLoader.load(directory: dir, format: .auto, useCache: false)
        let data = try TrainingData.prepare(dataset: dataset, split: try Splitter.make(dataset, SplitOptions()))
        var s = Self.settings(epochs: 6)
        s.userTower = [64, 32]; s.itemTower = [64, 32]; s.embeddingDim = 32
        s.wmfRank = 32
        s.classicTopK = 20
        s.evalEvery = 0
        let t = try Trainer(data: data, settings: s)
        var first = 0.0, last = 0.0
        let n = t.totalSteps
        for i in 0..<n {
            let l = try t.trainStep().total
            if i < 10 { first += l / 10 }
            if i >= n - 10 { last += l / 10 }
        }
        XCTAssertLessThan(last, first * 0.7, "MSE falls (first \(first), last \(last))")
        let (test, baselines) = t.finish()
        let model = try XCTUnwrap(test.report["cold_item"]?.recall(at: 20))
        let pop = try XCTUnwrap(baselines["popularity"]?["cold_item"]?.recall(at: 20))
        XCTAssertGreaterThan(model, pop * 1.5 + 0.05, "cold items: classic \(model) vs popularity \(pop)")
        let wmf = try XCTUnwrap(baselines["wmf"])
        XCTAssertNotNil(wmf["warm"])
        XCTAssertNil(wmf["cold_item"], "WMF has no cold-item result")
        XCTAssertNil(wmf["cold_user"], "WMF has no cold-user result")
        XCTAssertEqual(wmf.order, EvaluationSplit.test.map(\.rawValue))
    }

    /// The TUI's item dropout slider works for classic: 1.0 zeroes every item preference input
    /// from the next step on, through the running session.
    func testLiveItemDropoutOneZeroesEveryItemPreferenceFromTheNextStep() throws {
        var s = Self.settings(epochs: 50)
        s.itemDropout = 0
        let session = TrainingSession(data: TrainingFixture.data, settings: s,
                                      wmf: Trainer.standardized(Self.fixtureWMF, data: TrainingFixture.data))
        session.evaluateOnStop = false
        session.start()
        defer { session.stop(); session.wait(timeout: 10) }
        XCTAssertNotNil(session.wait(timeout: 20) { $0.step >= 3 }, "training should be stepping")
        XCTAssertEqual(session.trainer?.initialSettings.model, .classic)

        try session.update(key: "item_dropout", value: "1")
        let after = expectation(description: "after")
        var zeroed = false, usersKept = false
        session.perform { t in
            try? t.trainStep()
            zeroed = (0..<t.batchSize).allSatisfy { t.model.item.preference.keptScale(row: $0) == 0 }
            usersKept = (0..<t.batchSize).contains { t.model.user.preference.keptScale(row: $0) != 0 }
            after.fulfill()
        }
        wait(for: [after], timeout: 20)
        XCTAssertTrue(zeroed, "item_dropout 1 zeroes every item preference row")
        XCTAssertTrue(usersKept, "user_dropout 0.5 still keeps some user rows")
    }

    /// With `classic.transform`, half of the dropped rows show the mean preference of the other
    /// side over the entity's training positives instead of zeros.
    func testTransformReplacesHalfTheDroppedRowsWithTheMeanOfTheOtherSide() throws {
        var s = Self.settings()
        s.classicTransform = true
        s.itemDropout = 1
        s.userDropout = 0
        let data = TrainingFixture.data
        let wmf = Trainer.standardized(Self.fixtureWMF, data: data)
        let model = try TwoTowerModel(data: data, settings: s, wmf: wmf, maxBatch: 64)
        let users = Array(data.positiveUsers.prefix(64)), items = Array(data.positiveItems.prefix(64))
        var rng = SplitMix64(seed: 5)
        _ = users.withUnsafeBufferPointer { up in
            items.withUnsafeBufferPointer { ip in
                model.forward(userIDs: up, itemIDs: ip, userDropout: 0, itemDropout: 1, scaling: false, training: true, rng: &rng)
            }
        }
        let pref = model.item.preference
        let transformed = (0..<64).filter { pref.usedTransform(row: $0) }
        XCTAssertTrue((16...48).contains(transformed.count), "about half: \(transformed.count) of 64")
        XCTAssertTrue((0..<64).allSatisfy { pref.keptScale(row: $0) == 0 })
        XCTAssertFalse((0..<64).contains { model.user.preference.usedTransform(row: $0) }, "kept rows are never transformed")
        // The transform of item i is the mean standardised user vector over i's training users.
        let item = Int(items[transformed[0]])
        let fans = (0..<data.userCount).filter { data.trainPositives.contains($0, Int32(item)) }
        XCTAssertFalse(fans.isEmpty)
        let t = try XCTUnwrap(pref.transform)
        for j in 0..<wmf.users.cols {
            let mean = fans.reduce(Float(0)) { $0 + wmf.users[$1, j] } / Float(fans.count)
            XCTAssertEqual(t[item, j], mean, accuracy: 1e-4)
        }
        // Evaluation never transforms.
        _ = users.withUnsafeBufferPointer { up in
            items.withUnsafeBufferPointer { ip in
                model.forward(userIDs: up, itemIDs: ip, userDropout: 0, itemDropout: 1, scaling: false, training: false, rng: &rng)
            }
        }
        XCTAssertFalse((0..<64).contains { pref.usedTransform(row: $0) })
    }

    /// A classic checkpoint rebuilds the same unnormalised model (same embeddings), with the raw
    /// WMF factors for the `wmf` baseline.
    func testClassicCheckpointRoundTrips() throws {
        let t = try trainer()
        for _ in 0..<15 { try t.trainStep() }
        let identity = DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture")
        let c = ModelCheckpoint.make(trainer: t, dataset: identity, run: nil, metrics: [:])
        let back = try Checkpoint.decode(try c.encoded(), file: "classic.dnckpt")
        let restored = try ModelCheckpoint.trainer(from: back, data: TrainingFixture.data, file: "classic.dnckpt")
        XCTAssertEqual(restored.initialSettings.model, .classic)
        XCTAssertFalse(restored.model.normalizesOutput)
        // Mid-run a checkpoint holds the weights the trainer ranks with: their moving average.
        XCTAssertEqual(restored.model.embedAllUsers().rowArray(7), t.withAveragedWeights { t.model.embedAllUsers() }.rowArray(7))
        let a = t.withAveragedWeights { t.model.embedAllItems() }, b = restored.model.embedAllItems()
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.data, count: a.count)),
                       Array(UnsafeBufferPointer(start: b.data, count: b.count)))
        let raw = try XCTUnwrap(restored.rawWMFFactors)
        XCTAssertEqual(raw.users.rowArray(3), Self.fixtureWMF.users.rowArray(3))
        XCTAssertNotNil(restored.evaluateBaselines()["wmf"]?["warm"])
    }

    /// A classic checkpoint written before the shortcut existed (no residual tensors) loads as the
    /// plain towers it was trained as: no shortcut, not a shortcut of zeros plus raw factors.
    func testACheckpointWithoutTheShortcutLoadsAsPlainTowers() throws {
        var s = Self.settings()
        s.classicResidual = .off
        let plain = try trainer(s)
        for _ in 0..<10 { try plain.trainStep() }
        let identity = DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture")
        var c = ModelCheckpoint.make(trainer: plain, dataset: identity, run: nil, metrics: [:])
        // As an old checkpoint reads today: its settings decode with the classic default (gated).
        var header = c.header
        var settings = try header.settingsValue()
        settings.classicResidual = .gated
        header.settings = settings.json
        c.header = header
        XCTAssertNil(c.tensors["param/user.residual"], "the plain model stores no shortcut")
        let restored = try ModelCheckpoint.trainer(from: c, data: TrainingFixture.data, file: "old.dnckpt")
        XCTAssertNotNil(restored.model.user.residual, "the settings ask for the shortcut")
        XCTAssertNil(restored.model.user.residual?.raw, "but the checkpoint has none: disabled")
        XCTAssertEqual(restored.model.embedAllUsers().rowArray(7), plain.withAveragedWeights { plain.model.embedAllUsers() }.rowArray(7))
        XCTAssertEqual(restored.model.embedAllItems().rowArray(3), plain.withAveragedWeights { plain.model.embedAllItems() }.rowArray(3))
    }

    func testClassicRefusesLossesOtherThanMSE() throws {
        var s = Self.settings()
        s.loss = [.svsoftmax]
        XCTAssertThrowsError(try s.validate()) { e in XCTAssertTrue("\(e)".contains("mse"), "\(e)") }
        let live = LiveSettings(Self.settings())
        XCTAssertThrowsError(try live.update(key: "loss", value: "pairwise"))
    }
}
