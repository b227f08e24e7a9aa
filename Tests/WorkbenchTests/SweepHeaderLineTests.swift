import DropoutNet
import XCTest
@testable import Workbench

/// The Sweep screen's header says what the sweep is doing — trials ended of the budget, the
/// running ones, paused or not — never the idle training session's "step 0".
final class SweepHeaderLineTests: XCTestCase {
    func line(_ snapshot: SweepSnapshot, width: Int, stop: Bool = false, ready: Bool = false, running: Bool? = nil) -> String {
        var b = ScreenBuffer(width: width, height: 1)
        SweepHeaderLine(snapshot: snapshot, dataset: "sample-data", stopRequested: stop, ready: ready, running: running)
            .render(into: &b, area: b.bounds, theme: .builtinDefault)
        return b.textLines()[0]
    }

    func testRunningPausedAndFinishedSweepsAtTwoWidths() {
        var s = SweepViewTests.snapshot          // 4 ended of 8, 1 running
        s.elapsed = 3725
        let wide = line(s, width: 140)
        XCTAssertTrue(wide.contains("DropoutNet Workbench │ sample-data │ ▶ running │ sweep · 4/8 trials · 1 running │ 01:02:05"), wide)
        XCTAssertFalse(wide.contains("idle") || wide.contains("step 0"), wide)
        s.isPaused = true
        let narrow = line(s, width: 50)
        XCTAssertTrue(narrow.hasPrefix(" ⏸ paused │ sweep · 4/8 trials · 1 running"), "the title, dataset and clock give way first: \(narrow)")
        s.isPaused = false
        s.isFinished = true
        XCTAssertTrue(line(s, width: 140).contains("■ finished"))
        XCTAssertTrue(line(s, width: 140, stop: true).contains("■ stopped"))
        s.isFinished = false
        XCTAssertTrue(line(s, width: 140, stop: true).contains("■ stopping"))
    }

    /// Before `r`: ready, with the trials earlier runs recorded; started again after a stop, it
    /// runs though its last snapshot may still read finished.
    func testReadyBeforeItStartsAndRunningAgainAfterAStop() {
        var s = SweepViewTests.snapshot
        s.elapsed = 65
        XCTAssertTrue(line(s, width: 140, ready: true).contains("○ ready │ sweep · 4/8 trials · 1 running │ 00:01:05"), line(s, width: 140, ready: true))
        s.isFinished = true
        XCTAssertTrue(line(s, width: 140, running: true).contains("▶ running"))
        XCTAssertTrue(line(s, width: 140, stop: true, running: false).contains("■ stopped"))
    }
}
