import XCTest
import Numerics
@testable import DropoutNet

/// A split directory without `validation.csv` gets a validation carved from `train.csv`,
/// shaped like its test, and the test itself does not change.
final class ValidationCarveTests: XCTestCase {
    /// 80 users × 60 items, 12 positives a user; items 50…59 are the test's cold items, and a
    /// fifth of the pairs of users 0…39 with items 0…19 are warm test pairs.
    static func world() throws -> String {
        var rng = SplitMix64(seed: 3)
        var interactions = "", train = "", test = ""
        for u in 0..<80 {
            var items = Set<Int>()
            while items.count < 12 { items.insert(rng.nextInt(below: 60)) }
            for i in items.sorted() {
                interactions += "u\(u),i\(i),1\n"
                if i >= 50 || (u < 40 && i < 20 && rng.nextFloat() < 0.2) { test += "u\(u),i\(i)\n" } else { train += "u\(u),i\(i)\n" }
            }
        }
        return try DataFixture.directory(["interactions.csv": interactions, "train.csv": train, "test.csv": test])
    }

    func testCarvedValidationLeavesTheTestAsItWas() throws {
        let dir = try Self.world()
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        let reference = try Splitter.make(d, SplitOptions(validation: 0, splitDir: dir))
        let carved = try Splitter.make(d, SplitOptions(validation: 0.1, seed: 9, splitDir: dir))
        XCTAssertTrue(reference.validation.isEmpty, "--validation 0 keeps every training pair, as the reference does")
        XCTAssertEqual(carved.warmTest, reference.warmTest)
        XCTAssertEqual(carved.coldItemTest, reference.coldItemTest)
        XCTAssertEqual(carved.coldItemCandidates, reference.coldItemCandidates)
        XCTAssertEqual(Set(carved.train).union(carved.validation), Set(reference.train))
        XCTAssertTrue(carved.origin.contains("carved"))

        let data = try TrainingData.prepare(dataset: d, split: carved)
        // Validation has the test's two shapes: cold items (all their pairs) and warm pairs.
        let coldValidation = data.evaluationTarget(.validationColdItem), warmValidation = data.evaluationTarget(.validationWarm)
        XCTAssertGreaterThan(coldValidation.userCount, 0)
        XCTAssertGreaterThan(warmValidation.userCount, 0)
        XCTAssertEqual(data.evaluationTarget(.validationColdUser).userCount, 0, "the test has no cold users")
        let validationItems = Set(coldValidation.candidates ?? [])
        // Items with warm test pairs stay warm: a tenth of the 30 others becomes cold.
        XCTAssertEqual(validationItems.count, 3)
        XCTAssertTrue(validationItems.allSatisfy { (20..<50).contains($0) && !data.isKnownItem[Int($0)] })
        // Nobody the test asks about became unknown.
        for k in carved.warmTest + carved.coldItemTest {
            XCTAssertTrue(data.isKnownUser[Int(d.users[Int(k)])])
        }
        for k in carved.warmTest { XCTAssertTrue(data.isKnownItem[Int(d.items[Int(k)])]) }
        // Carving is seeded.
        XCTAssertEqual(try Splitter.make(d, SplitOptions(validation: 0.1, seed: 9, splitDir: dir)), carved)
        XCTAssertNotEqual(try Splitter.make(d, SplitOptions(validation: 0.1, seed: 10, splitDir: dir)).validation, carved.validation)
    }

    func testAGivenValidationFileIsKept() throws {
        let dir = try Self.world()
        defer { DataFixture.remove(dir) }
        let train = try String(contentsOfFile: dir + "/train.csv", encoding: .utf8).split(separator: "\n")
        try (train.prefix(20).joined(separator: "\n") + "\n").write(toFile: dir + "/validation.csv", atomically: true, encoding: .utf8)
        try (train.dropFirst(20).joined(separator: "\n") + "\n").write(toFile: dir + "/train.csv", atomically: true, encoding: .utf8)
        let d = try DataFixture.load(dir)
        let split = try Splitter.make(d, SplitOptions(validation: 0.1, splitDir: dir))
        XCTAssertEqual(split.validation.count, 20)
        XCTAssertFalse(split.origin.contains("carved"))
    }
    /// In the reference protocol (listed candidates) the warm test masks all of train.csv, so
    /// the carved pairs too; without listed candidates only the training positives.
    func testTheReferenceWarmTestMasksTheCarvedPairs() throws {
        let dir = try Self.world()
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        let plain = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions(validation: 0.1, splitDir: dir)))
        XCTAssertFalse(plain.warmTestMasksValidation)
        try ((0..<50).map { "i\($0)" }.joined(separator: "\n") + "\n").write(toFile: dir + "/test_item_ids.csv", atomically: true, encoding: .utf8)
        let data = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions(validation: 0.1, splitDir: dir)))
        XCTAssertTrue(data.warmTestMasksValidation)
        XCTAssertEqual(SplitExportMeta(data: data, files: [], embeddingDim: nil, checkpoint: nil).warmMasksValidation, true)
        let validation = data.evaluationTarget(.validationWarm), test = data.evaluationTarget(.warm)
        var checked = 0
        for (n, u) in test.users.enumerated() {
            guard let v = validation.users.firstIndex(of: u) else { continue }
            let masked = Set(test.excluded(ofUserAt: n))
            XCTAssertTrue(Set(validation.heldOut(ofUserAt: v)).isSubset(of: masked))
            XCTAssertTrue(Set(data.trainPositives[Int(u)]).isSubset(of: masked))
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0)
    }
}
