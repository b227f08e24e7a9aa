import Foundation
import XCTest
@testable import DropoutNet

/// A run is described by the settings it trained with at its best step: the starting ones with
/// the live changes up to that step replayed, the changed keys named.
final class SettingsInForceTests: XCTestCase {
    func testChangesUpToTheStepAreReplayedAndNamed() {
        let t = Date()
        let start = ["item_dropout": "0.5", "negatives.m": "16", "lr": "0.001", "loss": "[svsoftmax]"]
        let changes = [SettingChange(step: 40, key: "item_dropout", old: "0.5", new: "0.45", time: t),
                       SettingChange(step: 41, key: "item_dropout", old: "0.45", new: "0.25", time: t),
                       SettingChange(step: 100, key: "negatives.m", old: "16", new: "64", time: t),
                       SettingChange(step: 101, key: "lr", old: "0.001", new: "0.01", time: t)]
        let atBest = SettingsInForce(start: start, changes: changes, atStep: 100)
        XCTAssertEqual(atBest.texts, ["item_dropout": "0.25", "negatives.m": "64", "lr": "0.001", "loss": "[svsoftmax]"])
        XCTAssertEqual(atBest.changedLive, ["item_dropout", "negatives.m"])
        XCTAssertEqual(atBest.changedLiveText, "idrop,M")
        XCTAssertEqual(atBest.historyText, "idrop 0.5→0.45 @40  idrop 0.45→0.25 @41  M 16→64 @100")
        let atEnd = SettingsInForce(start: start, changes: changes, atStep: nil)
        XCTAssertEqual(atEnd.texts["lr"], "0.01")
        XCTAssertEqual(atEnd.changedLive, ["item_dropout", "negatives.m", "lr"])
        XCTAssertEqual(SettingsInForce(start: start, changes: changes, atStep: 39).texts, start)
    }
}
