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
        let (warmUser, coldUser, warmItem, coldItem) = try PriorFixtures.firstWarmAndCold(data)
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
        XCTAssertEqual(ModelCheckpoint.warmContentPrior(of: c, model: nil).weight, 0.2)
        XCTAssertEqual(ModelCheckpoint.coldItemPrior(of: c).weight, 0.3)
        XCTAssertTrue(restored.coldItemPrior.map === restored.warmContentPrior.map, "one map, stored once")

        t.coldItemPrior = ColdItemPrior()
        let alone = try PriorFixtures.roundTrip(t, file: "warm-content.dnckpt").checkpoint
        XCTAssertEqual(ModelCheckpoint.warmContentPrior(of: alone, model: nil).weight, 0.2, "stored without the cold-item prior")

        s.warmContent = .off
        let off = try Trainer(data: TrainingFixture.data, settings: s)
        off.chooseWarmPrior()
        XCTAssertEqual(off.warmContentPrior.width, 0)
    }

    /// Of two content scores the validation keeps the one that ranks: the fixture's ridge map
    /// (genre names the group) against a map of noise, whichever source each is given as.
    func testTheSourceThatRanksIsChosen() throws {
        let data = TrainingFixture.data
        let informative = ContentAffinity.fit(data: data, seed: 1)
        let (nu, ni) = PriorFixtures.randomEmbeddings(data, width: 5, seed: 12, centered: true)
        let noise = ContentAffinity(users: nu, items: ni)
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 4, seed: 13, centered: true)
        let target = data.evaluationTarget(.validationWarm)
        let evaluator = Evaluator(targets: [target], ks: [20], itemCount: data.itemCount)
        let towersWin = try XCTUnwrap(WarmContentPrior.select([(.ridgeMap, noise), (.towers, informative)], users: u, items: v,
                                                              data: data, target: target, evaluator: evaluator, k: 20))
        XCTAssertEqual(towersWin.prior.source, .towers)
        XCTAssertTrue(towersWin.prior.map === informative)
        let mapWins = try XCTUnwrap(WarmContentPrior.select([(.ridgeMap, informative), (.towers, noise)], users: u, items: v,
                                                            data: data, target: target, evaluator: evaluator, k: 20))
        XCTAssertEqual(mapWins.prior.source, .ridgeMap)
        XCTAssertGreaterThan(mapWins.prior.weight, 0)
    }

    /// A prior on the towers' content path is not stored but rebuilt from the checkpoint's
    /// weights: the restored run ranks exactly as the one that wrote it.
    func testACheckpointRebuildsTheTowersContentPath() throws {
        let t = try Trainer(data: TrainingFixture.data, settings: PriorFixtures.wmfSettings())
        t.warmContentPrior = WarmContentPrior(weight: 0.4, source: .towers, map: WarmContentPrior.towersContentPath(t.model))
        let (c, restored) = try PriorFixtures.roundTrip(t, file: "towers-content.dnckpt")
        XCTAssertEqual(restored.warmContentPrior, t.warmContentPrior)
        XCTAssertNil(c.tensors["scoring/cold_item_map/users"], "no ridge map is stored for it")
        XCTAssertEqual(ModelCheckpoint.warmContentPrior(of: c, model: nil).width, 0, "without the model there is nothing to rebuild it from")
    }
}
