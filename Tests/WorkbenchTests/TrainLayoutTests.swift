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
            b[LossKind.ordered[0]] = b.total
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
            // Each split carries its recall-chart glyph: the chart's key where its legend does not fit.
            XCTAssertTrue(lines[top + 2].contains("warm ●") && lines[top + 3].contains("cold user ◆") && lines[top + 4].contains("cold item ▲"),
                          "\(size): the inspector keys the chart's glyphs\n\(text)")
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

    /// One evaluation sits on the run's step axis (0…step, integer ticks), not on a range of its
    /// own ("1128.0 1128.2 …"); `m`/`K` pick the plotted metric; `P` adds the loss parts.
    func testChartsShareTheStepAxisAndPlotTheChosenMetricAndLossParts() throws {
        var s = Self.snapshot()
        s.evaluations = [s.evaluations[2]]
        var view = TrainView(snapshot: s, settings: Settings(), datasetName: "test")
        var buffer = ScreenBuffer(width: 140, height: 45)
        view.render(into: &buffer, area: Rect(x: 0, y: 0, width: 140, height: 44), theme: .builtinMono)
        var lines = buffer.textLines()
        var text = lines.joined(separator: "\n")
        let recall = try XCTUnwrap(lines.firstIndex { $0.contains("┌ Recall@20 (validation)") }, text)
        let axis = try XCTUnwrap(lines[recall...].first { $0.contains("100") }, text)
        XCTAssertFalse(axis.contains("."), "fractional steps on the x axis: \(axis)")

        view.chartMetric = ChartMetric().nextMetric().nextK(among: [10, 20, 50, 100])
        XCTAssertEqual(view.chartMetric, ChartMetric(metric: "ndcg", k: 50))
        view.showLossParts = true
        buffer = ScreenBuffer(width: 140, height: 45)
        view.render(into: &buffer, area: Rect(x: 0, y: 0, width: 140, height: 44), theme: .builtinMono)
        lines = buffer.textLines()
        text = lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("┌ NDCG@50 (validation)"), text)
        XCTAssertTrue(text.contains("no NDCG@50 in the evaluations"), "the fixture evaluates recall only:\n\(text)")
        XCTAssertTrue(text.contains("┌ Loss and its parts"), text)
        XCTAssertTrue(text.contains("╍ \(LossKind.ordered[0].rawValue) ▬ total"), "the part in the legend, dashed:\n\(text)")
        XCTAssertEqual(ChartMetric(metric: "ndcg", k: 100).nextK(among: [10, 20, 50, 100]).k, 10, "K wraps around")
    }
}
