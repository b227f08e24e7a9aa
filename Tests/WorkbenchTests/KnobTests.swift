import DropoutNet
import Foundation
import Workbench
import XCTest

/// The knobs panel is read from `Settings.table`: every knob turns a live key, every value a
/// knob offers is one the running session accepts, and every refusal it shows is the session's.
final class KnobTests: XCTestCase {
    func testTheKnobsAreTheTableRowsWithAKnobInTableOrder() {
        XCTAssertEqual(Knob.all.map(\.key), Settings.table.filter { $0.knob != nil }.map(\.key))
        XCTAssertEqual(Array(Knob.all.map(\.key).prefix(4)), ["user_dropout", "item_dropout", "negatives.n", "negatives.m"],
                       "the keys the workbench's end-to-end test steps through")
        for knob in Knob.all { XCTAssertTrue(Settings.liveKeys.contains(knob.key), "\(knob.key) cannot change while training") }
    }

    func testEveryValueAKnobOffersIsAcceptedAndEveryRefusalIsTheSessions() throws {
        var crowded = Settings()
        crowded.negativesN = 256
        crowded.negativesM = 1
        var classic = Settings.classicDefaults
        classic.lr = 0.01
        for s in [Settings(), crowded, classic] {
            for knob in Knob.all {
                var offered: [String] = []
                for steps in [-1, 1] {
                    for coarse in [false, true] { if let v = knob.adjusted(s, steps: steps, coarse: coarse) { offered.append(v) } }
                }
                for option in knob.options(s) {
                    let live = LiveSettings(s)
                    if let reason = option.refused {
                        XCTAssertThrowsError(try live.update(key: knob.key, value: option.value), "\(knob.key)=\(option.value)") { e in
                            XCTAssertEqual((e as? SettingsError)?.message, reason)
                        }
                    } else {
                        offered.append(option.value)
                    }
                }
                for value in offered {
                    XCTAssertNoThrow(try LiveSettings(s).update(key: knob.key, value: value), "\(knob.key)=\(value) offered but refused")
                }
            }
        }
    }

    func testSliderPositionsAndPickerValuesReadTheSettings() throws {
        var s = Settings()
        try s.set("lr", "0.01")
        try s.set("loss", "svsoftmax,pairwise")
        let lr = try XCTUnwrap(Knob.all.first { $0.key == "lr" })
        XCTAssertEqual(lr.position(s), -2, accuracy: 1e-12, "log knobs sit at log10 of the value")
        XCTAssertEqual(lr.valueText(position: -3), "0.001")
        let loss = try XCTUnwrap(Knob.all.first { $0.key == "loss" })
        XCTAssertEqual(loss.current(s), "svsoftmax,pairwise", "a list shows without its brackets")
        let m = try XCTUnwrap(Knob.all.first { $0.key == "negatives.m" })
        XCTAssertEqual(m.current(s), "16")
        s.batchSize = 256
        let ms = m.options(s).map(\.value)
        XCTAssertTrue(ms.contains("255") && !ms.contains("256") && !ms.contains("511"), "M stays below the batch: \(ms)")
    }
}
