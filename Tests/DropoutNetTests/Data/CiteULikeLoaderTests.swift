import XCTest
@testable import DropoutNet

final class CiteULikeLoaderTests: XCTestCase {
    /// Four items, three users, a cold-item reference split with 1-based ids.
    static let files: [String: String] = [
        "users.dat": "2 0 1\n3 1 2 3\n1 0\n",
        "mult.dat": "2 0:2 1:1\n1 2:1\n2 1:3 3:1\n1 3:2\n",
        "vocabulary.dat": "neural\nnetwork\ngenome\nprotein\n",
        "item-tag.dat": "1 0\n0\n2 0 1\n1 1\n",
        "train.csv": "1,1,1\n1,2,1\n2,2,1\n2,3,1\n3,1,1\n",
        "test.csv": "2,4,1\n",
        "test_item_ids.csv": "4\n",
    ]

    func testLoadsUsersItemsAndContentWithReferenceIds() throws {
        let dir = try DataFixture.directory(Self.files)
        defer { DataFixture.remove(dir) }
        XCTAssertEqual(try DatasetLoader.detect(directory: dir), .citeulike)
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.userIDs, ["1", "2", "3"])
        XCTAssertEqual(d.itemIDs, ["1", "2", "3", "4"])
        XCTAssertEqual(d.interactionCount, 6)
        XCTAssertEqual(d.positiveCount, 6)
        let words = d.itemContent.columns.first { $0.name == "words" }!
        XCTAssertEqual(words.kind, .text)
        XCTAssertEqual(words.values[0], "neural neural network")
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "tags" }?.values, ["t0", "", "t0|t1", "t1"])
    }

    func testReferenceSplitMakesTheTestItemCold() throws {
        let dir = try DataFixture.directory(Self.files)
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        let s = try Splitter.make(d, SplitOptions(splitDir: dir))
        XCTAssertEqual(s.train.count, 5)
        XCTAssertEqual(s.coldItems.map { d.itemIDs[Int($0)] }, ["4"])
        XCTAssertEqual(s.coldItemCandidates.map { d.itemIDs[Int($0)] }, ["4"])
        XCTAssertEqual(s.coldItemTest.count, 1)
        XCTAssertTrue(s.warmTest.isEmpty && s.coldUsers.isEmpty)
        let data = try TrainingData.prepare(dataset: d, split: s, encoderOptions: EncoderOptions(textMinDocumentFrequency: 1))
        XCTAssertEqual(data.evaluationTarget(.coldItem).userCount, 1)
        // The cold item's word "protein" appears in a training item too (item 3), so it encodes.
        XCTAssertTrue(data.itemFeatures.sparseNames.contains("words:protein"))
        XCTAssertGreaterThan(data.itemFeatures.sparse.rowPointers[4] - data.itemFeatures.sparse.rowPointers[3], 0)
    }

    func testCorruptCiteULikeFiles() {
        var f = Self.files
        f["users.dat"] = "2 0 1\n3 1 2\n"
        XCTAssertEqual(DataFixture.loadError(f)?.description, "users.dat:2:4: expected 3 item ids after the count, got 2")
        f["users.dat"] = "2 0 9\n"
        XCTAssertEqual(DataFixture.loadError(f)?.description, "users.dat:1:3: item id 9 is beyond the 4 items of the content file")
        f = Self.files
        f["mult.dat"] = "2 0:2 1\n"
        XCTAssertEqual(DataFixture.loadError(f)?.description, "mult.dat:1:3: expected word:count, got '1'")
        f["mult.dat"] = "1 7:1\n"
        XCTAssertEqual(DataFixture.loadError(f)?.description, "mult.dat:1:2: id 7 is beyond the 4 names of the vocabulary")
    }
}
