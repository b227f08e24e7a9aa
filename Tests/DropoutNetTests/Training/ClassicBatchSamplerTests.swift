import Numerics
import XCTest
@testable import DropoutNet

final class ClassicBatchSamplerTests: XCTestCase {
    /// Random factors: 30 users, 200 items of which the even ones are candidates, rank 8.
    private func factors() -> (users: Matrix, items: Matrix, candidates: [Int32]) {
        var rng = SplitMix64(seed: 4)
        let u = Matrix(rows: 30, cols: 8), v = Matrix(rows: 200, cols: 8)
        for i in 0..<u.count { u.data[i] = rng.nextGaussian() }
        for i in 0..<v.count { v.data[i] = rng.nextGaussian() }
        return (u, v, stride(from: 0, to: 200, by: 2).map(Int32.init))
    }

    private func dot(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Float {
        (0..<a.cols).reduce(Float(0)) { $0 + a[i, $1] * b[j, $1] }
    }

    /// Rows in build order: per user its top-k candidates by raw WMF score (best first), then k
    /// random candidates; every target is the raw dot product.
    func testEachUserGetsItsWMFTopKThenRandomItemsWithRawScoreTargets() throws {
        let (u, v, candidates) = factors()
        let k = 5
        let sampler = try ClassicBatchSampler(userFactors: u, itemFactors: v, users: (0..<30).map(Int32.init),
                                              items: candidates, topK: k, batchSize: 16, groupSize: 7,
                                              rng: SplitMix64(seed: 1))
        sampler.shufflesRows = false
        var rows: [(Int32, Int32, Float)] = []
        while rows.count < 30 * 2 * k {
            sampler.next()
            for r in 0..<16 { rows.append((sampler.userIDs[r], sampler.itemIDs[r], sampler.labels[r])) }
        }
        rows = Array(rows.prefix(30 * 2 * k))
        let candidateSet = Set(candidates)
        var seenUsers = Set<Int32>()
        for block in 0..<30 {
            let part = rows[(block * 2 * k)..<((block + 1) * 2 * k)]
            let user = part.first!.0
            XCTAssertTrue(part.allSatisfy { $0.0 == user }, "one user per block of 2k rows")
            seenUsers.insert(user)
            for (uu, item, target) in part {
                XCTAssertTrue(candidateSet.contains(item), "item \(item) is not a candidate")
                XCTAssertEqual(target, dot(u, Int(uu), v, Int(item)), accuracy: 1e-4 * max(1, abs(target)))
            }
            let expected = candidates.map { (item: $0, score: dot(u, Int(user), v, Int($0))) }
                .sorted { $0.score > $1.score }.prefix(k).map(\.item)
            XCTAssertEqual(part.prefix(k).map(\.1), Array(expected), "user \(user)'s first k rows are its WMF top-k")
        }
        XCTAssertEqual(seenUsers.count, 30, "every user once per epoch")
        XCTAssertEqual(sampler.stepsPerEpoch, 30 * 2 * k / 16)
    }

    /// Shuffled batches still give every user exactly 2k rows per epoch, and the random half
    /// is spread over the catalogue rather than the top.
    func testShuffledEpochGivesEveryUserTwoKRows() throws {
        let (u, v, candidates) = factors()
        let k = 4
        let sampler = try ClassicBatchSampler(userFactors: u, itemFactors: v, users: (0..<30).map(Int32.init),
                                              items: candidates, topK: k, batchSize: 8, rng: SplitMix64(seed: 2))
        var perUser = [Int](repeating: 0, count: 30)
        var firstUsers: [Int32] = []
        for step in 0..<(30 * 2 * k / 8) {
            sampler.next()
            if step == 0 { firstUsers = Array(sampler.userIDs) }
            for r in 0..<8 { perUser[Int(sampler.userIDs[r])] += 1 }
        }
        XCTAssertEqual(Set(perUser), [2 * k])
        XCTAssertGreaterThan(Set(firstUsers).count, 1, "a batch mixes users")
        XCTAssertEqual(sampler.epoch, 0)
        sampler.next()
        XCTAssertEqual(sampler.epoch, 1)
    }

    func testNoTrainingUsersIsAClearError() {
        let (u, v, candidates) = factors()
        XCTAssertThrowsError(try ClassicBatchSampler(userFactors: u, itemFactors: v, users: [], items: candidates,
                                                     topK: 3, batchSize: 8, rng: SplitMix64(seed: 1))) { e in
            XCTAssertTrue("\(e)".contains("classic model"), "\(e)")
        }
    }
}
