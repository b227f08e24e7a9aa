import XCTest
@testable import DropoutNet

final class SplitTests: XCTestCase {
    static let sample: Dataset = try! DataFixture.load(DataFixture.sampleData)

    func testRandomSplitIsDisjointColdIsColdAndSeeded() throws {
        let d = Self.sample
        let s = try Splitter.make(d, SplitOptions())
        let all = s.train + s.validation + s.warmTest + s.coldUserTest + s.coldItemTest
        XCTAssertEqual(Set(all).count, all.count, "an interaction is in two parts")
        let coldUsers = Set(s.coldUsers), coldItems = Set(s.coldItems)
        for k in s.train {
            XCTAssertFalse(coldUsers.contains(d.users[Int(k)]))
            XCTAssertFalse(coldItems.contains(d.items[Int(k)]))
        }
        for k in s.coldItemTest { XCTAssertTrue(Set(s.coldItemCandidates).contains(d.items[Int(k)])) }
        for k in s.coldUserTest { XCTAssertTrue(coldUsers.contains(d.users[Int(k)])) }
        XCTAssertEqual(Double(s.coldItemCandidates.count), 0.1 * Double(Set(d.items).count), accuracy: 0.02 * Double(d.itemCount))
        XCTAssertEqual(try Splitter.make(d, SplitOptions()), s)
        XCTAssertNotEqual(try Splitter.make(d, SplitOptions(seed: 2)).coldItems, s.coldItems)
    }

    func testWarmTestUsersAndItemsStayKnown() throws {
        let d = Self.sample
        let data = try TrainingData.prepare(dataset: d, split: try Splitter.make(d, SplitOptions()))
        for k in data.split.warmTest {
            XCTAssertTrue(data.isKnownUser[Int(d.users[Int(k)])])
            XCTAssertTrue(data.isKnownItem[Int(d.items[Int(k)])])
        }
    }

    func testSplitRoundTripsExactlyThroughFileAndBytes() throws {
        let s = try Splitter.make(Self.sample, SplitOptions(seed: 9))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try s.write(to: path)
        XCTAssertEqual(try Split.read(from: path), s)
        XCTAssertEqual(try Split(serialized: s.serialized()), s)
        var bytes = s.serialized()
        bytes.removeLast(5)
        XCTAssertThrowsError(try Split(serialized: bytes)) { XCTAssertTrue("\($0)".contains("corrupt"), "\($0)") }
    }

    func testBadFractionsAreRejectedWithTheFlagName() {
        XCTAssertThrowsError(try Splitter.make(Self.sample, SplitOptions(coldItems: 1.5))) {
            XCTAssertTrue("\($0)".contains("--cold-items"), "\($0)")
        }
    }
}
