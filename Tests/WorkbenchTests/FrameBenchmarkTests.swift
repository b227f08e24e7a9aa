import XCTest
import Workbench

/// Not a timed test: prints the frame cost so it can be reported (DESIGN §6 budget: 5 ms at
/// 200×60). Asserts only what must hold regardless of speed.
final class FrameBenchmarkTests: XCTestCase {
    func testTypicalFrameCost() {
        let r = FrameBenchmark.run(width: 200, height: 60, frames: 30)
        print("FrameBenchmark: \(r)")
        XCTAssertGreaterThan(r.changedCells, 0, "the charts move every frame")
        XCTAssertLessThan(r.changedCells, 200 * 60 / 2, "panels that do not change are not rewritten")
    }
}
