import XCTest
import Workbench

final class WidgetTests: XCTestCase {
    let theme = Theme.builtinDefault

    func testSliderRendersTrackKnobAndValue() {
        let s = Slider(label: "drop", value: 0.5, range: 0...1, step: 0.1, valueWidth: 4)
        var b = ScreenBuffer(width: 20, height: 1)
        s.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, [" drop ━━━━●──── 0.50"])
        XCTAssertEqual(b[6, 0].foreground, theme[.sliderFill])
        XCTAssertEqual(b[12, 0].foreground, theme[.slider])
        var f = s
        f.focused = true
        f.render(into: &b, area: b.bounds, theme: theme)
        XCTAssertEqual(b.line(0).first, "▸", "focus is visible without colour")
        XCTAssertEqual(b[10, 0].foreground, theme[.focus])
    }

    func testSliderStepsSnapClampAndMapMouseColumns() {
        let s = Slider(label: "drop", value: 0.5, range: 0...1, step: 0.1, coarseStep: 0.25, valueWidth: 4)
        XCTAssertEqual(s.stepped(by: 1), 0.6)
        XCTAssertEqual(s.stepped(by: -3), 0.2)
        XCTAssertEqual(s.stepped(by: 9), 1.0, "clamped at the top")
        XCTAssertEqual(s.stepped(by: 1, coarse: true), 0.8, "0.75 snaps to the 0.1 grid")
        XCTAssertEqual(s.snapped(0.30000000000000004), 0.3)
        let area = Rect(x: 0, y: 0, width: 20, height: 1)
        XCTAssertEqual(s.value(atColumn: 6, in: area), 0)
        XCTAssertEqual(s.value(atColumn: 14, in: area), 1)
        XCTAssertEqual(s.value(atColumn: 10, in: area), 0.5)
        XCTAssertNil(s.value(atColumn: 2, in: area), "the label is not the track")
    }

    func testPickerSkipsDisabledOptionsAndShowsWhy() {
        let options = [PickerOption("1"), PickerOption("2"), PickerOption("4"), PickerOption("8", disabledReason: "needs N ≥ 64")]
        var p = Picker(label: "M", options: options, selected: 1)
        XCTAssertEqual(p.moved(by: 1), 2)
        XCTAssertEqual(p.moved(by: 5), 2, "cannot move onto the disabled 8")
        XCTAssertEqual(p.moved(by: -4), 0)
        var b = ScreenBuffer(width: 40, height: 1)
        p.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, [" M  1 [2] 4  8                          "])
        XCTAssertEqual(b[13, 0].foreground, theme[.dim], "a disabled option is dim")
        p.focused = true
        p.render(into: &b, area: b.bounds, theme: theme)
        XCTAssertNotNil(b.findText("8: needs N ≥ 64"), b.line(0))
        XCTAssertEqual(p.option(atColumn: 7, in: b.bounds), 1)
        XCTAssertNil(p.option(atColumn: 13, in: b.bounds), "clicking a disabled option does nothing")
        p.disabledReason = "fixed while shift mode is on"
        XCTAssertEqual(p.moved(by: 1), 1)
        p.render(into: &b, area: b.bounds, theme: theme)
        XCTAssertNotNil(b.findText("fixed while shift"))
    }

    func testTableAlignsNumbersAndColoursDeltas() {
        let t = Table(columns: [TableColumn("split", alignment: .left), TableColumn("R@20"), TableColumn("Δ")],
                      rows: [
                        ["warm", .number(0.1234), .delta(0.012)],
                        ["cold user", .number(0.05), .delta(-0.003)],
                        ["cold item", .number(nil), .delta(0)],
                      ], selectedRow: 1)
        var b = ScreenBuffer(width: 30, height: 4)
        t.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, [
            "split        R@20         Δ   ",
            "warm       0.1234  ▲+0.0120   ",
            "cold user  0.0500  ▼-0.0030   ",
            "cold item       –    0.0000   ",
        ])
        XCTAssertEqual(b[20, 1].foreground, theme[.good])
        XCTAssertEqual(b[20, 2].foreground, theme[.bad])
        XCTAssertEqual(b[25, 3].foreground, theme[.dim])
        XCTAssertEqual(b[0, 2].background, theme[.selection], "selected row is highlighted")
        XCTAssertEqual(TableCell.delta(0.01, higherIsBetter: false).role, .bad, "a rising loss is bad")
    }

    func testTableShrinksLastColumnWhenNarrow() {
        let t = Table(columns: [TableColumn("name", alignment: .left), TableColumn("title", alignment: .left)],
                      rows: [["a", "A very long movie title"]])
        var b = ScreenBuffer(width: 14, height: 2)
        t.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, ["name  title   ", "a     A very …"])
    }

    func testListFiltersScrollsAndSelects() {
        let items: [ListItem] = ["alice", "bob", "carol", "dave", "eve", "mallory"]
        var state = ListState()
        let list = ListView(items: items, focused: true)
        var b = ScreenBuffer(width: 12, height: 3)
        list.render(into: &b, area: b.bounds, theme: theme, state: &state)
        assertLines(b, ["▸alice      ", " bob        ", " carol      "])
        for _ in 0..<4 { _ = state.handle(.down, items: items, visibleRows: 3) }
        list.render(into: &b, area: b.bounds, theme: theme, state: &state)
        assertLines(b, [" carol      ", " dave       ", "▸eve        "])
        XCTAssertEqual(state.selectedIndex(in: items), 4)
        XCTAssertTrue(state.handle(.character("/"), items: items, visibleRows: 3))
        for c in "al" { _ = state.handle(.character(c), items: items, visibleRows: 3) }
        list.render(into: &b, area: b.bounds, theme: theme, state: &state)
        assertLines(b, ["▸alice      ", " mallory    ", "/al▏     2/6"])
        XCTAssertTrue(state.handle(.down, items: items, visibleRows: 2))
        XCTAssertEqual(state.selectedIndex(in: items), 5)
        XCTAssertEqual(list.row(atY: 1, in: b.bounds, state: state), 1)
        XCTAssertNil(list.row(atY: 2, in: b.bounds, state: state), "the filter line is not a row")
        _ = state.handle(.escape, items: items, visibleRows: 3)
        XCTAssertEqual(state.filter, "")
        XCTAssertFalse(state.isEditingFilter)
    }

    func testGaugeFillsWithEighths() {
        var b = ScreenBuffer(width: 10, height: 1)
        Gauge(ratio: 0.45, label: "").render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, ["████▌░░░░░"])
        Gauge(ratio: 0.5).render(into: &b, area: b.bounds, theme: theme)
        XCTAssertNotNil(b.findText("50%"))
    }

    func testHelpOverlayListsBindingsAndPages() {
        let bindings = [KeyBinding("?", "help", section: "Global"), KeyBinding("q", "quit", section: "Global"),
                        KeyBinding("[ ]", "coarse step", section: "Knobs")]
        var b = ScreenBuffer(width: 40, height: 12)
        b.write(String(repeating: "x", count: 40), x: 0, y: 4, style: .plain)
        HelpOverlay(bindings: bindings).render(into: &b, area: b.bounds, theme: theme)
        let text = b.textLines().joined(separator: "\n")
        for needle in ["Keys", "Global", "Knobs", "quit", "coarse step", "Esc or ? close"] {
            XCTAssertTrue(text.contains(needle), "\(needle) missing:\n\(text)")
        }
        XCTAssertFalse(b.line(4).dropFirst(2).dropLast(2).contains("x"), "the box covers what is under it: \(b.line(4))")
        let many = (0..<30).map { KeyBinding("k\($0)", "action \($0)") }
        let small = Rect(x: 0, y: 0, width: 40, height: 12)
        let overlay = HelpOverlay(bindings: many, page: 1)
        XCTAssertEqual(overlay.pageCount(in: small), 5)
        var c = ScreenBuffer(width: 40, height: 12)
        overlay.render(into: &c, area: small, theme: theme)
        XCTAssertNotNil(c.findText("page 2/5"))
        XCTAssertNotNil(c.findText("action 7"))
        XCTAssertNil(c.findText("action 0 "))
    }

    func testStatusLineDropsHintsThatDoNotFit() {
        let s = StatusLine(message: Span("paused", role: .warning), hints: [("?", "help"), ("q", "quit"), ("Space", "resume")],
                           trailing: "12k/s")
        var b = ScreenBuffer(width: 30, height: 1)
        s.render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, [" paused  ? help  q quit 12k/s "])
        XCTAssertEqual(b[0, 0].background, theme[.status])
        XCTAssertEqual(b[9, 0].foreground, theme[.key])
    }

    func testBlockBorderTitleAndFocusColour() {
        var b = ScreenBuffer(width: 12, height: 3)
        Block(title: "Loss", focused: true).render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, ["┌ Loss ────┐", "│          │", "└──────────┘"])
        XCTAssertEqual(b[0, 0].foreground, theme[.focus])
        XCTAssertEqual(Block.inner(b.bounds), Rect(x: 1, y: 1, width: 10, height: 1))
    }

    func testParagraphWrapsAtSpaces() {
        var b = ScreenBuffer(width: 10, height: 4)
        Paragraph("the quick brown fox jumps", wrap: true).render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, ["the quick ", "brown fox ", "jumps     ", "          "])
    }

    func testParagraphCutByItsHeightEndsInAnEllipsis() {
        var b = ScreenBuffer(width: 10, height: 2)
        Paragraph("the quick brown fox jumps", wrap: true).render(into: &b, area: b.bounds, theme: theme)
        assertLines(b, ["the quick ", "brown fox…"])
        var whole = ScreenBuffer(width: 10, height: 3)
        Paragraph("the quick brown fox jumps", wrap: true).render(into: &whole, area: whole.bounds, theme: theme)
        assertLines(whole, ["the quick ", "brown fox ", "jumps     "])
    }

    func testMonochromeThemeUsesAttributesOnly() {
        let mono = Theme.builtinDefault.monochrome
        XCTAssertEqual(mono[.good], .default)
        XCTAssertTrue(mono.style(.selection).attributes.contains(.reverse))
        XCTAssertTrue(mono.style(.dim).attributes.contains(.dim))
        var b = ScreenBuffer(width: 20, height: 1)
        Slider(label: "x", value: 0.5, range: 0...1, step: 0.1, focused: true).render(into: &b, area: b.bounds, theme: mono)
        XCTAssertTrue(b.textLines()[0].contains("━") && b.textLines()[0].contains("─"), "fill and track differ by glyph")
    }
}

/// A long picker (the loss kinds) shows only whole options around the selected one.
final class PickerWindowTests: XCTestCase {
    func testWindowFitsRealLabelWidths() {
        let labels = ["svsoftmax", "softmax", "pairwise", "hard_pairwise", "sigmoid", "mse"]
        let widths = labels.map(\.count)
        for width in [12, 20, 29, 40, 80] {
            for selected in labels.indices {
                let w = PickerWindow.around(selected, widths: widths, width: width)
                XCTAssertTrue(w.contains(selected), "width \(width): the selected option is shown")
                let used = w.map { widths[$0] + 2 }.reduce(0, +)
                XCTAssertTrue(used <= width || w.count == 1, "width \(width), selected \(selected): \(used) columns")
            }
        }
        XCTAssertEqual(PickerWindow.around(0, widths: widths, width: 200), 0..<6, "everything fits a wide row")
    }
}
