import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// Issue 15's readable charts, rendered into buffers: series told apart by stroke and glyph in
/// the mono theme, a lone evaluation visible, 1-2-5 log ticks within a decade, a loss changed
/// live drawn on a y-range per loss, and the chart cursor's read-out.
final class ChartReadabilityTests: XCTestCase {
    let mono = Theme.builtinMono

    func testSeriesDifferByStrokeAndGlyphAndTheLegendShowsThem() {
        let flat = (0..<60).map(Double.init)
        let solid = ChartSeries(name: "a", xs: flat, ys: flat.map { _ in 1 }, role: .seriesWarm)
        let dashed = ChartSeries(name: "b", xs: flat, ys: flat.map { _ in 1 }, role: .seriesColdUser).styled(.dashed)
        func row(_ s: ChartSeries) -> String {
            var b = ScreenBuffer(width: 32, height: 6)
            LineChart(series: [s], xRange: 0...59, yRange: 0...2, legend: .hidden).render(into: &b, area: b.bounds, theme: mono)
            return b.textLines().first { $0.contains("⠤") || $0.contains("⠒") || $0.contains("⠉") || $0.contains("⣀") } ?? ""
        }
        let solidRow = row(solid), dashedRow = row(dashed)
        XCTAssertFalse(solidRow.dropFirst(3).contains(" "), "a solid line has no gaps: \(solidRow)")
        XCTAssertTrue(dashedRow.dropFirst(3).trimmingCharacters(in: .whitespaces).contains(" "), "a dashed line has gaps: \(dashedRow)")

        // Sparse series carry a glyph at each point, also in the legend.
        let evals = ChartSeries(name: "warm", xs: [100, 200, 300], ys: [0.1, 0.2, 0.3], role: .seriesWarm).styled(.solid, glyph: "●")
        let cold = ChartSeries(name: "cold", xs: [100, 200, 300], ys: [0.05, 0.1, 0.15], role: .seriesColdItem).styled(.dotted, glyph: "▲")
        var b = ScreenBuffer(width: 60, height: 12)
        LineChart(series: [evals, cold], yRange: 0...0.5).render(into: &b, area: b.bounds, theme: mono)
        let text = b.textLines().joined(separator: "\n")
        XCTAssertEqual(text.filter { $0 == "●" }.count, 4, "three points and the legend:\n\(text)")
        XCTAssertEqual(text.filter { $0 == "▲" }.count, 4, text)
        XCTAssertTrue(text.contains("● warm") && text.contains("▲ cold"), text)
    }

    func testALoneEvaluationIsAVisibleMarkOnTheRunsStepAxis() {
        var s = TrainLayoutTests.snapshot()
        s.evaluations = [s.evaluations[0]]                       // one evaluation, at step 50 of 150
        var b = ScreenBuffer(width: 120, height: 40)
        TrainView(snapshot: s, settings: Settings(), datasetName: "d").render(into: &b, area: Rect(x: 0, y: 0, width: 120, height: 39), theme: mono)
        let lines = b.textLines()
        let top = lines.firstIndex { $0.contains("┌ Recall@20") }!, bottom = lines.firstIndex { $0.contains("Inspector") }!
        let chart = lines[top..<bottom].joined(separator: "\n")
        XCTAssertTrue(chart.contains("●") && chart.contains("◆") && chart.contains("▲"), chart)
        // The x axis runs to the run's step (150), and the point sits a third of the way along.
        let axis = try! XCTUnwrap(lines[top..<bottom].last { $0.contains("150") }, chart)
        XCTAssertTrue(axis.contains("0"), axis)
        let glyphRow = Array(try! XCTUnwrap(lines[top..<bottom].first { $0.contains("●") }))
        let axisRow = Array(try! XCTUnwrap(lines[top..<bottom].first { $0.contains("└") }))
        let plotStart = axisRow.firstIndex(of: "└")!, plotEnd = axisRow.lastIndex(of: "─")!
        let at = glyphRow.firstIndex(of: "●")!
        let fraction = Double(at - plotStart) / Double(plotEnd - plotStart)
        XCTAssertEqual(fraction, 1.0 / 3, accuracy: 0.05, "step 50 of 150 sits a third of the way along:\n\(chart)")
    }

    func testLogScaleWithinADecadeUsesOneTwoFiveTicks() {
        XCTAssertEqual(NiceTicks.logarithmic125(log10(0.3), log10(0.8)).map { NiceTicks.logLabel($0) }, ["0.2", "0.5", "1"])
        XCTAssertEqual(NiceTicks.logarithmic125(log10(2.5), log10(40)).map { NiceTicks.logLabel($0) }, ["2", "5", "10", "20", "50"])
        let s = ChartSeries(name: "loss", xs: [0, 1, 2, 3], ys: [0.8, 0.6, 0.4, 0.3], role: .seriesLoss)
        var b = ScreenBuffer(width: 30, height: 10)
        LineChart(series: [s], yScale: .logarithmic, legend: .hidden).render(into: &b, area: b.bounds, theme: mono)
        let labels = (0..<8).compactMap { b.line($0).split(separator: "┤").first.map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty && !$0.contains("│") }
        XCTAssertEqual(labels, ["1", "0.5", "0.2"], b.textLines().joined(separator: "\n"))
    }

    func testALossChangedLiveGetsAYRangePerLoss() throws {
        var s = TrainLayoutTests.snapshot()
        s.loss = LossSeries()
        for step in 1...150 {
            var b = LossBreakdown()
            b.total = step < 75 ? 5 - Double(step) / 100 : 0.7 - Double(step) / 1000   // svsoftmax ~5, then pairwise ~0.6
            s.loss.append(step: step, b)
        }
        s.settingChanges = [SettingChange(step: 75, key: "loss", old: "[svsoftmax]", new: "[pairwise]")]
        var b = ScreenBuffer(width: 140, height: 45)
        TrainView(snapshot: s, settings: Settings(), datasetName: "d").render(into: &b, area: Rect(x: 0, y: 0, width: 140, height: 44), theme: mono)
        let text = b.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("each loss on its own y-range"), text)
        XCTAssertTrue(text.contains("svsoftmax 4.26–4.99"), text)
        XCTAssertTrue(text.contains("pairwise 0.55–0.625"), text)
        // Both stretches fill the plot's height: each reaches its top and bottom row.
        let segments = TrainView.lossSegments(s.settingChanges, until: 150)
        XCTAssertEqual(segments.map(\.loss), ["[svsoftmax]", "[pairwise]"])
        XCTAssertEqual(segments.map(\.from), [0, 75])
    }

    func testTheChartCursorReadsOutStepAndValues() throws {
        let s = TrainLayoutTests.snapshot()
        XCTAssertEqual(ChartCursor.move(from: 150, by: -1, in: s), 149)
        XCTAssertEqual(ChartCursor.evaluation(from: 150, by: -1, in: s), 100)
        XCTAssertEqual(ChartCursor.evaluation(from: 100, by: 1, in: s), 150)
        XCTAssertEqual(ChartCursor.move(from: 1, by: -1, in: s), 1, "clamped at the first point")
        var view = TrainView(snapshot: s, settings: Settings(), datasetName: "d")
        view.cursorStep = 100
        var b = ScreenBuffer(width: 140, height: 45)
        view.render(into: &b, area: Rect(x: 0, y: 0, width: 140, height: 44), theme: mono)
        let text = b.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("@100 loss 2.0000"), text)
        XCTAssertTrue(text.contains("@100 ●0.200 ◆0.100 ▲0.050"), text)
        // At 80×24 both read-outs still fit their titles.
        b = ScreenBuffer(width: 80, height: 24)
        view.render(into: &b, area: Rect(x: 0, y: 0, width: 80, height: 23), theme: mono)
        let small = b.textLines().joined(separator: "\n")
        XCTAssertTrue(small.contains("@100 loss 2.0000") && small.contains("@100 ●0.200 ◆0.100 ▲0.050"), small)
    }
}
