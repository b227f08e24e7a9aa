import XCTest
import Workbench

final class ScreenBufferTests: XCTestCase {
    func testWriteClipsToMaxWidthAndBufferEdge() {
        var b = ScreenBuffer(width: 8, height: 2)
        XCTAssertEqual(b.write("hello world", x: 2, y: 0, style: .plain, maxWidth: 4), 4)
        XCTAssertEqual(b.write("abcdef", x: 5, y: 1, style: .plain), 3)
        XCTAssertEqual(b.write("ignored", x: 0, y: 5, style: .plain), 0)
        assertLines(b, ["  hell  ", "     abc"])
    }

    func testNegativeStartClipsTheLeftPart() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.write("xyzw", x: -2, y: 0, style: .plain)
        assertLines(b, ["zw  "])
    }

    func testWideCharactersTakeTwoCellsAndAreNotSplit() {
        var b = ScreenBuffer(width: 5, height: 2)
        XCTAssertEqual(b.write("a日本", x: 0, y: 0, style: .plain), 5)
        XCTAssertTrue(b[2, 0].isContinuation)
        XCTAssertEqual(b.write("日本語", x: 0, y: 1, style: .plain), 4, "the third wide char does not fit in one column")
        assertLines(b, ["a日本", "日本 "])
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining accent has no width")
    }

    func testStyleNilColoursKeepTheCellsBackground() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.fill(b.bounds, style: Style(background: .indexed(4)))
        b.write("x", x: 1, y: 0, style: Style(foreground: .indexed(1), attributes: .bold))
        XCTAssertEqual(b[1, 0], Cell("x", foreground: .indexed(1), background: .indexed(4), attributes: .bold))
    }

    func testAlignedWriteInRect() {
        var b = ScreenBuffer(width: 9, height: 3)
        b.write("ab", in: Rect(x: 0, y: 0, width: 9, height: 1), alignment: .right, style: .plain)
        b.write("ab", in: Rect(x: 0, y: 1, width: 9, height: 1), alignment: .center, style: .plain)
        b.write("abcdefghijk", in: Rect(x: 2, y: 2, width: 3, height: 1), alignment: .right, style: .plain)
        assertLines(b, ["       ab", "   ab    ", "  abc    "])
    }

    func testLinesRoundTripAndFindText() {
        let b = ScreenBuffer(lines: ["one", "two three"])
        XCTAssertEqual(b.size, Size(width: 9, height: 2))
        XCTAssertEqual(b.textLines(), ["one      ", "two three"])
        XCTAssertEqual(b.findText("three")?.x, 4)
        XCTAssertEqual(b.findText("three")?.y, 1)
        XCTAssertNotNil(b.textDifference(from: ["one", "two three"]), "trailing spaces count")
    }

    func testLayoutSplitsFixedPercentFill() {
        let r = Rect(x: 0, y: 0, width: 100, height: 20)
        let cols = r.split(columns: [.fixed(10), .percent(30), .fill(1), .fill(3)])
        XCTAssertEqual(cols.map(\.width), [10, 30, 15, 45])
        XCTAssertEqual(cols.map(\.x), [0, 10, 40, 55])
        let rows = r.split(rows: [.fixed(1), .fill(1), .fixed(1)], spacing: 1)
        XCTAssertEqual(rows.map(\.height), [1, 16, 1])
        XCTAssertEqual(rows.map(\.y), [0, 2, 19])
        let tight = Rect(x: 0, y: 0, width: 5, height: 1).split(columns: [.fixed(4), .fixed(4), .fill(1)])
        XCTAssertEqual(tight.map(\.width), [4, 1, 0], "fixed parts are clipped when space runs out")
    }

    func testRectHelpers() {
        let r = Rect(x: 2, y: 3, width: 10, height: 4)
        XCTAssertEqual(r.inset(by: 1), Rect(x: 3, y: 4, width: 8, height: 2))
        XCTAssertEqual(r.inset(by: 5).area, 0)
        XCTAssertEqual(r.centered(width: 4, height: 2), Rect(x: 5, y: 4, width: 4, height: 2))
        XCTAssertTrue(r.contains(x: 11, y: 6))
        XCTAssertFalse(r.contains(x: 12, y: 6))
    }
}
