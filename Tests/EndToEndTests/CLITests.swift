import XCTest
import Foundation

/// Runs the real `dropoutnet` binary built beside the tests.
final class CLITests: XCTestCase {
    func testVersionAndHelp() throws {
        let out = try CLI.run(["--version"])
        XCTAssertEqual(out.status, 0)
        XCTAssertTrue(out.stdout.contains("0."), out.stdout)
        let help = try CLI.run(["--help"])
        XCTAssertTrue(help.stdout.contains("train"), help.stdout)
    }

    /// DESIGN §10: bad usage exits 2 with a message naming the problem, whether ArgumentParser
    /// or a command's own checks find it.
    func testBadUsageExitsTwo() throws {
        let unknown = try CLI.run(["train", "--no-such-option"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("--no-such-option"), unknown.stderr)
        let invalid = try CLI.run(["bench", "train", "--steps", "0"])
        XCTAssertEqual(invalid.status, 2, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("--steps"), invalid.stderr)
        let help = try CLI.run(["train", "--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
    }

    /// Errors from inside a command reach the one exit point: a runtime failure exits 1, bad
    /// input 2, each with one `error:` line and nothing on stdout.
    func testCommandErrorsExitWithTheirStatus() throws {
        let failed = try CLI.run(["data", "generate", "--out", "/dev/null/dataset", "--users", "10", "--items", "10",
                                  "--interactions", "50", "--json"])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.hasPrefix("error: "), failed.stderr)
        XCTAssertEqual(failed.stdout, "")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-noruns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let unknown = try CLI.run(["runs", "show", "nosuch", "--runs", empty.path, "--json"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertEqual(unknown.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("error: ") }.count, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains(empty.path), unknown.stderr)
        XCTAssertEqual(unknown.stdout, "")
    }

    /// `dropoutnet settings` lists every key with its defaults, and every loss.
    func testSettingsListsEveryKeyWithItsDefaults() throws {
        let text = try CLI.run(["settings"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let line = try XCTUnwrap(text.stdout.split(separator: "\n").first { $0.hasPrefix("item_dropout ") }, text.stdout)
        XCTAssertEqual(line.split(separator: " ").map(String.init), ["item_dropout", "0.5", "0…1", "knob"])
        XCTAssertTrue(text.stdout.contains("hard_pairwise"), text.stdout)
        let json = try CLI.run(["settings", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let settings = try XCTUnwrap(object["settings"] as? [[String: Any]])
        let user = try XCTUnwrap(settings.first { $0["key"] as? String == "user_dropout" })
        XCTAssertEqual(user["default"] as? Double, 0.3)
        XCTAssertEqual(user["classic_default"] as? Double, 0.5)
        XCTAssertEqual(user["live"] as? Bool, true)
        XCTAssertEqual(user["knob"] as? String, "user drop")
        XCTAssertEqual(settings.first { $0["key"] as? String == "user_tower" }?["default"] as? [Int], [256, 128])
        XCTAssertTrue((object["losses"] as? [[String: Any]])?.contains { $0["name"] as? String == "svsoftmax" } == true, json.stdout)

        // `help settings` documents every key `--set` accepts, each with its help line.
        let help = try CLI.run(["help", "settings"])
        XCTAssertEqual(help.status, 0, help.stderr)
        let prose = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for entry in settings {
            let key = try XCTUnwrap(entry["key"] as? String), doc = try XCTUnwrap(entry["help"] as? String)
            XCTAssertFalse(doc.isEmpty, "\(key) has no help")
            XCTAssertTrue(prose.contains("\(key) = ") && prose.contains(doc.split(whereSeparator: \.isWhitespace).joined(separator: " ")),
                          "`help settings` does not document \(key)")
        }

        // An unknown key names the nearest known one.
        let typo = try CLI.run(["train", "--set", "item_droput=0.3"])
        XCTAssertEqual(typo.status, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean 'item_dropout'?"), typo.stderr)
    }
}
