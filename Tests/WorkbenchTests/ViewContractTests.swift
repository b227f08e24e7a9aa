import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// The workbench's contracts: a view draws only what it is handed (the app reads the store and
/// the explorer), and a stateful view adjusts the state the app keeps.
final class ViewContractTests: XCTestCase {
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
