import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// The Train screen is laid out by priority at every size: the header keeps state, step and
/// epoch; every knob shows; the inspector has exactly its rows; the charts get the rest.
final class TrainLayoutTests: XCTestCase {
    static func snapshot() -> TrainingSnapshot {
        var s = TrainingSnapshot()
        s.state = .running
        s.epochs = 3; s.stepsPerEpoch = 100; s.step = 150; s.epoch = 1
        s.samplesPerSecond = 123_456; s.elapsed = 3725
        for step in 1...150 {
            var b = LossBreakdown()
            b.total = 3 - Double(step) / 100
            s.loss.append(step: step, b)
        }
        let split = { (recall: Double) -> SplitMetrics in
            var sums = MetricSums(kCount: 1)
            sums.users = 10
            sums.recall = [recall * 10]
            return SplitMetrics(sums: sums, ks: [20])
        }
        for (i, step) in [50, 100, 150].enumerated() {
            let r = 0.1 * Double(i + 1)
            let report = EvaluationReport(order: ["validation_warm", "validation_cold_user", "validation_cold_item"],
                                          splits: ["validation_warm": split(r), "validation_cold_user": split(r / 2), "validation_cold_item": split(r / 4)])
            s.evaluations.append(EvaluationRecord(step: step, epoch: 1, elapsed: 1, report: report, score: r))
        }
        s.best = s.evaluations.last
        return s
    }

    func testEverySizeKeepsTheHeaderTheKnobsTheInspectorAndGivesTheChartsTheRest() throws {
        var previousChartRows = 0
        for (width, height, minChartRows) in [(80, 24, 7), (100, 30, 10), (140, 45, 17), (200, 60, 24)] {
            var buffer = ScreenBuffer(width: width, height: height)
            let view = TrainView(snapshot: Self.snapshot(), settings: Settings(), datasetName: "ml-latest-small")
            view.render(into: &buffer, area: Rect(x: 0, y: 0, width: width, height: height - 1), theme: .builtinDefault)
            let lines = buffer.textLines()
            let text = lines.joined(separator: "\n")
            let size = "\(width)×\(height)"
            XCTAssertTrue(lines[0].contains("running │ step 150/300 │ epoch 2/3"), "\(size) header:\n\(lines[0])")
            if width >= 100 { XCTAssertTrue(lines[0].contains("01:02:05"), "\(size) header keeps the clock:\n\(lines[0])") }
            for knob in Knob.all { XCTAssertTrue(text.contains(knob.label), "\(size): knob \(knob.label) missing\n\(text)") }
            // The inspector: title, column titles, three splits, bottom border — no empty rows.
            let top = try XCTUnwrap(lines.firstIndex { $0.contains("Inspector — validation @ step 150") }, text)
            XCTAssertTrue(lines[top + 2].contains("warm") && lines[top + 3].contains("cold user") && lines[top + 4].contains("cold item"), text)
            XCTAssertTrue(lines[top + 5].hasPrefix("└"), "\(size): empty inspector rows\n\(text)")
            // The charts share what is left.
            let loss = try XCTUnwrap(lines.firstIndex { $0.contains("┌ Loss") }, text)
            let recall = try XCTUnwrap(lines.firstIndex { $0.contains("┌ Recall@20") }, text)
            XCTAssertGreaterThanOrEqual(recall - loss, minChartRows, "\(size): loss chart too short\n\(text)")
            XCTAssertGreaterThanOrEqual(top - recall, minChartRows, "\(size): recall chart too short\n\(text)")
            XCTAssertGreaterThan(recall - loss, previousChartRows, "\(size): larger screens give the charts more rows")
            previousChartRows = recall - loss
            for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line), width) }
        }
    }
}
