import Numerics
import XCTest
@testable import DropoutNet

/// `WarmContentPrior`: item content's score added to warm pairs at the end of a run.
final class WarmContentPriorTests: XCTestCase {
    /// w·(a_u · z_i) is added where user and item both have history, nothing elsewhere.
    func testOnlyWarmPairsGetTheContentScore() throws {
        let data = TrainingFixture.data
        let map = ContentAffinity.fit(data: data, seed: 1)
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 3, seed: 5, centered: true)
        let (ru, rv) = ScoringPriors(warmContent: WarmContentPrior(weight: 0.5, map: map)).rankingEmbeddings(users: u, items: v, data: data)
        XCTAssertEqual(ru.cols, 3 + map.width)
        let dot = PriorFixtures.dot
        let warmUser = try XCTUnwrap((0..<data.userCount).first { data.isKnownUser[$0] })
        let coldUser = try XCTUnwrap((0..<data.userCount).first { !data.isKnownUser[$0] })
        let warmItem = try XCTUnwrap((0..<data.itemCount).first { data.isKnownItem[$0] })
        let coldItem = try XCTUnwrap((0..<data.itemCount).first { !data.isKnownItem[$0] })
        XCTAssertEqual(dot(ru, warmUser, rv, warmItem),
                       dot(u, warmUser, v, warmItem) + 0.5 * dot(map.users, warmUser, map.items, warmItem), accuracy: 1e-4)
        XCTAssertEqual(dot(ru, coldUser, rv, warmItem), dot(u, coldUser, v, warmItem), accuracy: 1e-5)
        XCTAssertEqual(dot(ru, warmUser, rv, coldItem), dot(u, warmUser, v, coldItem), accuracy: 1e-5)
        XCTAssertEqual(WarmContentPrior(weight: 0, map: map).width, 0)
    }

    /// Towers that rank warm pairs at random, and a fixture whose item genre names the group
    /// its users click: the validation warm users choose a positive weight, and it lifts them.
    func testSelectionTakesTheContentWhenTheTowersKnowNothing() throws {
        let data = TrainingFixture.data
        let map = ContentAffinity.fit(data: data, seed: 1)
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 4, seed: 6, centered: true)
        let target = data.evaluationTarget(.validationWarm)
        let evaluator = Evaluator(targets: [target], ks: [20], itemCount: data.itemCount)
        let towers = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: u, itemEmbeddings: v)?.recall(at: 20))
        let chosen = try XCTUnwrap(WarmContentPrior.select(users: u, items: v, data: data, map: map, target: target,
                                                           evaluator: evaluator, k: 20))
        XCTAssertGreaterThan(chosen.prior.weight, 0)
        XCTAssertGreaterThan(chosen.recall, towers * 1.5, "towers alone \(towers)")
    }

    /// The run chooses it after the teacher; `off` leaves it out; a checkpoint keeps it and the
    /// cold-item prior over one stored map, so rankings after a reload are the run's.
    func testTheRunChoosesItAndACheckpointKeepsBothItemContentPriors() throws {
        var s = PriorFixtures.wmfSettings()
        XCTAssertEqual(s.warmContent, .auto)
        let t = try Trainer(data: TrainingFixture.data, settings: s)
        t.chooseWarmPrior()
        XCTAssertGreaterThan(t.warmContentPrior.weight, 0, "the fixture's genres name each user's items")
        t.coldItemPrior = ColdItemPrior(weight: 0.3, map: try XCTUnwrap(t.coldItemMap))
        t.warmContentPrior = WarmContentPrior(weight: 0.2, map: t.coldItemMap)
        let (c, restored) = try PriorFixtures.roundTrip(t, file: "content.dnckpt")
        XCTAssertEqual(ModelCheckpoint.warmContentPrior(of: c).weight, 0.2)
        XCTAssertEqual(ModelCheckpoint.coldItemPrior(of: c).weight, 0.3)
        XCTAssertTrue(restored.coldItemPrior.map === restored.warmContentPrior.map, "one map, stored once")

        t.coldItemPrior = ColdItemPrior()
        let alone = try PriorFixtures.roundTrip(t, file: "warm-content.dnckpt").checkpoint
        XCTAssertEqual(ModelCheckpoint.warmContentPrior(of: alone).weight, 0.2, "stored without the cold-item prior")

        s.warmContent = .off
        let off = try Trainer(data: TrainingFixture.data, settings: s)
        off.chooseWarmPrior()
        XCTAssertEqual(off.warmContentPrior.width, 0)
    }
}
