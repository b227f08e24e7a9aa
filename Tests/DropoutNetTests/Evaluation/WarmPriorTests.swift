import Numerics
import XCTest
@testable import DropoutNet

/// `WarmPrior`: the WMF teacher's score added to warm pairs at the end of a run.
final class WarmPriorTests: XCTestCase {
    /// w·(u_wmf · v_wmf) is added where user and item both have history, nothing elsewhere.
    func testOnlyWarmPairsGetTheTeachersScore() throws {
        let data = TrainingFixture.data, factors = ClassicModelTests.fixtureWMF
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 4, seed: 3, centered: true)
        let (ru, rv) = WarmPrior(weight: 2, factors: factors).rankingEmbeddings(users: u, items: v, data: data)
        XCTAssertEqual(ru.cols, 4 + factors.users.cols)
        let dot = PriorFixtures.dot
        let (warmUser, coldUser, warmItem, coldItem) = try PriorFixtures.firstWarmAndCold(data)
        XCTAssertEqual(dot(ru, warmUser, rv, warmItem),
                       dot(u, warmUser, v, warmItem) + 2 * dot(factors.users, warmUser, factors.items, warmItem), accuracy: 1e-3)
        XCTAssertEqual(dot(ru, coldUser, rv, warmItem), dot(u, coldUser, v, warmItem), accuracy: 1e-5)
        XCTAssertEqual(dot(ru, warmUser, rv, coldItem), dot(u, warmUser, v, coldItem), accuracy: 1e-5)
    }

    /// Towers that rank at random and a teacher that knows each user's group (the fixture's
    /// taste): the validation warm users choose a positive weight, and it lifts their recall.
    func testSelectionTakesTheTeacherWhenTheTowersKnowLess() throws {
        let data = TrainingFixture.data
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 4, seed: 4, centered: true)
        let groups = WMFFactors(users: Matrix(rows: data.userCount, cols: 5), items: Matrix(rows: data.itemCount, cols: 5))
        for r in 0..<data.userCount { groups.users[r, r % 5] = 1 }
        for i in 0..<data.itemCount { groups.items[i, i % 5] = 1 }
        let target = data.evaluationTarget(.validationWarm)
        let evaluator = Evaluator(targets: [target], ks: [20], itemCount: data.itemCount)
        let towers = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)?.recall(at: 20))
        let chosen = try XCTUnwrap(WarmPrior.choose(WarmPrior.candidates(users: u, items: v, data: data, factors: groups,
                                                                         target: target, evaluator: evaluator, k: 20)))
        XCTAssertGreaterThan(chosen.prior.weight, 0)
        XCTAssertGreaterThan(chosen.recall, towers * 1.5, "towers alone \(towers)")
    }

    /// Towers that are the teacher (the classic model's warm path): every weight ranks alike,
    /// and the tie goes to the heaviest weight.
    func testWhenTheTowersAreTheTeacherTiesGoToTheTeacher() throws {
        let data = TrainingFixture.data, factors = ClassicModelTests.fixtureWMF
        let target = data.evaluationTarget(.validationWarm)
        let evaluator = Evaluator(targets: [target], ks: [20], itemCount: data.itemCount)
        let candidates = WarmPrior.candidates(users: factors.users, items: factors.items, data: data, factors: factors,
                                              target: target, evaluator: evaluator, k: 20)
        XCTAssertEqual(candidates.map(\.multiple), WarmPrior.multiples)
        for c in candidates { XCTAssertEqual(c.userRecalls, candidates[0].userRecalls) }
        let chosen = try XCTUnwrap(WarmPrior.choose(candidates))
        XCTAssertEqual(chosen.multiple, WarmPrior.multiples.last)
        XCTAssertGreaterThan(chosen.prior.weight, 0)
        XCTAssertEqual(candidates[0].prior, WarmPrior(), "multiple 0 is the towers alone, with no teacher to store")
    }

    /// The rule itself, on recalls of four users: a heavier candidate whose shortfall against
    /// the best is within one standard error of it (taken user by user) is chosen over the best;
    /// one whose shortfall is larger, or the same on every user, is not; the stiffer teacher
    /// wins between equal multiples.
    func testTheHeaviestCandidateWithinOneStandardErrorOfTheBestIsChosen() throws {
        func candidate(_ multiple: Float, ridge: Float = 1, _ recalls: [Double]) -> WarmPrior.Candidate {
            WarmPrior.Candidate(prior: WarmPrior(weight: multiple, teacherRidge: ridge), multiple: multiple, userRecalls: recalls)
        }
        let best = candidate(0.5, [1, 0.5, 0.5, 0.5])
        // Shortfalls 0.5, 0, 0, -0.25: mean 0.0625, standard error 0.157 — within.
        let noisy = candidate(4, [0.5, 0.5, 0.5, 0.75])
        // Shortfalls 0.5, 0.5, 0.5, 0.5: mean 0.5, standard error 0 — a sure loss.
        let worse = candidate(8, [0.5, 0, 0, 0])
        XCTAssertEqual(WarmPrior.choose([best, noisy, worse])?.multiple, 4)
        XCTAssertEqual(WarmPrior.choose([best, worse])?.multiple, 0.5)
        // Shortfalls 1, 0, 0, 0: mean 0.25, standard error 0.25 — still within, just.
        let edge = candidate(16, [0, 0.5, 0.5, 0.5])
        XCTAssertEqual(WarmPrior.choose([best, edge])?.multiple, 16)
        let stiffer = candidate(4, ridge: 64, [0.5, 0.5, 0.5, 0.75])
        XCTAssertEqual(WarmPrior.choose([best, noisy, stiffer])?.prior.teacherRidge, 64)
        XCTAssertNil(WarmPrior.choose([]))
    }

    /// The run chooses it after loading the best weights (both models); a checkpoint keeps it.
    func testTheRunChoosesItAndTheCheckpointKeepsIt() throws {
        let s = PriorFixtures.wmfSettings()
        XCTAssertEqual(s.warmPrior, .auto)
        XCTAssertEqual(Settings.classicDefaults.warmPrior, .auto)
        let t = try Trainer(data: TrainingFixture.data, settings: s)
        t.chooseWarmPrior()
        t.warmPrior.weight = 0.5   // whatever was chosen, a checkpoint must bring back this one
        let c = try PriorFixtures.roundTrip(t, file: "warm.dnckpt").checkpoint
        XCTAssertEqual(ModelCheckpoint.warmPrior(of: c).weight, 0.5)
    }

    /// On small data the teacher may be the run's WMF refitted with a stiffer λ; a checkpoint
    /// keeps that teacher, not the run's own factors.
    func testAStifferTeacherIsACandidateAndTheCheckpointKeepsIt() throws {
        let t = try Trainer(data: TrainingFixture.data, settings: PriorFixtures.wmfSettings())
        let own = try XCTUnwrap(t.rawWMFFactors)
        let teachers = t.warmTeachers(own)
        XCTAssertEqual(teachers.map(\.ridge), [1] + WarmPrior.stifferRidges)
        func norm(_ m: Matrix) -> Float { m.toArray().reduce(0) { $0 + $1 * $1 } }
        XCTAssertLessThan(norm(teachers.last!.factors.users), norm(own.users), "a stiffer λ shrinks the factors")
        t.warmPrior = WarmPrior(weight: 0.5, factors: teachers[2].factors, teacherRidge: teachers[2].ridge)
        let c = try PriorFixtures.roundTrip(t, file: "teacher.dnckpt").checkpoint
        XCTAssertEqual(ModelCheckpoint.warmPrior(of: c), t.warmPrior)
    }

    /// Where the warm test masks a carved validation (the reference protocol), the teacher that
    /// scores the test is refitted on the validation's warm pairs too: it ranks them higher than
    /// the teacher that never saw them, validation is never scored with it, and a checkpoint
    /// keeps it.
    func testARefittedTeacherKnowsTheCarvedPairsButNeverScoresValidation() throws {
        let dir = try ValidationCarveTests.world()
        defer { DataFixture.remove(dir) }
        try ((0..<50).map { "i\($0)" }.joined(separator: "\n") + "\n").write(toFile: dir + "/test_item_ids.csv", atomically: true, encoding: .utf8)
        let d = try DataFixture.load(dir)
        let data = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions(validation: 0.1, splitDir: dir)))
        XCTAssertTrue(data.warmTestMasksValidation)
        let t = try Trainer(data: data, settings: PriorFixtures.wmfSettings())
        let plain = try XCTUnwrap(t.wmfTeacher(ridge: 1)), refit = try XCTUnwrap(t.wmfTeacher(ridge: 1, withValidation: true))
        // Each carved pair's score against its user's mean score over all items.
        func lift(_ f: WMFFactors) -> Float {
            let carved = data.heldOut[.validationWarm]!
            var total: Float = 0, n = 0
            for u in carved.nonEmptyRows {
                let mean = (0..<data.itemCount).reduce(Float(0)) { $0 + PriorFixtures.dot(f.users, Int(u), f.items, $1) } / Float(data.itemCount)
                for i in carved[Int(u)] { total += PriorFixtures.dot(f.users, Int(u), f.items, Int(i)) - mean; n += 1 }
            }
            XCTAssertGreaterThan(n, 0)
            return total / Float(n)
        }
        XCTAssertGreaterThan(lift(refit), lift(plain) + 0.05, "the refitted teacher learned the carved pairs")

        let name = EvaluationSplit.validationWarm.rawValue
        let without = t.evaluateValidation().report[name]?.recall(at: 20)
        t.warmPrior = WarmPrior(weight: 4, factors: refit, refittedOnValidation: true)
        XCTAssertEqual(t.evaluateValidation().report[name]?.recall(at: 20), without, "validation is scored without the refitted teacher")

        let f = try Trainer(data: TrainingFixture.data, settings: PriorFixtures.wmfSettings())
        f.warmPrior = WarmPrior(weight: 0.5, factors: try XCTUnwrap(f.wmfTeacher(ridge: 1, withValidation: true)), refittedOnValidation: true)
        XCTAssertEqual(ModelCheckpoint.warmPrior(of: try PriorFixtures.roundTrip(f, file: "refit.dnckpt").checkpoint), f.warmPrior)
    }
}
