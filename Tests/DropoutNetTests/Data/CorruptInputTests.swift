import XCTest
@testable import DropoutNet

/// Bad files must give a `DataError` naming file, line, column and what was expected — never a
/// trap. Each case asserts on the message a user would read.
final class CorruptInputTests: XCTestCase {
    private func assertError(_ files: [String: String], _ expected: String, format: DataFormat = .auto,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let e = DataFixture.loadError(files, format: format, file: file, line: line) else { return }
        XCTAssertTrue(e.description.contains(expected), "got: \(e.description)", file: file, line: line)
    }

    func testBadLabelNamesFileLineAndColumn() {
        assertError(["interactions.csv": "a,x,1\nb,y,1\n" + String(repeating: "c,z,0\n", count: 14) + "d,w,x\n"],
                    "interactions.csv:17:3: expected a label 0 or 1, got 'x'")
    }

    func testWrongFieldCountsAndTruncatedLines() {
        assertError(["interactions.csv": "a,x,1\nb,y\n"], "interactions.csv:2:3: expected 3 to 5 fields")
        assertError(["interactions.csv": "a,x,1\nb,y,1,1,5,extra\n"], "interactions.csv:2:6: expected 3 to 5 fields")
        assertError(["interactions.csv": "a,x,1\nb"], "interactions.csv:2:2: expected 3 to 5 fields")
        assertError(["interactions.csv": "a,x,1\n,y,1\n"], "interactions.csv:2:1: expected a user id")
        assertError(["interactions.csv": "a,,1\n"], "interactions.csv:1:2: expected an item id")
    }

    func testSwappedColumnsAreCaught() {
        // label and item swapped: the label column holds an id.
        assertError(["interactions.csv": "user,item,label\nu1,1,i9\n"], "interactions.csv:2:3: expected a label 0 or 1, got 'i9'")
        assertError(["interactions.csv": "a,x,1,heavy\n"], "interactions.csv:1:4: expected a non-negative weight, got 'heavy'")
        assertError(["interactions.csv": "a,x,1,1,yesterday\n"], "interactions.csv:1:5: expected an integer timestamp")
    }

    func testEmptyAndMissingFiles() {
        assertError(["interactions.csv": ""], "interactions.csv: expected at least one interaction, the file is empty")
        assertError(["interactions.csv": "user,item,label\n\n"], "the file is empty")
        assertError(["dataset.toml": "name = \"x\"\n"], "interactions.csv: missing file")
        assertError(["readme.txt": "hello"], "cannot tell the data format")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": ""], "items.csv:1: expected a header line")
    }

    func testNonUTF8BytesAreReportedNotDecodedBlindly() throws {
        let dir = try DataFixture.directory(bytes: ["interactions.csv": Array("a,x,1\n".utf8) + [0x62, 0xFF, 0xFE] + Array(",y,1\n".utf8)])
        defer { DataFixture.remove(dir) }
        XCTAssertThrowsError(try DataFixture.load(dir)) {
            XCTAssertEqual("\($0)", "interactions.csv:2:1: expected UTF-8 text, got bytes 'b\\xFF\\xFE'")
        }
        let dir2 = try DataFixture.directory(bytes: ["interactions.csv": Array("a,x,1\n".utf8),
                                                     "items.csv": Array("item,title\nx,Caf".utf8) + [0xE9] + [0x0A]])
        defer { DataFixture.remove(dir2) }
        XCTAssertThrowsError(try DataFixture.load(dir2)) { XCTAssertTrue("\($0)".hasPrefix("items.csv:2:2: expected UTF-8 text"), "\($0)") }
    }

    func testDuplicateIdsAndBadContentValues() {
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,genre\nx,drama\ny,comedy\nx,war\n"],
                    "items.csv:4:1: duplicate id 'x' (first on line 2)")
        assertError(["interactions.csv": "a,x,1\n", "users.csv": "user,age,age\na,1,2\n"], "users.csv:1: expected distinct column names")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,year\nx,1990\ny,soon\n",
                     "dataset.toml": "[items.columns]\nyear = \"numeric\"\n"],
                    "items.csv:3:2: expected a number in column 'year', got 'soon'")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,emb\nx,1 2 3\ny,1 2\n",
                     "dataset.toml": "[items.columns]\nemb = \"vector\"\n"],
                    "items.csv:3:2: expected a vector of 3 numbers")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,title\nx,\"unterminated\n"],
                    "items.csv:2:2: expected a closing quote")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,title,genre\nx,only-two\n"],
                    "items.csv:2:3: expected 3 fields (item,title,genre), got 2")
    }

    func testSchemaProblems() {
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,genre\nx,drama\n",
                     "dataset.toml": "[items.columns]\ngenre = \"categorical\"\nplot = \"text\"\n"],
                    "dataset.toml: the schema names column 'plot', which items.csv does not have (it has: genre)")
        assertError(["interactions.csv": "a,x,1\n", "items.csv": "item,genre\nx,drama\n",
                     "dataset.toml": "[items.columns]\ngenre = \"colour\"\n"],
                    "expected one of categorical, multi, numeric, text, vector, display, got 'colour'")
        assertError(["interactions.csv": "a,x,1\n", "dataset.toml": "name = \n"], "dataset.toml:1:")
        assertError(["interactions.csv": "a,x,1\n", "dataset.toml": "[users.columns]\nage = \"numeric\"\n"],
                    "the schema declares user columns but users.csv is missing")
    }

    func testRandomBytesNeverTrap() throws {
        var rng = SystemRandomNumberGenerator()
        let valid = Array("user,item,label\na,x,1\nb,y,0\nc,x,1\n".utf8)
        for trial in 0..<60 {
            var bytes = valid
            switch trial % 3 {
            case 0: bytes = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1: for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            default: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            }
            let dir = try DataFixture.directory(bytes: ["interactions.csv": bytes, "items.csv": bytes])
            defer { DataFixture.remove(dir) }
            do { _ = try DataFixture.load(dir) } catch let e as DataError {
                XCTAssertTrue(e.description.hasPrefix("interactions.csv") || e.description.hasPrefix("items.csv"), e.description)
            }
        }
    }

    func testSplitFilesWithUnknownIdsAndUnknownPairs() throws {
        let dir = try DataFixture.directory(["interactions.csv": "a,x,1\nb,y,1\na,y,0\n"])
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        func splitError(_ files: [String: String]) -> String {
            let sd = try! DataFixture.directory(files)
            defer { DataFixture.remove(sd) }
            do { _ = try Splitter.make(d, SplitOptions(splitDir: sd)); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(splitError(["train.csv": "a,x\n", "test.csv": "b,y\nq,y\n"]), "test.csv:2:1: unknown user id 'q' (not in the dataset)")
        XCTAssertEqual(splitError(["train.csv": "a,x\na,zz\n", "test.csv": "b,y\n"]), "train.csv:2:2: unknown item id 'zz' (not in the dataset)")
        XCTAssertEqual(splitError(["train.csv": "a,x\nb,x\n", "test.csv": "b,y\n"]), "train.csv:2: pair (b, x) is not an interaction of the dataset")
        XCTAssertEqual(splitError(["train.csv": "a,x\n", "test.csv": "a,x\n"]), "test.csv:1: pair (a, x) is already in another split file")
        XCTAssertEqual(splitError(["train.csv": "a,x\n"]), "test.csv: missing file: a split directory needs train.csv and test.csv (user,item[,label])")
        XCTAssertEqual(splitError(["train.csv": "a,x\n", "test.csv": ""]), "test.csv: expected at least one user,item pair, the file is empty")
        XCTAssertEqual(splitError(["train.csv": "a,x\n", "test.csv": "b,y\n", "test_item_ids.csv": "y\nnope\n"]),
                       "test_item_ids.csv:2:1: unknown item id 'nope' (not in the dataset)")
    }
}
