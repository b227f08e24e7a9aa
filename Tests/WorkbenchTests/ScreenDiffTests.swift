import XCTest
import Workbench

final class ScreenDiffTests: XCTestCase {
    func testOnlyChangedCellsAreReported() {
        let a = ScreenBuffer(lines: ["abcd", "efgh"])
        var b = a
        b.set(x: 1, y: 0, "X", style: .plain)
        b.set(x: 3, y: 1, "h", style: Style(foreground: .indexed(2)))
        let changes = Array(ScreenDiff(from: a, to: b))
        XCTAssertEqual(changes.map { [$0.x, $0.y] }, [[1, 0], [3, 1]])
        XCTAssertEqual(changes[0].cell.scalar, "X")
        XCTAssertEqual(ScreenDiff(from: a, to: a).changedCount, 0)
    }

    func testFirstFrameAndResizeRepaintEverything() {
        let a = ScreenBuffer(lines: ["ab", "cd"])
        XCTAssertEqual(ScreenDiff(from: nil, to: a).changedCount, 4)
        let bigger = ScreenBuffer(width: 3, height: 2)
        let d = ScreenDiff(from: a, to: bigger)
        XCTAssertTrue(d.isFullRepaint)
        XCTAssertEqual(d.changedCount, 6)
    }

    func testRunsGroupAdjacentChangesOfOneStyle() {
        let a = ScreenBuffer(width: 10, height: 1)
        var b = a
        b.write("abc", x: 1, y: 0, style: .plain)
        b.write("de", x: 4, y: 0, style: Style(foreground: .indexed(1)))
        b.write("f", x: 8, y: 0, style: .plain)
        var runs: [(Int, String)] = []
        ScreenDiff(from: a, to: b).forEachRun { x, _, cells in
            runs.append((x, String(String.UnicodeScalarView(cells.map(\.scalar)))))
        }
        XCTAssertEqual(runs.map(\.0), [1, 4, 8])
        XCTAssertEqual(runs.map(\.1), ["abc", "de", "f"])
    }

    func testWideCharacterRunSkipsItsRightHalf() {
        let a = ScreenBuffer(width: 4, height: 1)
        var b = a
        b.write("日x", x: 0, y: 0, style: .plain)
        var written: [String] = []
        ScreenDiff(from: a, to: b).forEachRun { _, _, cells in
            written.append(String(String.UnicodeScalarView(cells.filter { !$0.isContinuation }.map(\.scalar))))
        }
        XCTAssertEqual(written, ["日x"])
    }

    func testHeadlessTerminalWritesOnlyTheChange() {
        let t = HeadlessTerminal(size: Size(width: 20, height: 5))
        var frame = ScreenBuffer(size: t.size)
        frame.write("hello", x: 0, y: 0, style: .plain)
        t.draw(frame)
        XCTAssertTrue(t.lastDraw.fullRepaint)
        XCTAssertEqual(t.lastDraw.cellsWritten, 100)
        frame.write("j", x: 0, y: 0, style: .plain)
        t.draw(frame)
        XCTAssertFalse(t.lastDraw.fullRepaint)
        XCTAssertEqual(t.lastDraw.cellsWritten, 1)
        t.resize(to: Size(width: 10, height: 2))
        XCTAssertEqual(t.nextEvent(timeoutMilliseconds: 0), .resize(Size(width: 10, height: 2)))
        XCTAssertNil(t.nextEvent(timeoutMilliseconds: 0))
    }
}
