import XCTest
import DropoutNet

/// Live validation runs on a seeded sample of each split's users (`eval_users`): the same users
/// every time, a real subset with each user's own held-out and masked items.
final class EvaluationSampleTests: XCTestCase {
    private func split(users: Int, name: String = "validation_warm") -> EvaluationTarget {
        var held: [Int32: [Int32]] = [:], excl: [Int32: [Int32]] = [:]
        for u in 0..<Int32(users) {
            held[u] = [u % 50, (u * 7) % 50]
            excl[u] = [(u + 1) % 50]
        }
        return EvaluationTarget(name: name, heldOut: held, exclude: excl, candidates: nil)
    }

    func testTheSampleIsASeededSubsetWithEachUsersOwnItems() {
        let full = split(users: 1000)
        let a = full.sample(maxUsers: 100, seed: 42)
        XCTAssertEqual(a.userCount, 100)
        XCTAssertEqual(a.users, a.users.sorted(), "kept in the split's order")
        XCTAssertEqual(Set(a.users).count, 100, "no user twice")
        for i in 0..<a.userCount {
            let j = full.users.firstIndex(of: a.users[i])!
            XCTAssertEqual(Array(a.heldOut(ofUserAt: i)), Array(full.heldOut(ofUserAt: j)))
            XCTAssertEqual(Array(a.excluded(ofUserAt: i)), Array(full.excluded(ofUserAt: j)))
        }
        XCTAssertEqual(full.sample(maxUsers: 100, seed: 42).users, a.users, "the same users every time")
        XCTAssertNotEqual(full.sample(maxUsers: 100, seed: 43).users, a.users, "another seed, another sample")
        XCTAssertNotEqual(split(users: 1000, name: "validation_cold_user").sample(maxUsers: 100, seed: 42).users, a.users,
                          "splits of one seed are drawn independently")
        // Not just the first users: the sample spreads over the split.
        XCTAssertGreaterThan(a.users.last!, 500)
    }

    func testASplitNoLargerThanTheSampleIsEvaluatedWhole() {
        let full = split(users: 80)
        XCTAssertEqual(full.sample(maxUsers: 100, seed: 1).users, full.users)
        XCTAssertEqual(full.sample(maxUsers: 0, seed: 1).users, full.users, "0 means every user")
    }
}
