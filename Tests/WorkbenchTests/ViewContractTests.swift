import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// The workbench's contracts: a view draws only what it is handed (the app reads the store and
/// the explorer), a stateful view adjusts the state the app keeps, and a resize reaches the
/// terminal through the `Terminal` protocol whatever the backend.
final class ViewContractTests: XCTestCase {
    func testResizeMakesTheNextFrameRepaintEveryCellEvenAtTheSameSize() throws {
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 100, height: 30))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        app.draw()
        let full = terminal.lastDraw
        XCTAssertTrue(full.fullRepaint, "the first frame is written in full")
        app.draw()
        XCTAssertFalse(terminal.lastDraw.fullRepaint)
        XCTAssertEqual(terminal.lastDraw.cellsWritten, 0, "nothing changed, nothing is written")
        // A terminal may reflow or clear its screen on a resize even when the size comes back
        // the same: the frame after it must not trust the previous one.
        app.handle(.resize(Size(width: 100, height: 30)))
        app.draw()
        XCTAssertTrue(terminal.lastDraw.fullRepaint)
        XCTAssertEqual(terminal.lastDraw.cellsWritten, full.cellsWritten)
    }

    func testRunsViewDrawsTheRunsItWasHandedAfterTheStoreIsGone() throws {
        let dir = try temporaryDirectory(self)
        let store = try RunStore(directory: URL(fileURLWithPath: dir))
        let identity = DatasetIdentity(name: "synthetic", path: "sample-data", users: 10, items: 10, interactions: 100,
                                       positives: 50, fingerprint: "0123456789abcdef")
        let run = try store.createRun(settings: Settings(), dataset: identity, split: SplitIdentity(origin: "test", hash: "fedcba9876543210"))
        var browser = RunsBrowser(directory: dir)
        browser.reload()
        let view = browser.view
        try FileManager.default.removeItem(atPath: dir)

        var buffer = ScreenBuffer(width: 120, height: 30)
        var state = ListState(selected: 7)
        view.render(into: &buffer, area: buffer.bounds, theme: .builtinDefault, state: &state)
        let text = buffer.textLines().joined(separator: "\n")
        XCTAssertNotNil(buffer.findText("[ ] \(run.rawValue)"), text)
        XCTAssertNotNil(buffer.findText("Run \(run.rawValue)"), "the highlighted run's details:\n\(text)")
        XCTAssertEqual(state.selected, 0, "the state the app keeps is clamped to the one row shown")
    }

    func testAStoreThatCannotBeReadIsShownAsTheViewsProblem() {
        var browser = RunsBrowser(directory: "/nonexistent/runs")
        browser.reload()
        var buffer = ScreenBuffer(width: 100, height: 20)
        var state = ListState()
        browser.view.render(into: &buffer, area: buffer.bounds, theme: .builtinDefault, state: &state)
        XCTAssertNotNil(buffer.findText("no runs recorded yet in /nonexistent/runs/"), buffer.textLines().joined(separator: "\n"))
    }
}
