import XCTest
@testable import DropoutNet

/// Every input `scripts/fuzz.sh` found that crashed the program, fed the way the harness fed it
/// (the input is in the test), plus the smallest form of the same mistake through the paths a
/// user takes. Each must now be a clear error naming file, line and column.
final class FuzzRegressionTests: XCTestCase {
    /// settings-toml, finding 1: toml++ aborted (an assertion) on a table header whose `[` is
    /// followed by a newline (line 3 here); the invalid UTF-8 byte is decoded as the harness did.
    func testSettingsTableHeaderWithoutANameIsASyntaxError() {
        let input: [UInt8] = [
            0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x20, 0x3d, 0x20, 0x22, 0x65, 0x61, 0x73,
            0x79, 0x72, 0x65, 0x63, 0x22, 0x0a, 0x72, 0x20, 0x3d, 0x20, 0x5b, 0x36,
            0x34, 0x2c, 0x20, 0x33, 0x32, 0x5d, 0x0a, 0x5b, 0x0a, 0x61, 0x6e, 0x74,
            0x67, 0x65, 0x69, 0x76, 0x65, 0x73, 0x5d, 0x0a, 0x6d, 0x20, 0x3d, 0x20,
            0x31, 0x36, 0xed, 0x73, 0x68, 0x69, 0x66, 0x74, 0x73, 0x20, 0x3d, 0x20,
            0x22, 0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x22, 0x0a,
        ]
        XCTAssertThrowsError(try SettingsFile.parse(String(decoding: input, as: UTF8.self), file: "settings.toml")) { error in
            let e = error as? SettingsFileError
            XCTAssertEqual(e?.line, 3, "\(error)")
            XCTAssertEqual(e?.column, 2, "\(error)")
            XCTAssertTrue("\(error)".contains("expected a table name after '['"), "\(error)")
        }
    }

    /// settings-toml, finding 2: the same header after a byte order mark, which the parser skips.
    func testATableHeaderWithoutANameAfterAByteOrderMarkIsASyntaxError() {
        let input: [UInt8] = [0xef, 0xbb, 0xbf, 0x5b, 0x2f, 0x9f, 0x3d, 0x20, 0xc5]
        XCTAssertThrowsError(try SettingsFile.parse(String(decoding: input, as: UTF8.self), file: "settings.toml")) { error in
            XCTAssertEqual((error as? SettingsFileError)?.line, 1, "\(error)")
            XCTAssertEqual((error as? SettingsFileError)?.column, 2, "\(error)")
        }
    }

    /// settings-toml, finding 3: toml++ aborted on a `}` where an array expects a value.
    func testACloseBraceWhereAnArrayExpectsAValueIsASyntaxError() {
        let input: [UInt8] = [
            0x65, 0x65, 0x3d, 0x20, 0x5b, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d,
            0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x7d, 0x6e, 0x64, 0x6f, 0x6d, 0x36, 0x34, 0x2c, 0x00,
            0x6d, 0x6c, 0x20, 0x5d, 0x0a, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x65, 0x20,
            0x3d, 0x72, 0x20, 0x93, 0x20, 0x22,
        ]
        XCTAssertThrowsError(try SettingsFile.parse(String(decoding: input, as: UTF8.self), file: "settings.toml")) { error in
            XCTAssertEqual((error as? SettingsFileError)?.line, 1, "\(error)")
            XCTAssertEqual((error as? SettingsFileError)?.column, 6, "\(error)")
        }
        XCTAssertThrowsError(try SettingsFile.parse("user_tower = [64, # two layers\n }\n", file: "settings.toml")) { error in
            XCTAssertEqual((error as? SettingsFileError)?.line, 2, "\(error)")
        }
    }

    /// citeulike, finding 1: mult.dat and item-tag.dat of different lengths (here an empty
    /// mult.dat) gave the words column fewer values than items, and encoding it trapped.
    func testCiteULikeContentFilesOfDifferentLengthsAreADataError() throws {
        let input: [UInt8] = [
            0x31, 0x20, 0x30, 0x0a, 0x32, 0x20, 0x30, 0x20, 0x31, 0x0a, 0x00, 0x00, 0x00, 0x31, 0x20, 0x30,
            0x0a, 0x31, 0x20, 0x31, 0x0a, 0x00, 0x61, 0x0a, 0x62, 0x0a,
        ]
        // The harness's NUL-separated parts: users.dat, mult.dat, vocabulary.dat, item-tag.dat, tags.dat.
        let names = ["users.dat", "mult.dat", "vocabulary.dat", "item-tag.dat", "tags.dat"]
        let parts = input.split(separator: 0, omittingEmptySubsequences: false)
        let dir = try DataFixture.directory(bytes: Dictionary(uniqueKeysWithValues: zip(names, parts.map { Array($0) })))
        defer { DataFixture.remove(dir) }
        XCTAssertThrowsError(try DatasetLoader.load(directory: dir, format: .citeulike, useCache: false, cache: nil)) { error in
            XCTAssertEqual((error as? DataError)?.file, "item-tag.dat", "\(error)")
            XCTAssertTrue("\(error)".contains("like mult.dat (0 lines)"), "\(error)")
        }
    }

    func testDatasetTOMLTableHeaderWithoutANameIsADataError() throws {
        let dir = try DataFixture.directory([
            "dataset.toml": "name = \"x\"\n[ =\n",
            "interactions.csv": "u1,i1,1\nu2,i1,1\n",
        ])
        defer { DataFixture.remove(dir) }
        XCTAssertThrowsError(try DatasetLoader.load(directory: dir, useCache: false, cache: nil)) { error in
            let e = error as? DataError
            XCTAssertEqual(e?.line, 2, "\(error)")
            XCTAssertEqual(e?.column, 3, "\(error)")
        }
    }

    /// The check stops only what the parser cannot report; valid TOML with `[` at the start of
    /// a line inside arrays and strings, and the parser's own errors, pass through it.
    func testThePreflightRejectsOnlyHeadersWithoutAName() {
        let valid = [
            "a = 1\n[t]\nb = 2\n[[arr]]\nc = 3\n[ \"quoted key\" ]\n[t.'lit'.x]\n",
            "x = [\n  [\n    1, 2],\n  [3],\n]\n",
            "s = \"\"\"\n[\n=\"\"\"\"\"\nl = '''\n[\n'''\n# [\n",
            "t = { a = [\n1] }\n",
            "a = [{ b = 1 }, { c = [] }]\nd = [[1], []]\n",
            "e = { f = \"}\" }\n",
        ]
        for text in valid { XCTAssertNoThrow(try TOMLPreflight.check(text), text) }
        let left = ["[", "[ ]", "[ [a]]", "[]"]   // end of text, empty name, spaced brackets: the parser's errors
        for text in left { XCTAssertNoThrow(try TOMLPreflight.check(text), text) }
        let bad: [(String, Int, Int)] = [("[\nx]\n", 1, 2), ("a = 1\n  [=\n", 2, 4), ("[[ [x]]]\n", 1, 4),
                                         ("[[[x]]]\n", 1, 3), ("[ #\n", 1, 3), ("[\u{e9}]\n", 1, 2), ("[,]", 1, 2),
                                         ("a = [}", 1, 6), ("a = [1,\n  }", 2, 3), ("a = { b = [ }", 1, 13)]
        for (text, line, column) in bad {
            XCTAssertThrowsError(try TOMLPreflight.check(text), text) { error in
                XCTAssertEqual(error as? TOMLPreflight.Problem,
                               TOMLPreflight.Problem(line: line, column: column, message: (error as? TOMLPreflight.Problem)?.message ?? ""), text)
            }
        }
    }
}
