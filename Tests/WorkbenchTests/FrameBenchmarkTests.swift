import XCTest
import Workbench

/// The frame benchmark's workload (`dropoutnet bench frame` prints its timings): what must hold
/// regardless of speed.
final class FrameBenchmarkTests: XCTestCase {
    func testFramesRewriteTheMovingChartsAndNotTheStillPanels() {
        let r = FrameBenchmark.run(width: 200, height: 60, frames: 30)
        XCTAssertGreaterThan(r.changedCells, 0, "the charts move every frame")
        XCTAssertLessThan(r.changedCells, 200 * 60 / 2, "panels that do not change are not rewritten")
    }
}
