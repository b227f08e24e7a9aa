import Numerics
import XCTest
@testable import DropoutNet

/// `BatchSampler`: sample weights handed out with their rows, and `grouped` batching.
final class BatchSamplerTests: XCTestCase {
    /// Known groups: `users` users, each with `positives` clicked and `negatives` shown-only rows.
    /// The item id of a row is its index, so a batch tells which rows it holds.
    struct Fixture {
        var users: [Int32] = [], items: [Int32] = [], labels: [UInt8] = []

        init(users: Int, positives: Int, negatives: Int, heavy: (user: Int32, rows: Int)? = nil) {
            for u in 0..<users {
                for k in 0..<(positives + negatives) { add(Int32(u), k < positives ? 1 : 0) }
            }
            if let heavy { for k in 0..<heavy.rows { add(heavy.user, UInt8(k % 2)) } }
            // Rows of one user scattered, as in a real file.
            var rng = SplitMix64(seed: 99)
            for i in stride(from: self.users.count - 1, to: 0, by: -1) {
                let j = rng.nextInt(below: i + 1)
                self.users.swapAt(i, j); labels.swapAt(i, j)
            }
        }

        private mutating func add(_ u: Int32, _ label: UInt8) {
            users.append(u); items.append(Int32(items.count)); labels.append(label)
        }

        func sampler(batch: Int, batching: Settings.Batching, cap: Int = BatchSampler.defaultGroupCap, seed: UInt64 = 1,
                     weights: [Float]? = nil) throws -> BatchSampler {
            try BatchSampler(users: users, items: items, labels: labels, weights: weights, batchSize: batch,
                             batching: batching, groupCap: cap, rng: SplitMix64(seed: seed))
        }
    }

    /// One epoch's rows (item ids = row indices), batch by batch.
    private func epoch(_ s: BatchSampler) -> [[Int32]] {
        (0..<s.stepsPerEpoch).map { _ in s.next(); return Array(s.itemIDs) }
    }

    func testSampleWeightsTravelWithTheirRows() throws {
        let f = Fixture(users: 30, positives: 4, negatives: 3)
        let weights = (0..<f.users.count).map { Float($0 % 7) * 0.5 }
        for batching in Settings.Batching.allCases {
            let s = try f.sampler(batch: 20, batching: batching, weights: weights)
            for _ in 0..<(2 * s.stepsPerEpoch) {
                s.next()
                for r in 0..<20 { XCTAssertEqual(s.sampleWeights[r], weights[Int(s.itemIDs[r])], "\(batching)") }
            }
        }
        let unweighted = try f.sampler(batch: 20, batching: .shuffled)
        unweighted.next()
        XCTAssertTrue(unweighted.sampleWeights.allSatisfy { $0 == 1 }, "no weights: all 1")
    }

    func testGroupedEpochHoldsEveryRowOnce() throws {
        let f = Fixture(users: 37, positives: 5, negatives: 7, heavy: (3, 90))   // 534 rows
        let s = try f.sampler(batch: 89, batching: .grouped)                      // 6 batches, nothing dropped
        for _ in 0..<3 {
            let rows = epoch(s).flatMap { $0 }
            XCTAssertEqual(rows.count, 534)
            XCTAssertEqual(Set(rows).count, 534, "every row exactly once per epoch")
        }
        // With a partial last batch: full batches only, no row twice.
        let t = try f.sampler(batch: 100, batching: .grouped)
        let rows = epoch(t).flatMap { $0 }
        XCTAssertEqual(rows.count, 500)
        XCTAssertEqual(Set(rows).count, 500)
    }

    /// Before the within-batch shuffle, an epoch is the users' groups one after another: a user
    /// of at most `cap` rows is one contiguous run, a heavier one is dealt into groups of at most
    /// `cap` rows that each hold both labels.
    func testGroupsAreContiguousAndCappedBeforeTheBatchShuffle() throws {
        let f = Fixture(users: 40, positives: 3, negatives: 4, heavy: (7, 60))
        let s = try f.sampler(batch: 34, batching: .grouped, cap: 16)   // 340 rows: exactly 10 batches
        s.mixesGroupedBatch = false
        let rows = epoch(s).flatMap { $0 }
        XCTAssertEqual(rows.count, 340)
        var runs: [(user: Int32, rows: [Int32])] = []
        for r in rows {
            if runs.last?.user == f.users[Int(r)] { runs[runs.count - 1].rows.append(r) } else { runs.append((f.users[Int(r)], [r])) }
        }
        let light = runs.filter { $0.user != 7 }
        XCTAssertEqual(light.count, 39, "each light user is one run")
        XCTAssertTrue(light.allSatisfy { $0.rows.count == 7 })
        // User 7: 7 + 60 rows, ⌈67 / 16⌉ = 5 groups of 13–14 rows (two groups may meet in the order).
        let heavy = runs.filter { $0.user == 7 }
        XCTAssertEqual(heavy.reduce(0) { $0 + $1.rows.count }, 67)
        XCTAssertGreaterThanOrEqual(heavy.count, 2)
        let groupSizes = Set(heavy.map(\.rows.count))
        XCTAssertTrue(groupSizes.isSubset(of: [13, 14, 26, 27, 28, 40, 41, 54]), "\(groupSizes)")
        for run in heavy where run.rows.count <= 14 {
            XCTAssertEqual(Set(run.rows.map { f.labels[Int($0)] }), [0, 1], "a group holds both labels")
        }
    }

    /// Users of 3 positives and 3 shown-only rows, batch 48 = 8 whole users: every grouped batch
    /// has 8 × 3 × 3 = 72 hard pairs, whatever the shuffle within the batch; shuffled batches of
    /// the same rows find almost none.
    func testGroupedBatchesGiveTheHardPairwiseLossItsPairs() throws {
        let f = Fixture(users: 64, positives: 3, negatives: 3)
        func hardPairs(_ batching: Settings.Batching) throws -> [Int] {
            let s = try f.sampler(batch: 48, batching: batching)
            let loss = TrainingLoss(maxBatchSize: 48, maxNegatives: 0)
            let u = Matrix(rows: 48, cols: 2), v = Matrix(rows: 48, cols: 2), gu = Matrix(rows: 48, cols: 2), gv = Matrix(rows: 48, cols: 2)
            var rng = SplitMix64(seed: 1)
            return try (0..<(2 * s.stepsPerEpoch)).map { _ in
                s.next()
                return try loss.compute(users: u, items: v, labels: s.labels, userIDs: s.userIDs, itemIDs: s.itemIDs,
                                        sampleWeights: s.sampleWeights, params: .only(.hard_pairwise, m: 0), rng: &rng,
                                        gradUsers: gu, gradItems: gv).terms[.hard_pairwise]
            }
        }
        XCTAssertEqual(Set(try hardPairs(.grouped)), [72])
        let shuffled = try hardPairs(.shuffled)
        XCTAssertLessThan(Double(shuffled.reduce(0, +)) / Double(shuffled.count), 20)
    }

    /// The within-batch shuffle sends a roll by one row to another user most of the time; without
    /// it the row above is almost always the same user (its other positives: false negatives).
    func testBatchShuffleSpreadsRolledNegativesOverOtherUsers() throws {
        let f = Fixture(users: 64, positives: 6, negatives: 6)
        func sameUserShare(mixed: Bool) throws -> Double {
            let s = try f.sampler(batch: 96, batching: .grouped, cap: 12)
            s.mixesGroupedBatch = mixed
            var same = 0, total = 0
            for _ in 0..<s.stepsPerEpoch {
                s.next()
                for i in 0..<96 { total += 1; if s.userIDs[i] == s.userIDs[(i + 95) % 96] { same += 1 } }
            }
            return Double(same) / Double(total)
        }
        XCTAssertGreaterThan(try sameUserShare(mixed: false), 0.85)
        XCTAssertLessThan(try sameUserShare(mixed: true), 0.25)
    }

    func testSameSeedSameBatchesInBothModes() throws {
        let f = Fixture(users: 50, positives: 4, negatives: 5, heavy: (2, 40))
        for batching in Settings.Batching.allCases {
            func batches(_ seed: UInt64) throws -> [[Int32]] {
                let s = try f.sampler(batch: 32, batching: batching, seed: seed)
                return epoch(s) + epoch(s)
            }
            XCTAssertEqual(try batches(4), try batches(4), "\(batching)")
            XCTAssertNotEqual(try batches(4), try batches(5), "\(batching)")
            let s = try f.sampler(batch: 32, batching: batching, seed: 4)
            XCTAssertNotEqual(epoch(s), epoch(s), "\(batching): a fresh order each epoch")
        }
    }

    func testGroupedBatchingIsForTheEasyRecModel() throws {
        var s = Settings.classicDefaults
        try s.set("batching", "grouped")
        XCTAssertThrowsError(try s.validate()) { XCTAssertEqual(($0 as? SettingsError)?.key, "batching") }
        var e = Settings()
        try e.set("batching", "grouped")
        XCTAssertNoThrow(try e.validate())
    }
}
