import Foundation
import XCTest
@testable import DropoutNet

/// `--set model=classic` means the classic model with its own defaults; other keys override them.
final class SettingsResolutionTests: XCTestCase {
    func testModelClassicStartsFromTheClassicDefaultsWhateverTheOrder() throws {
        let s = try SettingsFile.resolve(config: nil, assignments: ["lr=0.01", "model=classic", "classic.top_k=50"])
        var expected = Settings.classicDefaults
        expected.lr = 0.01
        expected.classicTopK = 50
        XCTAssertEqual(s, expected)
        XCTAssertEqual(try SettingsFile.resolve(config: nil, assignments: ["item_dropout=0.2"]).loss, Settings().loss,
                       "no model named: the EasyRec defaults")
    }

    func testModelInTheConfigFilePicksTheDefaultsAndSetsStillOverride() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dn-settings-\(UUID().uuidString).toml")
        try Data("model = \"classic\"\nuser_tower = [300, 100]\nitem_tower = [300, 100]\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let s = try SettingsFile.resolve(config: url, assignments: ["item_dropout=0.3"])
        XCTAssertEqual(s.model, .classic)
        XCTAssertEqual(s.optimizer, Settings.classicDefaults.optimizer)
        XCTAssertEqual(s.userTower, [300, 100])
        XCTAssertEqual(s.itemDropout, 0.3)
        // A --set model wins over the file's.
        let e = try SettingsFile.resolve(config: url, assignments: ["model=easyrec", "user_tower=[64]", "item_tower=[64]"])
        XCTAssertEqual(e.model, .easyrec)
        XCTAssertEqual(e.loss, Settings().loss)
    }

    func testAnImpossibleCombinationIsNamed() {
        XCTAssertThrowsError(try SettingsFile.resolve(config: nil, assignments: ["model=classic", "loss=svsoftmax"])) { e in
            XCTAssertTrue("\(e)".contains("loss"), "\(e)")
        }
        XCTAssertThrowsError(try SettingsFile.resolve(config: nil, assignments: ["model=nonsense"])) { e in
            XCTAssertTrue("\(e)".contains("model"), "\(e)")
        }
    }
}
