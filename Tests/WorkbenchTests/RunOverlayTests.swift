import DropoutNet
import Foundation
import Workbench
import XCTest

/// Earlier runs overlaid on the Train charts: the chart draws them dimmed and labelled, and the
/// app reads a selected run's curves from the run store.
final class RunOverlayTests: XCTestCase {
    let theme = Theme.builtinDefault

    func testOverlaySeriesIsDimmedBehindTheMainSeriesAndLabelledAtItsEnd() {
        // Main: flat at 1. Overlay: a ramp from 0 to 2 crossing it in the middle.
        let main = ChartSeries(name: "loss", xs: [0, 10], ys: [1, 1], role: .seriesLoss)
        let other = ChartSeries(name: "other", xs: [0, 10], ys: [0, 2], role: .seriesOverlay).overlay(label: "041500-ab12")
        var b = ScreenBuffer(width: 40, height: 10)
        // The overlay comes last in the list but is drawn first.
        LineChart(series: [main, other], xRange: 0...20, yRange: 0...2, legend: .hidden).render(into: &b, area: b.bounds, theme: theme)
        let text = b.textLines().joined(separator: "\n")
        let label = try! XCTUnwrap(b.findText("041500-ab12"), text)
        XCTAssertTrue(b[label.x, label.y].attributes.contains(.dim), "the label is dim like its curve")
        XCTAssertEqual(b[label.x, label.y].foreground, theme[.seriesOverlay])
        var overlayCells = 0, mainCells = 0
        for y in 0..<b.height {
            for x in 0..<b.width where (0x2800...0x28FF).contains(b[x, y].scalar.value) {
                if b[x, y].foreground == theme[.seriesOverlay] {
                    overlayCells += 1
                    XCTAssertTrue(b[x, y].attributes.contains(.dim), "overlay dots are dim at \(x),\(y)")
                } else if b[x, y].foreground == theme[.seriesLoss] {
                    mainCells += 1
                    XCTAssertFalse(b[x, y].attributes.contains(.dim), "main dots are not dim at \(x),\(y)")
                }
            }
        }
        XCTAssertGreaterThan(overlayCells, 5, text)
        XCTAssertGreaterThan(mainCells, 5, text)
        // Where the lines cross (x = 5, y = 1) the main series owns the cell.
        let chart = LineChart(series: [main, other], xRange: 0...20, yRange: 0...2, legend: .hidden)
        let plot = try! XCTUnwrap(chart.geometry(for: b.bounds)).plot
        let dx = Int((5.0 * Double(plot.width * 2 - 1) / 20).rounded()), dy = plot.height * 4 - 1 - Int((Double(plot.height * 4 - 1) / 2).rounded())
        let cell = b[plot.x + dx / 2, plot.y + dy / 4]
        XCTAssertEqual(cell.foreground, theme[.seriesLoss], "crossing cell drawn by the main series:\n\(text)")
        XCTAssertFalse(cell.attributes.contains(.dim))
    }

    func testTwoOverlayLabelsEndingOnTheSameRowDoNotOverlap() {
        let a = ChartSeries(name: "a", xs: [0, 10], ys: [1, 1], role: .seriesWarm).overlay(label: "run-a")
        let c = ChartSeries(name: "c", xs: [0, 10], ys: [1, 1.01], role: .seriesColdItem).overlay(label: "run-c")
        var b = ScreenBuffer(width: 40, height: 10)
        LineChart(series: [a, c], xRange: 0...20, yRange: 0...2, legend: .hidden).render(into: &b, area: b.bounds, theme: theme)
        let text = b.textLines().joined(separator: "\n")
        let pa = try! XCTUnwrap(b.findText("run-a"), text)
        let pc = try! XCTUnwrap(b.findText("run-c"), text)
        XCTAssertNotEqual(pa.y, pc.y, "labels moved to different rows:\n\(text)")
    }

    /// A store with one finished run: loss 2 − step/100 for 200 steps, validation recall@20 at
    /// steps 50, 100, 150 and the test splits at the best step (which the overlay must ignore).
    private func storeWithOneRun(liveChanges: Bool = false) throws -> (dir: String, run: RunID) {
        let dir = try temporaryDirectory(self)
        let store = try RunStore(directory: URL(fileURLWithPath: dir))
        let identity = DatasetIdentity(name: "synthetic", path: "sample-data", users: 10, items: 10, interactions: 100,
                                       positives: 50, fingerprint: "0123456789abcdef")
        let run = try store.createRun(settings: Settings(), dataset: identity, split: SplitIdentity(origin: "test", hash: "fedcba9876543210"))
        let recorder = store.recorder(for: run)
        for step in 1...200 { recorder.recordLoss(step: step, total: 2 - Double(step) / 100) }
        for (step, warm) in [(50, 0.10), (100, 0.20), (150, 0.25)] {
            recorder.recordEval(step: step, split: "validation_warm", metrics: ["recall@20": warm])
            recorder.recordEval(step: step, split: "validation_cold_user", metrics: ["recall@20": warm / 2])
            recorder.recordEval(step: step, split: "validation_cold_item", metrics: ["recall@20": warm / 4])
        }
        recorder.recordEval(step: 150, split: "warm", metrics: ["recall@20": 0.9])
        if liveChanges {
            recorder.recordSettingChange(step: 40, key: "item_dropout", old: "0.5", new: "0.25")
            recorder.recordSettingChange(step: 120, key: "negatives.m", old: "16", new: "64")
            recorder.recordSettingChange(step: 180, key: "lr", old: "0.001", new: "0.01")   // after the best step
        }
        try recorder.finish(status: .finished)
        return (dir, run)
    }

    func testSelectingARunLoadsItsEvaluationsFromTheStoreAndTheTrainChartsOverlayThem() throws {
        let (dir, run) = try storeWithOneRun()
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 140, height: 44))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "default",
                               runsDirectory: dir)
        app.handle(.key(.character("3")))
        app.draw()
        var text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("[ ] \(run.rawValue)  finished"), text)
        XCTAssertTrue(text.contains("0.2500  0.1250  0.0625  @150"), "best validation recall@20 per split:\n\(text)")

        app.handle(.key(.character(" ")))
        XCTAssertEqual(session.snapshot.state, .idle, "Space on the Runs screen selects; it does not start or pause training")
        let overlay = try XCTUnwrap(app.runOverlays.first)
        XCTAssertEqual(overlay.run, run)
        XCTAssertEqual(overlay.recall["warm"], RunOverlay.Curve(xs: [50, 100, 150], ys: [0.10, 0.20, 0.25]),
                       "validation curve, without the test point at the best step")
        XCTAssertEqual(overlay.recall["cold_item"]?.ys, [0.025, 0.05, 0.0625])
        XCTAssertEqual(overlay.loss.xs.count, 200)
        XCTAssertEqual(overlay.loss.xs.last, 200)
        app.draw()
        text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("[x] \(run.rawValue)"), text)

        // On the Train screen both charts carry the run's label at the end of its curves.
        app.handle(.key(.character("1")))
        app.draw()
        let screen = terminal.screen
        text = screen.textLines().joined(separator: "\n")
        let label = RunOverlay.shortLabel(run)
        XCTAssertEqual(label, String(run.rawValue.dropFirst(9)))
        let rows = screen.textLines().indices.filter { screen.line($0).contains(label) }
        XCTAssertGreaterThanOrEqual(rows.count, 2, "label on the loss and the recall chart:\n\(text)")
        let loss = try XCTUnwrap(screen.findText("Loss"))
        let recall = try XCTUnwrap(screen.findText("Recall@20"))
        XCTAssertTrue(rows.contains { $0 > loss.y && $0 < recall.y }, "label inside the loss chart:\n\(text)")
        XCTAssertTrue(rows.contains { $0 > recall.y }, "label inside the recall chart:\n\(text)")
        XCTAssertTrue(text.contains("150"), "the x axis reaches the overlaid run's steps:\n\(text)")

        // Selecting again removes the overlay.
        app.handle(.key(.character("3")))
        app.handle(.key(.character(" ")))
        XCTAssertTrue(app.runOverlays.isEmpty)
        app.handle(.key(.character("1")))
        app.draw()
        let charts = terminal.screen.textLines().dropLast(3)      // the event line names the removed run
        XCTAssertFalse(charts.contains { $0.contains(label) }, terminal.screen.textLines().joined(separator: "\n"))
        XCTAssertTrue(terminal.screen.textLines().joined().contains("overlay of \(run.rawValue) removed"))
    }

    /// A run tuned live is shown with the settings in force at its best step, the changed keys
    /// marked in the list, and its change history in the details.
    func testTheRunsScreenShowsTheSettingsInForceAtTheBestStepAndTheLiveChanges() throws {
        let (dir, run) = try storeWithOneRun(liveChanges: true)
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 170, height: 60))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono",
                               runsDirectory: dir)
        app.handle(.key(.character("3")))
        app.draw()
        let text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("@150   live: idrop,M"), "the list marks the keys changed up to the best step:\n\(text)")
        XCTAssertTrue(text.contains("idrop 0.5→0.25 @40  M 16→64 @120"), "the history in the details:\n\(text)")
        XCTAssertFalse(text.contains("@180"), "a change after the best step is not in force there:\n\(text)")
        XCTAssertTrue(text.contains("item_dropout=0.25*"), text)
        XCTAssertTrue(text.contains("negatives.m=64*"), text)
        XCTAssertTrue(text.contains("lr=0.001 ") || text.contains("lr=0.001\n"), "lr as at the best step:\n\(text)")
        XCTAssertTrue(text.contains("at @150"), text)
    }
}
