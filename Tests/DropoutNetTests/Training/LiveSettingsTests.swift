import XCTest
@testable import DropoutNet

final class LiveSettingsTests: XCTestCase {
    func testChangeIsStampedWithTheFirstStepThatSeesIt() throws {
        let live = LiveSettings(Settings())
        _ = live.beginStep(0)
        _ = live.beginStep(1)
        let change = try XCTUnwrap(try live.update(key: "item_dropout", value: "0.8"))
        XCTAssertEqual(change.step, 2, "step 1 already read its settings; step 2 is the first to see the change")
        XCTAssertEqual(change.old, "0.5")
        XCTAssertEqual(change.new, "0.8")
        XCTAssertEqual(live.current.itemDropout, 0.8)
        XCTAssertEqual(live.timeline, [change])
        XCTAssertNil(try live.update(key: "item_dropout", value: "0.8"), "no change, nothing recorded")
        XCTAssertEqual(live.timeline.count, 1)
    }

    func testInvalidNegativesForTheBatchAreRefusedWithAClearMessage() {
        var s = Settings()
        s.batchSize = 8
        s.negativesM = 4
        let live = LiveSettings(s)
        XCTAssertThrowsError(try live.update(key: "negatives.n", value: "4")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("N = 4, M = 4 with batch_size 8"), text)
            XCTAssertTrue(text.contains("choose M < 2"), text)
        }
        XCTAssertEqual(live.current.negativesN, 1, "refused change leaves the settings as they were")
        XCTAssertTrue(live.timeline.isEmpty)
    }

    func testNonLiveKeysAreRefused() {
        let live = LiveSettings(Settings())
        XCTAssertThrowsError(try live.update(key: "batch_size", value: "128")) { error in
            XCTAssertTrue(String(describing: error).contains("restart"), "\(error)")
        }
        XCTAssertThrowsError(try live.update(key: "no_such_key", value: "1"))
        XCTAssertThrowsError(try live.update(key: "user_dropout", value: "1.5"))
    }

    func testLossSeriesStaysBoundedAndKeepsTheMean() {
        var series = LossSeries(capacity: 8)
        var b = LossBreakdown()
        for step in 1...1000 {
            b.total = Double(step)
            series.append(step: step, b)
        }
        XCTAssertLessThanOrEqual(series.points.count, 8)
        XCTAssertEqual(series.last?.total, 1000)
        // Each full point is the mean of `span` consecutive steps.
        let first = series.points[0]
        XCTAssertEqual(Double(first.total), Double(series.span + 1) / 2, accuracy: 1e-3)
        XCTAssertEqual(first.step, series.span)
    }
}
