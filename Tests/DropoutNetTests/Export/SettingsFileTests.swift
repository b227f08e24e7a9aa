import XCTest
@testable import DropoutNet

final class SettingsFileTests: XCTestCase {
    func testTablesDottedKeysAndArraysBecomeSettings() throws {
        let s = try SettingsFile.parse("""
            loss_weights = [1.0, 0.5]
            loss = ["svsoftmax", "pairwise"]
            user_dropout = 0.25
            batch_norm = false
            user_tower = [64, 32]
            item_tower = [64, 32]
            "negatives.shifts" = "random"
            [negatives]
            m = 8
            """, file: "c.toml")
        XCTAssertEqual(s.loss, [.svsoftmax, .pairwise])
        XCTAssertEqual(s.lossWeights, [1, 0.5], "loss is applied before loss_weights whatever the order")
        XCTAssertEqual(s.userDropout, 0.25)
        XCTAssertFalse(s.batchNorm)
        XCTAssertEqual(s.negativesM, 8)
        XCTAssertEqual(s.negativesShifts, .random)
        XCTAssertEqual(s.userTower, [64, 32])
    }

    func testBadTOMLNamesFileLineAndColumn() {
        XCTAssertThrowsError(try SettingsFile.parse("gamma = 5\nmargin = = 1\n", file: "bad.toml")) { error in
            let e = error as? SettingsFileError
            XCTAssertEqual(e?.line, 2)
            XCTAssertNotNil(e?.column)
            XCTAssertTrue("\(error)".hasPrefix("bad.toml:2:"), "\(error)")
        }
    }

    func testUnknownKeysAndBadValuesNameTheKey() {
        XCTAssertThrowsError(try SettingsFile.parse("warp = 9\n", file: "c.toml")) { error in
            XCTAssertTrue("\(error)".contains("c.toml") && "\(error)".contains("'warp'"), "\(error)")
        }
        XCTAssertThrowsError(try SettingsFile.parse("user_dropout = 1.5\n", file: "c.toml")) { error in
            XCTAssertTrue("\(error)".contains("user_dropout"), "\(error)")
        }
    }
}
