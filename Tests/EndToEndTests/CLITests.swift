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
}
