import XCTest
import Foundation

/// `data generate --preset NAME`: a named proxy world, rescalable, and clear errors for a bad
/// name or an option that does not apply.
final class DataGeneratePresetTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-preset-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testUnknownPresetExitsTwoNamingThePresets() throws {
        let out = try CLI.run(["data", "generate", "--preset", "netflix", "--out", dir.path])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("netflix"), out.stderr)
        XCTAssertTrue(out.stderr.contains("movielens") && out.stderr.contains("citeulike"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path), "nothing written")
    }

    func testContentShareDoesNotApplyToAPreset() throws {
        let out = try CLI.run(["data", "generate", "--preset", "movielens", "--content-share", "0.5", "--out", dir.path])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("--content-share"), out.stderr)
    }

    func testRescaledPresetWritesALoadableDataset() throws {
        let gen = try CLI.run(["data", "generate", "--preset", "citeulike", "--users", "150", "--items", "600",
                               "--interactions", "3000", "--out", dir.path, "--json"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(gen.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["users"] as? Int, 150)
        XCTAssertEqual(summary["items"] as? Int, 600)
        XCTAssertEqual(summary["positives"] as? Int, summary["interactions"] as? Int, "implicit saves: every row a positive")
        let inspect = try CLI.run(["data", "inspect", "--data", dir.path])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("150 users, 600 items"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("tags:multi"), inspect.stdout)
    }
}
