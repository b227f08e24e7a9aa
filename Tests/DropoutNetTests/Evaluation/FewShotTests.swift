import XCTest
import Foundation
import Numerics
@testable import DropoutNet

/// The few-shot curve (DESIGN §5): cold-user test users revealed k of their interactions, a
/// preference built from those alone, evaluated on the rest.
final class FewShotTests: XCTestCase {
    /// A small synthetic world where history is what tells users apart: users and items fall
    /// in groups, positives are mostly within the user's group, item content names the item's
    /// group but user content is noise. A cold user's group shows only in what they interact
    /// with, so revealing interactions must help. Trained briefly with WMF preferences.
    static let trained: (trainer: Trainer, test: EvaluationRecord) = {
        var rng = SplitMix64(seed: 21)
        let users = 500, items = 300, groups = 6
        var us: [Int32] = [], its: [Int32] = [], labels: [UInt8] = []
        for u in 0..<users {
            var seen = Set<Int>()
            for _ in 0..<90 {
                let i = rng.nextInt(below: items)
                guard seen.insert(i).inserted else { continue }
                let p: Float = u % groups == i % groups ? 0.9 : 0.04
                us.append(Int32(u)); its.append(Int32(i)); labels.append(rng.nextFloat() < p ? 1 : 0)
            }
        }
        let userContent = SideContent(columns: [
            .init(name: "noise", kind: .categorical, values: (0..<users).map { _ in "n\(rng.nextInt(below: 4))" }),
        ], count: users)
        let itemContent = SideContent(columns: [
            .init(name: "genre", kind: .categorical, values: (0..<items).map { "g\($0 % groups)" }),
        ], count: items)
        let d = Dataset(name: "few-shot", userIDs: (0..<users).map { "u\($0)" }, itemIDs: (0..<items).map { "i\($0)" },
                        users: us, items: its, labels: labels, userContent: userContent, itemContent: itemContent)
        let data = try! TrainingData.prepare(dataset: d, split: Splitter.make(d, SplitOptions(coldUsers: 0.2)))
        var s = TrainingFixture.settings(epochs: 4)
        s.userPreference = .wmf
        s.itemPreference = .wmf
        s.wmfRank = 16
        s.wmfIterations = 8
        s.evalEvery = 0
        let t = try! Trainer(data: data, settings: s)
        while !t.isFinished { _ = try! t.trainStep() }
        return (t, t.finish().test)
    }()

    func testRevealsAreNestedDeterministicAndMasked() throws {
        let data = Self.trained.trainer.data
        let one = FewShotReveal(data: data, k: 1), five = FewShotReveal(data: data, k: 5)
        XCTAssertEqual(FewShotReveal(data: data, k: 5).revealed, five.revealed, "same seed, same reveals")
        XCTAssertNotEqual(FewShotReveal(data: data, k: 5, seed: 99).revealed, five.revealed)
        let lists = data.heldOut[.coldUser]!
        for (i, u) in five.users.enumerated() {
            XCTAssertGreaterThan(lists.count(Int(u)), 5)
            let revealed = Array(five.revealed(ofUserAt: i))
            XCTAssertEqual(Array(five.target.excluded(ofUserAt: i)), revealed.sorted(), "revealed items are masked")
            XCTAssertEqual(Set(five.target.heldOut(ofUserAt: i)).union(revealed), Set(lists[Int(u)]))
            XCTAssertTrue(Set(five.target.heldOut(ofUserAt: i)).isDisjoint(with: revealed))
            let j = try XCTUnwrap(one.users.firstIndex(of: u))
            XCTAssertEqual(revealed.first, one.revealed(ofUserAt: j).first, "k = 5 reveals k = 1's item first")
        }
        XCTAssertLessThan(FewShotReveal(data: data, k: 10).users.count, one.users.count, "only users with more than k items")
        XCTAssertEqual(FewShotReveal(data: data, k: 1, minimumHeldOut: 10).users, FewShotReveal(data: data, k: 10).users)
    }

    func testCurveRisesAndZeroRevealedIsTheColdUserFigure() throws {
        let (trainer, test) = Self.trained
        let data = trainer.data
        let report = try trainer.evaluateFewShot()
        XCTAssertEqual(report.counts, [0, 1, 2, 5, 10])
        XCTAssertEqual(report.preference, "wmf")
        let zero = try XCTUnwrap(report[0]), ten = try XCTUnwrap(report[10])
        // One population for the whole curve: the users with more than 10 held-out items.
        let population = FewShotReveal(data: data, k: 10).users
        XCTAssertGreaterThan(population.count, 30)
        for k in report.counts { XCTAssertEqual(report[k]?.users, population.count, "k = \(k)") }

        // k = 0 is the cold-user evaluation of those users, as the test splits compute it.
        let lists = data.heldOut[.coldUser]!
        let coldTarget = EvaluationTarget(name: "cold_user", heldOut: Dictionary(uniqueKeysWithValues: population.map { ($0, Array(lists[Int($0)])) }),
                                          candidates: data.candidates[.coldUser]!)
        let evaluator = Evaluator(targets: [], ks: zero.ks, itemCount: data.itemCount)
        let ranking = trainer.rankingEmbeddings()
        let cold = try XCTUnwrap(evaluator.evaluate(coldTarget, userEmbeddings: ranking.users, itemEmbeddings: ranking.items))
        for k in zero.ks {
            XCTAssertEqual(zero.recall(at: k)!, cold.recall(at: k)!, accuracy: 1e-12, "recall@\(k)")
            XCTAssertEqual(zero.value("ndcg", at: k)!, cold.value("ndcg", at: k)!, accuracy: 1e-12, "ndcg@\(k)")
        }
        // Over every cold-user test user (the curve reduced to k = 0), it is the test split's figure.
        let all = try XCTUnwrap(trainer.evaluateFewShot(counts: [0])[0])
        let split = try XCTUnwrap(test.report["cold_user"])
        XCTAssertEqual(all.users, split.users)
        for k in split.ks { XCTAssertEqual(all.recall(at: k)!, split.recall(at: k)!, accuracy: 1e-12, "recall@\(k)") }

        // The curve rises: ten revealed interactions say which group a user is in.
        let curve = report.counts.map { report[$0]!.recall(at: 20)! }
        XCTAssertGreaterThan(ten.recall(at: 20)!, zero.recall(at: 20)! + 0.1, "recall@20 by k: \(curve)")
        XCTAssertGreaterThan(report[1]!.recall(at: 20)!, zero.recall(at: 20)!, "recall@20 by k: \(curve)")
    }

    func testGivenPreferenceRowsReproduceTheModelsOwnEmbeddings() throws {
        let t = Self.trained.trainer
        let ids = (0..<Int32(t.data.userCount)).filter { t.data.isKnownUser[Int($0)] }.prefix(150).map { $0 }
        let own = t.wmfFactors!.users
        let rows = Matrix(rows: ids.count, cols: own.cols)
        for (r, u) in ids.enumerated() { rows.row(r).update(from: own.row(Int(u)), count: own.cols) }
        let given = t.model.embedUsers(ids: ids, preference: rows), all = t.model.embedAllUsers()
        for (r, u) in ids.enumerated() {
            for c in 0..<given.cols { XCTAssertEqual(given[r, c], all[Int(u), c], accuracy: 1e-6) }
        }
        XCTAssertNil(t.model.user.preference.inputRows, "the override is cleared afterwards")
    }

    func testIdPreferenceGivesZerosAndStatsTheRevealedCounts() throws {
        let data = Self.trained.trainer.data
        let reveal = FewShotReveal(data: data, k: 5)
        let ids = try FewShotPreference.rows(for: reveal, kind: .id, data: data, wmf: nil, width: 8)
        XCTAssertTrue((0..<ids.rows).allSatisfy { r in (0..<8).allSatisfy { ids[r, $0] == 0 } })
        let stats = try FewShotPreference.rows(for: reveal, kind: .stats, data: data, wmf: nil, width: 4)
        let expected = Matrix(rows: 1, cols: 4)
        data.userStatsScale.row(shown: 5, clicked: 5, into: expected.row(0))
        XCTAssertEqual((0..<4).map { stats[0, $0] }, (0..<4).map { expected[0, $0] })
        XCTAssertNotEqual((0..<4).map { stats[0, $0] }, [0, 0, 0, 0])
        XCTAssertThrowsError(try FewShotPreference.rows(for: reveal, kind: .wmf, data: data, wmf: nil, width: 16))
    }

    /// A `wmf` few-shot user is folded into the WMF fit by the ALS user step: a training user
    /// folded in with all of its training positives gets back its own fitted factor, and the
    /// standardised row its user tower trained on.
    func testFoldingInATrainingUserReproducesItsFactorAndItsInputRow() throws {
        let data = Self.trained.trainer.data
        var s = Self.trained.trainer.initialSettings
        s.wmfReg = 2
        s.wmfAlpha = 5
        // Exact solves, run to convergence (ALS creeps: after 40 sweeps factors still move by
        // ~1e-2, after 200 by ~1e-5): the fitted factors are then the fixed point that the
        // fold-in's single user step lands on.
        let r = try WMF.preferenceMatrix(dataset: data.dataset, split: data.split)
        let raw = try WMF.fit(r, options: WMFOptions(rank: 16, regularization: Float(s.wmfReg), alpha: Float(s.wmfAlpha),
                                                     iterations: 200, solver: .cholesky, seed: 5))
        let foldIn = FewShotPreference.WMFFoldIn(factors: raw, data: data, settings: s)
        let folded = WMF.foldIn(r, items: raw.items, regularization: Float(s.wmfReg), alpha: Float(s.wmfAlpha))
        let rows = foldIn.preferenceRows(r)
        let inputs = PreferenceInputs.standardizedWMF(raw.users, known: data.isKnownUser)
        var worstFactor: Float = 0, worstRow: Float = 0, checked = 0
        for u in 0..<data.userCount where data.isKnownUser[u] && r.rowPointers[u + 1] > r.rowPointers[u] {
            checked += 1
            for c in 0..<raw.rank {
                worstFactor = max(worstFactor, abs(folded[u, c] - raw.users[u, c]))
                worstRow = max(worstRow, abs(rows[u, c] - inputs[u, c]))
            }
        }
        XCTAssertGreaterThan(checked, 100)
        XCTAssertLessThan(worstFactor, 1e-4, "folded-in factor vs fitted factor")
        XCTAssertLessThan(worstRow, 1e-3, "standardised fold-in vs the user's training input row")
        // The scale is the training users' own: off it, the rows would not match.
        var shifted = foldIn
        shifted.userScale.mean[0] += 1
        let other = shifted.preferenceRows(r)
        let u = try XCTUnwrap((0..<data.userCount).first { data.isKnownUser[$0] && abs(inputs[$0, 0]) < 4 })
        XCTAssertGreaterThan(abs(other[u, 0] - inputs[u, 0]), 0.1)
        // A user with no interaction stays all zeros, like a cold user.
        let empty = SparseMatrix(rows: 1, cols: data.itemCount, rowPointers: [0, 0], columnIndices: [], values: [])
        XCTAssertEqual((0..<raw.rank).map { foldIn.preferenceRows(empty)[0, $0] }, Array(repeating: 0, count: raw.rank))
    }

    /// The curve's `wmf` rows are the fold-in of exactly the revealed items (weight 1 each here).
    func testWMFRowsAreTheFoldInOfTheRevealedItems() throws {
        let t = Self.trained.trainer
        let data = t.data
        let raw = try XCTUnwrap(t.rawWMFFactors)
        let foldIn = FewShotPreference.WMFFoldIn(factors: raw, data: data, settings: t.initialSettings)
        let reveal = FewShotReveal(data: data, k: 2)
        let rows = try FewShotPreference.rows(for: reveal, kind: .wmf, data: data, wmf: foldIn, width: raw.rank)
        let i = reveal.users.count / 2
        let revealed = Array(reveal.revealed(ofUserAt: i))
        let one = try WMF.preferenceMatrix(users: [0, 0], items: revealed, userCount: 1, itemCount: data.itemCount)
        let expected = foldIn.preferenceRows(one)
        XCTAssertEqual((0..<raw.rank).map { rows[i, $0] }, (0..<raw.rank).map { expected[0, $0] })
        XCTAssertTrue((0..<raw.rank).contains { rows[i, $0] != 0 })
        let zero = try FewShotPreference.rows(for: FewShotReveal(data: data, k: 0), kind: .wmf, data: data, wmf: foldIn, width: raw.rank)
        XCTAssertTrue((0..<zero.rows).allSatisfy { r in (0..<zero.cols).allSatisfy { zero[r, $0] == 0 } }, "k = 0: the cold row")
    }

    func testStatsRowsForRevealedInteractionsMatchTheTrainingScale() throws {
        let data = Self.trained.trainer.data
        // A known user with n training interactions, c of them positive, gets exactly the row
        // the scale computes for (n shown, c clicked).
        let u = try XCTUnwrap(data.trainUsers.first)
        let mine = data.trainUsers.indices.filter { data.trainUsers[$0] == u }
        let clicked = mine.filter { data.trainLabels[$0] == 1 }.count
        let row = Matrix(rows: 1, cols: PreferenceInputs.statsNames.count)
        data.userStatsScale.row(shown: mine.count, clicked: clicked, into: row.row(0))
        for c in 0..<row.cols { XCTAssertEqual(row[0, c], data.userStats[Int(u), c]) }
        data.userStatsScale.row(shown: 0, clicked: 0, into: row.row(0))
        XCTAssertEqual((0..<row.cols).map { row[0, $0] }, [0, 0, 0, 0], "no interactions: the cold row")
    }
}
