import DropoutNet
import Foundation
import Workbench
import XCTest

/// The mouse: what a press or wheel turn on a rendered cell does is looked up in the frame's
/// hit map, so every test here renders into a buffer and clicks on what it shows.
final class HitMapTests: XCTestCase {
    func testTopmostRegionAnswersReleasesDoNothingAndCoversHideWhatIsBeneath() {
        let hits = HitMap<String>()
        hits.onClick(Rect(x: 0, y: 0, width: 10, height: 2)) { x, y in "below \(x),\(y)" }
        hits.onScroll(Rect(x: 0, y: 0, width: 10, height: 2)) { "scroll \($0)" }
        hits.onClick(Rect(x: 5, y: 1, width: 5, height: 1)) { x, _ in x == 9 ? nil : "above" }
        XCTAssertEqual(hits.command(for: .press, x: 2, y: 1), "below 2,1")
        XCTAssertEqual(hits.command(for: .click, x: 6, y: 1), "above")
        XCTAssertNil(hits.command(for: .press, x: 9, y: 1), "the top region's nil does not fall through")
        XCTAssertEqual(hits.command(for: .scrollDown, x: 6, y: 1), "scroll 1", "a click-only region lets the wheel through")
        XCTAssertEqual(hits.command(for: .scrollUp, x: 0, y: 0), "scroll -1")
        XCTAssertNil(hits.command(for: .release, x: 2, y: 1))
        XCTAssertNil(hits.command(for: .press, x: 10, y: 0), "outside every region")
        hits.cover(Rect(x: 0, y: 0, width: 20, height: 5), click: { "close" }, scroll: { "page \($0)" })
        XCTAssertEqual(hits.command(for: .press, x: 2, y: 1), "close")
        XCTAssertEqual(hits.command(for: .scrollDown, x: 2, y: 1), "page 1")
        hits.removeAll()
        XCTAssertNil(hits.command(for: .press, x: 2, y: 1))
    }
}

final class KnobMouseTests: XCTestCase {
    /// The Train screen rendered for the default settings, with its hit map.
    func renderTrain(_ settings: Settings = Settings()) -> (ScreenBuffer, HitMap<MouseCommand>) {
        var buffer = ScreenBuffer(width: 120, height: 40)
        let hits = HitMap<MouseCommand>()
        var view = TrainView(snapshot: TrainingSnapshot(), settings: settings, datasetName: "test")
        view.hits = hits
        view.render(into: &buffer, area: Rect(x: 0, y: 0, width: 120, height: 39), theme: .builtinDefault)
        return (buffer, hits)
    }

    /// Columns of a slider's track (━ ● ─) on the row showing `label`.
    func track(_ buffer: ScreenBuffer, label: String) throws -> (y: Int, first: Int, last: Int) {
        let at = try XCTUnwrap(buffer.findText(label), "no \(label) row:\n" + buffer.textLines().joined(separator: "\n"))
        let xs = (at.x..<buffer.width).filter { "━●─".unicodeScalars.contains(buffer[$0, at.y].scalar) }
        return (at.y, try XCTUnwrap(xs.first), try XCTUnwrap(xs.last))
    }

    func testClicksOnASliderTrackSetTheValueThereAndOnTheLabelFocusIt() throws {
        let (buffer, hits) = renderTrain()
        let t = try track(buffer, label: "item drop")
        XCTAssertEqual(hits.command(for: .press, x: t.first, y: t.y), .setKnob(1, value: "0"))
        XCTAssertEqual(hits.command(for: .press, x: t.last, y: t.y), .setKnob(1, value: "1"))
        XCTAssertEqual(hits.command(for: .press, x: (t.first + t.last) / 2, y: t.y), .setKnob(1, value: "0.5"))
        XCTAssertEqual(hits.command(for: .press, x: 3, y: t.y), .focusKnob(1))
        // The learning rate is a log knob: the right end of its track is 10^-1.
        let lr = try track(buffer, label: "lr ")
        XCTAssertEqual(hits.command(for: .press, x: lr.last, y: lr.y), .setKnob(Knob.all.firstIndex { $0.key == "lr" }!, value: "0.1"))
        XCTAssertEqual(hits.command(for: .press, x: lr.first, y: lr.y), .setKnob(Knob.all.firstIndex { $0.key == "lr" }!, value: "1e-05"))
    }

    func testClicksOnAPickerChooseTheOptionUnderThePointerAndRefusedOnesAreNotShown() throws {
        var settings = Settings()
        try settings.set("negatives.m", "16")
        let (buffer, hits) = renderTrain(settings)
        let m = Knob.all.firstIndex { $0.key == "negatives.m" }!
        let row = try XCTUnwrap(buffer.findText(" M "), buffer.textLines().joined(separator: "\n")).y
        let line = buffer.line(row)
        let at32 = try XCTUnwrap(line.range(of: " 32 "), line)
        let x = DisplayWidth.of(String(line[..<at32.lowerBound])) + 2
        XCTAssertEqual(hits.command(for: .press, x: x, y: row), .setKnob(m, value: "32"))
        let at16 = try XCTUnwrap(line.range(of: "[16]"), line)
        XCTAssertEqual(hits.command(for: .press, x: DisplayWidth.of(String(line[..<at16.lowerBound])) + 1, y: row), .setKnob(m, value: "16"))

        // N = 256 with batch 512: shift 2·256 is the whole batch, so every M from 2 on would make
        // a row its own negative and is refused: none is shown, so none can be clicked; a click
        // beside the valid ones only focuses the knob.
        try settings.set("negatives.m", "1")
        try settings.set("negatives.n", "256")
        let (b2, h2) = renderTrain(settings)
        let row2 = try XCTUnwrap(b2.findText(" M "), b2.textLines().joined(separator: "\n")).y
        let line2 = b2.line(row2)
        XCTAssertNotNil(line2.range(of: "[1]"), line2)
        XCTAssertNil(line2.range(of: " 4 "), "the refused M = 4 is shown: \(line2)")
        let after = DisplayWidth.of(String(line2[..<line2.range(of: "[1]")!.upperBound])) + 3
        XCTAssertEqual(h2.command(for: .press, x: after, y: row2), .focusKnob(m))
        XCTAssertNotNil(Knob.all[m].options(settings).first { $0.value == "4" }?.refused, "4·256 is a multiple of the batch")
    }
}

/// The app's mouse path on the real sample-data session (not trained: knob changes, tabs and
/// lists need no steps).
final class WorkbenchMouseTests: XCTestCase {
    func testClicksSetKnobsSwitchScreensSelectRowsAndTheWheelScrollsLists() throws {
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        app.draw()
        let screen = terminal.screen
        let label = try XCTUnwrap(screen.findText("item drop"))
        let end = try XCTUnwrap((label.x..<screen.width).last { screen[$0, label.y].scalar == "─" })
        app.handle(.mouse(.press, x: end, y: label.y))
        XCTAssertEqual(session.live.current.itemDropout, 1, accuracy: 1e-12)
        XCTAssertEqual(app.focusedKnob, 1)
        app.handle(.mouse(.release, x: end, y: label.y))
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("item_dropout 0.5 → 1"), terminal.screen.textLines().joined(separator: "\n"))

        // The status line's tabs switch screens.
        let tab = try XCTUnwrap(terminal.screen.findText("2 Explore"))
        app.handle(.mouse(.press, x: tab.x + 1, y: tab.y))
        XCTAssertEqual(app.screen, .explore)
        app.draw()
        let rows = app.explorer.rows
        XCTAssertGreaterThan(rows.count, 8, "sample-data has enough cold users to scroll")
        let third = try XCTUnwrap(terminal.screen.findText(rows[2].text))
        app.handle(.mouse(.press, x: third.x, y: third.y))
        XCTAssertEqual(app.explorer.list.selected, 2)
        app.handle(.mouse(.scrollDown, x: third.x, y: third.y))
        XCTAssertEqual(app.explorer.list.selected, 5)
        app.handle(.mouse(.scrollUp, x: third.x, y: third.y))
        app.handle(.mouse(.scrollUp, x: third.x, y: third.y))
        XCTAssertEqual(app.explorer.list.selected, 0)
        app.draw()
        let items = try XCTUnwrap(terminal.screen.findText("Items "))
        app.handle(.mouse(.press, x: items.x + 1, y: items.y))
        XCTAssertEqual(app.explorer.mode, .items)
    }

    func testHelpPagesWithTheWheelAndClosesOnAClickAndLListsTheLogScale() throws {
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 80, height: 24))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        app.handle(.key(.character("?")))
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("page 1/"), "at 80×24 the help has pages:\n" + terminal.screen.textLines().joined(separator: "\n"))
        var seen = terminal.screen.textLines().joined(separator: "\n")
        for _ in 0..<5 {
            app.handle(.mouse(.scrollDown, x: 40, y: 12))
            app.draw()
            seen += terminal.screen.textLines().joined(separator: "\n")
        }
        XCTAssertTrue(app.showHelp, "the wheel turns pages, it does not close the help")
        for binding in ["Ctrl-C", "Shift-Tab", "Home End", "mouse", "loss chart: log / linear scale", "start a new run with the current settings", "x"] {
            XCTAssertTrue(seen.contains(binding), "help lacks \(binding)")
        }
        app.handle(.mouse(.press, x: 40, y: 12))
        XCTAssertFalse(app.showHelp)

        // L puts the loss chart on a log scale, and says so in its title.
        terminal.resize(to: Size(width: 120, height: 40))
        app.draw()
        XCTAssertNil(terminal.screen.findText("Loss (log)"))
        app.handle(.key(.character("L")))
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("Loss (log)"), terminal.screen.textLines().joined(separator: "\n"))
        XCTAssertTrue(app.lossLogScale)
    }
}
