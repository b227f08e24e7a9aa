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
}
