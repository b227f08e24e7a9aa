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
        let warmUser = try XCTUnwrap((0..<data.userCount).first { data.isKnownUser[$0] })
        let coldUser = try XCTUnwrap((0..<data.userCount).first { !data.isKnownUser[$0] })
        let warmItem = try XCTUnwrap((0..<data.itemCount).first { data.isKnownItem[$0] })
        let coldItem = try XCTUnwrap((0..<data.itemCount).first { !data.isKnownItem[$0] })
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
        let chosen = try XCTUnwrap(WarmPrior.select(users: u, items: v, data: data, factors: groups,
                                                    target: target, evaluator: evaluator, k: 20))
        XCTAssertGreaterThan(chosen.prior.weight, 0)
        XCTAssertGreaterThan(chosen.recall, towers * 1.5, "towers alone \(towers)")
    }

    /// The run chooses it after loading the best weights; a checkpoint keeps it; the classic
    /// model (whose warm embeddings are the teacher's) and the content-only baseline go without.
    func testTheRunChoosesItAndTheCheckpointKeepsIt() throws {
        let s = PriorFixtures.wmfSettings()
        XCTAssertEqual(s.warmPrior, .auto)
        XCTAssertEqual(Settings.classicDefaults.warmPrior, .off)
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
}
