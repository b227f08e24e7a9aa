import Numerics
import XCTest
@testable import DropoutNet

/// `ContentPopularity`: the clicks a cold user's content predicts, the prior behind cold users'
/// rankings.
final class ContentPopularityTests: XCTestCase {
    /// In the fixture a user of group g clicks items ≡ g (mod 5) ten times as often as others;
    /// a cold user's content names its group, so its predicted top items are its group's.
    func testColdUsersAreGivenTheirGroupsItems() throws {
        let data = TrainingFixture.data
        let map = ContentPopularity.fit(data: data, seed: 1)
        XCTAssertEqual(map.width, data.userFeatures.width + 1, "content columns and the constant")
        XCTAssertNotNil(map.heldOutRecall)
        XCTAssertEqual(map.candidates.count, ContentPopularity.Target.allCases.count * ContentPopularity.relativeRidges.count)
        let cold = (0..<data.userCount).filter { !data.isKnownUser[$0] }
        XCTAssertGreaterThan(cold.count, 10)
        var inGroup = 0, total = 0
        for u in cold {
            let scores = (0..<data.itemCount).map { i in (0..<map.width).reduce(Float(0)) { $0 + map.users[u, $1] * map.items[i, $1] } }
            for (i, _) in TopK.select(scores, k: 20) { total += 1; if i % 5 == u % 5 { inGroup += 1 } }
        }
        XCTAssertGreaterThan(Double(inGroup) / Double(total), 0.95, "\(inGroup) of \(total) top-20 items in the user's group")
    }

    /// Without user content the map is one list for everybody. 60 heavy users click items 0–24
    /// (23 each), 40 light users item 3 and one of 25–29: counted clicks put the heavy users'
    /// items first, but per user item 3 matters most, and a list led by it serves the held-out
    /// users better — the held-out choice picks the per-user target.
    func testWithoutContentTheHeldOutChoiceWeighsEveryUserTheSame() throws {
        var users: [Int32] = [], items: [Int32] = []
        for heavy in 0..<60 { for i in [0, 1, 2] + Array(5..<25) { users.append(Int32(heavy)); items.append(Int32(i)) } }
        for light in 60..<100 { for i in [3, 25 + light % 5] { users.append(Int32(light)); items.append(Int32(i)) } }
        let dataset = Dataset(name: "heavy", userIDs: (0..<100).map { "u\($0)" }, itemIDs: (0..<30).map { "i\($0)" },
                              users: users, items: items, labels: [UInt8](repeating: 1, count: users.count))
        let split = Split(train: (0..<Int32(users.count)).map { $0 }, validation: [], warmTest: [], coldUserTest: [],
                          coldItemTest: [], coldUsers: [], coldItems: [], coldItemCandidates: [], origin: "by hand")
        let data = try TrainingData.prepare(dataset: dataset, split: split)
        XCTAssertGreaterThan(data.itemPopularity[0], data.itemPopularity[3], "counted clicks favour the heavy users' items")
        let map = ContentPopularity.fit(data: data, seed: 3)
        XCTAssertEqual(map.width, 1)
        XCTAssertEqual(map.target, .perUser)
        let scores = (0..<30).map { map.users[0, 0] * map.items[$0, 0] }
        XCTAssertEqual(TopK.select(scores, k: 1).first?.index, 3)
        let counts = try XCTUnwrap(map.candidates.first { $0.target == .counts })
        let perUser = try XCTUnwrap(map.candidates.first { $0.target == .perUser })
        XCTAssertGreaterThan(perUser.recall, counts.recall)
    }

    /// The prior adds w·(z_u · W_i) to cold users' scores and nothing to warm users', with rows
    /// named by `userIDs` when the embeddings are a subset of users.
    func testThePriorAddsTheMapsScoreForColdUsersOnly() throws {
        let data = TrainingFixture.data
        let map = ContentPopularity.fit(data: data, seed: 1)
        let (u, v) = PriorFixtures.randomEmbeddings(data, width: 3, seed: 4)
        let prior = ColdUserPrior(weight: 0.5, map: map)
        let (ru, rv) = prior.rankingEmbeddings(users: u, items: v, data: data)
        XCTAssertEqual(ru.cols, 3 + map.width)
        let dot = PriorFixtures.dot
        let cold = try XCTUnwrap((0..<data.userCount).first { !data.isKnownUser[$0] })
        let warm = try XCTUnwrap((0..<data.userCount).first { data.isKnownUser[$0] })
        for i in [0, 7, 42] {
            XCTAssertEqual(dot(ru, warm, rv, i), dot(u, warm, v, i), accuracy: 1e-5)
            XCTAssertEqual(dot(ru, cold, rv, i), dot(u, cold, v, i) + 0.5 * dot(map.users, cold, map.items, i), accuracy: 1e-4)
        }
        // One row standing for user `cold`, flagged cold.
        let one = Matrix(rows: 1, cols: 3)
        one.row(0).update(from: u.row(cold), count: 3)
        let (su, _) = prior.rankingEmbeddings(users: one, items: v, data: data, coldUsers: [true], userIDs: [Int32(cold)])
        XCTAssertEqual(su.rowArray(0), ru.rowArray(cold))
    }

    /// A checkpoint keeps the map, so `recommend` and exports rank cold users as the run did.
    func testACheckpointKeepsTheMap() throws {
        let s = ClassicModelTests.settings()
        let t = try Trainer(data: TrainingFixture.data, settings: s, rawWMF: ClassicModelTests.fixtureWMF)
        let map = try XCTUnwrap(t.coldUserMap)
        t.coldUserPrior = ColdUserPrior(weight: 0.7, map: map)
        let identity = DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture")
        let c = try Checkpoint.decode(try ModelCheckpoint.make(trainer: t, dataset: identity, run: nil, metrics: [:]).encoded(),
                                      file: "prior.dnckpt")
        let back = ModelCheckpoint.coldUserPrior(of: c)
        XCTAssertEqual(back.weight, 0.7)
        let stored = try XCTUnwrap(back.map)
        XCTAssertEqual(stored.users.toArray(), map.users.toArray())
        XCTAssertEqual(stored.items.toArray(), map.items.toArray())
        let restored = try ModelCheckpoint.trainer(from: c, data: TrainingFixture.data, file: "prior.dnckpt")
        XCTAssertEqual(restored.rankingEmbeddings().users.toArray(), t.rankingEmbeddings().users.toArray())
    }
}
