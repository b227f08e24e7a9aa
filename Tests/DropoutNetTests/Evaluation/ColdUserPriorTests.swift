import DropoutNet
import Numerics
import XCTest

/// The cold-user popularity prior on a world small enough to score by hand: 6 users, 4 items.
final class ColdUserPriorTests: XCTestCase {
    /// Training positives: i0 ×3 (u0, u1, u2), i1 ×2 (u0, u3), i2 ×1 (u1); i3 is only shown (u2,
    /// label 0). u4 and u5 have no training rows: u4's positive i0 is the validation cold user's,
    /// u5's positive i0 the cold-user test's.
    static let data: TrainingData = {
        let users: [Int32] = [0, 1, 2, 0, 3, 1, 2, 4, 5]
        let items: [Int32] = [0, 0, 0, 1, 1, 2, 3, 0, 0]
        let labels: [UInt8] = [1, 1, 1, 1, 1, 1, 0, 1, 1]
        let dataset = Dataset(name: "prior", userIDs: (0..<6).map { "u\($0)" }, itemIDs: (0..<4).map { "i\($0)" },
                              users: users, items: items, labels: labels)
        let split = Split(train: [0, 1, 2, 3, 4, 5, 6], validation: [7], warmTest: [], coldUserTest: [8], coldItemTest: [],
                          coldUsers: [4, 5], coldItems: [], coldItemCandidates: [], origin: "by hand")
        return try! TrainingData.prepare(dataset: dataset, split: split)
    }()

    /// Every user's embedding prefers i3, the one item nobody clicked.
    static let users = Matrix([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1]])
    static let items = Matrix([[1, 0], [0.5, 0.1], [0.2, 0.2], [0, 0.5]])

    func testTheColumnAddsWeightTimesLogPopularityForColdUsersOnly() {
        let prior = ColdUserPrior(weight: 2)
        let (u, v) = prior.rankingEmbeddings(users: Self.users, items: Self.items, data: Self.data)
        XCTAssertEqual(u.cols, 3)
        XCTAssertEqual(v.cols, 3)
        // 6 training positives: log((count + ½) / 6).
        let logP = [3.5, 2.5, 1.5, 0.5].map { Float(log($0 / 6)) }
        for user in 0..<6 {
            for item in 0..<4 {
                var score: Float = 0
                for j in 0..<3 { score += u[user, j] * v[item, j] }
                let own = Self.users[user, 0] * Self.items[item, 0] + Self.users[user, 1] * Self.items[item, 1]
                let expected = own + (user >= 4 ? 2 * logP[item] : 0)
                XCTAssertEqual(score, expected, accuracy: 1e-6, "user \(user), item \(item)")
            }
        }
    }

    func testWeightZeroLeavesTheEmbeddingsAlone() {
        let (u, v) = ColdUserPrior(weight: 0).rankingEmbeddings(users: Self.users, items: Self.items, data: Self.data)
        XCTAssertEqual(u.cols, 2)
        XCTAssertEqual(v.cols, 2)
    }

    /// The validation cold user wants i0, the most popular item; the towers put it second to
    /// last. A weight that lets popularity win is chosen, and it fixes the top-1.
    func testSelectionPicksAWeightThatHelpsTheValidationColdUsers() throws {
        let target = Self.data.evaluationTarget(.validationColdUser)
        let evaluator = Evaluator(targets: [target], ks: [1], itemCount: 4)
        let towersOnly = try XCTUnwrap(evaluator.evaluate(target, userEmbeddings: Self.users, itemEmbeddings: Self.items)?.recall(at: 1))
        XCTAssertEqual(towersOnly, 0)
        let chosen = try XCTUnwrap(ColdUserPrior.select(users: Self.users, items: Self.items, data: Self.data,
                                                        target: target, evaluator: evaluator, k: 1))
        XCTAssertGreaterThan(chosen.prior.weight, 0)
        XCTAssertEqual(chosen.recall, 1)
    }

    /// When the towers already rank the held-out item first, no prior is added (ties keep 0).
    func testSelectionKeepsTheTowersWhenThePriorDoesNotHelp() throws {
        let target = Self.data.evaluationTarget(.validationColdUser)
        let evaluator = Evaluator(targets: [target], ks: [1], itemCount: 4)
        let users = Matrix([[1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0]])
        let chosen = try XCTUnwrap(ColdUserPrior.select(users: users, items: Self.items, data: Self.data,
                                                        target: target, evaluator: evaluator, k: 1))
        XCTAssertEqual(chosen.prior.weight, 0)
        XCTAssertEqual(chosen.recall, 1)
    }

    func testNoValidationColdUsersMeansNoSelection() {
        let target = Self.data.evaluationTarget(.validationWarm)
        let evaluator = Evaluator(targets: [target], ks: [1], itemCount: 4)
        XCTAssertNil(ColdUserPrior.select(users: Self.users, items: Self.items, data: Self.data,
                                          target: target, evaluator: evaluator, k: 1))
    }
}
