import DropoutNet
import Numerics
import XCTest

/// The explorer's queries on a world small enough to rank by hand: 4 users, 5 items, 2-d
/// embeddings with exactly representable values, so every score and order is known.
final class ExplorerQueriesTests: XCTestCase {
    /// Interactions (user, item, label) and where each goes:
    ///   0 u0 i0 1 train   1 u0 i1 1 train   2 u1 i0 1 train   3 u1 i2 1 warm test
    ///   4 u0 i3 1 validation (i3 has no training: cold item)   5 u2 i4 1 cold-item test
    ///   6 u2 i1 1 train   7 u3 i2 1 cold-user test   8 u1 i1 0 train (shown, not clicked)
    ///   9 u2 i2 0 train (shown, not clicked: i2 has training interactions but u2 may get it)
    static let data: TrainingData = {
        let users: [Int32] = [0, 0, 1, 1, 0, 2, 2, 3, 1, 2]
        let items: [Int32] = [0, 1, 0, 2, 3, 4, 1, 2, 1, 2]
        let labels: [UInt8] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
        let userContent = SideContent(columns: [
            .init(name: "age", kind: .categorical, values: ["young", "old", "young", "mid"]),
        ], count: 4)
        let itemContent = SideContent(columns: [
            .init(name: "title", kind: .display, values: ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]),
            .init(name: "genres", kind: .multi, values: ["a|b", "b", "c", "a", "c|d"]),
            .init(name: "year", kind: .numeric, values: ["1990", "2000", "2010", "", "2020"]),
        ], count: 5)
        let dataset = Dataset(name: "tiny", userIDs: ["u0", "u1", "u2", "u3"], itemIDs: ["i0", "i1", "i2", "i3", "i4"],
                              users: users, items: items, labels: labels, userContent: userContent, itemContent: itemContent)
        let split = Split(train: [0, 1, 2, 6, 8, 9], validation: [4], warmTest: [3], coldUserTest: [7], coldItemTest: [5],
                          coldUsers: [3], coldItems: [3, 4], coldItemCandidates: [3, 4], origin: "by hand")
        return try! TrainingData.prepare(dataset: dataset, split: split)
    }()

    static let users = Matrix([[1, 0], [0, 1], [1, 1], [1, -1]])
    static let items = Matrix([[0.75, 0.25], [0.5, 0.5], [0.25, 1], [0.625, 0], [0.125, 0.375]])

    private func items(_ user: Int, k: Int, candidates: [Int32]? = nil) -> [RankedItem] {
        ExplorerQueries.topItems(forUser: user, data: Self.data, userEmbeddings: Self.users, itemEmbeddings: Self.items,
                                 k: k, candidates: candidates)
    }

    private func users(_ item: Int, k: Int, candidates: [Int32]? = nil) -> [RankedUser] {
        ExplorerQueries.topUsers(forItem: item, data: Self.data, userEmbeddings: Self.users, itemEmbeddings: Self.items,
                                 k: k, candidates: candidates)
    }

    func testWarmUsersTopItemsMaskTrainingPositivesAndMarkHeldOutHits() {
        // u0 scores i0 .75 i1 .5 i2 .25 i3 .625 i4 .125; i0 and i1 are its training positives;
        // i3 is its validation item.
        XCTAssertEqual(items(0, k: 3), [RankedItem(item: 3, score: 0.625, hit: true), RankedItem(item: 2, score: 0.25, hit: false),
                                        RankedItem(item: 4, score: 0.125, hit: false)])
        // u1 liked i0 (masked) but was only shown i1 (not masked); i2 is its warm test item.
        XCTAssertEqual(items(1, k: 2), [RankedItem(item: 2, score: 1, hit: true), RankedItem(item: 1, score: 0.5, hit: false)])
    }

    func testColdUserRanksEveryItemAndFindsItsHeldOutItemLast() {
        // u3 has no training positives: all five items, its cold-user test item i2 last.
        XCTAssertEqual(items(3, k: 10).map(\.item), [3, 0, 1, 4, 2])
        XCTAssertEqual(items(3, k: 10).map(\.hit), [false, false, false, false, true])
        XCTAssertEqual(items(3, k: 10).map(\.score), [0.625, 0.5, 0, -0.25, -0.75])
    }

    func testCandidatesRestrictTheItems() {
        // Among the cold items only: u2 scores i3 .625, i4 .5 (its cold-item test item).
        XCTAssertEqual(items(2, k: 5, candidates: [3, 4]), [RankedItem(item: 3, score: 0.625, hit: false),
                                                            RankedItem(item: 4, score: 0.5, hit: true)])
    }

    func testTopUsersOfAColdItemFlagTheUserWhoTookIt() {
        // i4 is cold; u2 has it in the cold-item test split.
        XCTAssertEqual(users(4, k: 4), [RankedUser(user: 2, score: 0.5, hit: true), RankedUser(user: 1, score: 0.375, hit: false),
                                        RankedUser(user: 0, score: 0.125, hit: false), RankedUser(user: 3, score: -0.25, hit: false)])
    }

    func testTopUsersLeaveOutUsersWhoTrainedOnTheItem() {
        // i0 was liked in training by u0 and u1: only u2 and u3 are left.
        XCTAssertEqual(users(0, k: 4), [RankedUser(user: 2, score: 1, hit: false), RankedUser(user: 3, score: 0.5, hit: false)])
        // i2 is held out for u1 (warm test) and u3 (cold-user test).
        XCTAssertEqual(users(2, k: 4).map(\.user), [2, 1, 0, 3])
        XCTAssertEqual(users(2, k: 4).map(\.hit), [false, true, false, true])
        XCTAssertEqual(users(2, k: 4, candidates: [0, 3]).map(\.user), [0, 3])
    }

    func testTiesGoToTheLowerIndex() {
        // u3 = (1, −1) has no training positives; with i0 moved onto i3's embedding both score
        // 0.625, and i0 ranks first.
        let tied = Matrix([[0.625, 0], [0.5, 0.5], [0.25, 1], [0.625, 0], [0.125, 0.375]])
        let ranked = ExplorerQueries.topItems(forUser: 3, data: Self.data, userEmbeddings: Self.users, itemEmbeddings: tied, k: 2)
        XCTAssertEqual(ranked.map(\.item), [0, 3])
    }

    func testHeldOutListsCoverTestAndValidation() {
        XCTAssertEqual(ExplorerQueries.heldOutItems(ofUser: 0, data: Self.data), [3])
        XCTAssertEqual(ExplorerQueries.heldOutItems(ofUser: 1, data: Self.data), [2])
        XCTAssertEqual(ExplorerQueries.heldOutUsers(ofItem: 2, data: Self.data), [1, 3])
        XCTAssertEqual(ExplorerQueries.heldOutUsers(ofItem: 0, data: Self.data), [])
        XCTAssertEqual(ExplorerQueries.heldOutUserCounts(data: Self.data), [0, 0, 2, 1, 1])
    }

    func testDescriptionsDecodeContentWithTheTrainingVocabulary() {
        let item = ExplorerQueries.describeItem(4, data: Self.data)
        XCTAssertEqual(item.id, "i4")
        XCTAssertEqual(item.title, "Epsilon")
        XCTAssertTrue(item.isCold)
        XCTAssertEqual(item.trainingPositives, 0)
        XCTAssertEqual(item.content, [.init("title", "Epsilon"), .init("genres", "c|d"), .init("year", "2020")])
        // Years of the trained items are 1990, 2000, 2010 (mean 2000, sd √(200/3)); genre "d"
        // never occurs in training, so the model does not see it.
        XCTAssertEqual(item.encoded, [.init("year (z)", "2.449"), .init("genres=c", "1")])
        XCTAssertEqual(ExplorerQueries.itemLabel(4, data: Self.data), "i4 Epsilon")

        let warm = ExplorerQueries.describeItem(1, data: Self.data)
        XCTAssertFalse(warm.isCold)
        XCTAssertEqual(warm.trainingPositives, 2)

        let user = ExplorerQueries.describeUser(3, data: Self.data)
        XCTAssertTrue(user.isCold)
        XCTAssertNil(user.title)
        XCTAssertEqual(user.content, [.init("age", "mid")])
        XCTAssertEqual(user.encoded, [], "'mid' is not in the training vocabulary")
        XCTAssertEqual(ExplorerQueries.describeUser(0, data: Self.data).encoded, [.init("age=young", "1")])
        XCTAssertEqual(ExplorerQueries.describeUser(0, data: Self.data).trainingPositives, 2)
    }
}
