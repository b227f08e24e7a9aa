import DropoutNet
import Foundation
@testable import Workbench
import XCTest

/// Issue 15's Runs screen workflow on a store of three runs: a dataset column, a warning when
/// overlaying another dataset's run, running runs re-read while shown, sorting by any column,
/// delete with confirmation, and a note per run.
final class RunsScreenWorkflowTests: XCTestCase {
    static let synthetic = DatasetIdentity(name: "synthetic", path: "sample-data", users: 10, items: 10, interactions: 100,
                                           positives: 50, fingerprint: "0123456789abcdef")
    static let movies = DatasetIdentity(name: "ml-latest-small", path: "ml", users: 10, items: 10, interactions: 100,
                                        positives: 50, fingerprint: "fedcba9876543210")

    /// Runs a (synthetic, warm 0.25), b (another dataset, warm 0.40) finished, c still running (no evaluation).
    private func store() throws -> (dir: String, store: RunStore, a: RunID, b: RunID, c: RunID, live: RunRecorder) {
        let dir = try temporaryDirectory(self)
        let store = try RunStore(directory: URL(fileURLWithPath: dir))
        let split = SplitIdentity(origin: "test", hash: "00")
        func run(_ identity: DatasetIdentity, warm: Double?, at seconds: Double, finish: Bool) throws -> (RunID, RunRecorder) {
            let id = try store.createRun(settings: Settings(), dataset: identity, split: split, created: Date(timeIntervalSince1970: 1_800_000_000 + seconds))
            let r = store.recorder(for: id)
            for step in 1...100 { r.recordLoss(step: step, total: 1) }
            if let warm { r.recordEval(step: 100, split: "validation_warm", metrics: ["recall@20": warm]) }
            if finish { try r.finish(status: .finished) } else { try r.flush() }
            return (id, r)
        }
        let a = try run(Self.synthetic, warm: 0.25, at: 0, finish: true).0
        let b = try run(Self.movies, warm: 0.40, at: 60, finish: true).0
        let (c, live) = try run(Self.synthetic, warm: nil, at: 120, finish: false)
        try FileManager.default.createDirectory(at: store.runDirectory(a), withIntermediateDirectories: true)
        try Data("ckpt".utf8).write(to: store.checkpointURL(run: a, step: 100))
        return (dir, store, a, b, c, live)
    }

    private func text(_ browser: RunsBrowser, width: Int = 170) -> String {
        var b = ScreenBuffer(width: width, height: 30)
        var state = browser.list
        browser.view.render(into: &b, area: b.bounds, theme: .builtinMono, state: &state)
        return b.textLines().joined(separator: "\n")
    }

    func testSortNoteDeleteAndTheOtherDatasetWarning() throws {
        let (dir, store, a, b, c, _) = try store()
        var browser = RunsBrowser(directory: dir)
        browser.currentDataset = Self.synthetic
        browser.reload()
        XCTAssertEqual(browser.runs.map(\.id), [c, b, a], "newest first")
        var screen = text(browser)
        XCTAssertTrue(screen.contains("dataset"), screen)
        XCTAssertTrue(screen.contains("≠ml-latest-small"), "another dataset's run is marked:\n\(screen)")
        XCTAssertTrue(screen.contains("synthetic"), screen)
        // At 80 columns the ids shorten so every recall column still shows.
        let narrow = text(browser, width: 80)
        XCTAssertTrue(narrow.contains("cold-i") && narrow.contains("  \(a.short)  finished"), narrow)
        XCTAssertTrue(narrow.split(separator: "\n").contains { $0.contains(a.short) && $0.contains("0.2500") }, narrow)

        // o cycles the sort column (run, status, model, dataset, step, warm…); the header marks it.
        for _ in 0..<5 { _ = browser.handle(.character("o"), visibleRows: 10) }
        XCTAssertEqual(browser.sort.column, .warm)
        XCTAssertEqual(browser.runs.map(\.id), [b, a, c], "highest warm recall first, no evaluation last")
        XCTAssertTrue(text(browser).contains("warm▼"), text(browser))
        _ = browser.handle(.character("O"), visibleRows: 10)
        XCTAssertEqual(browser.runs.map(\.id), [a, b, c], "reversed; a run without the value stays last")

        // Overlaying b (another dataset) warns; a is quiet.
        browser.list.selected = 1
        let warning = try XCTUnwrap(browser.handle(.character(" "), visibleRows: 10))
        XCTAssertTrue(warning.hasPrefix("warning: \(b) trained on ml-latest-small"), warning)
        browser.list.selected = 0
        XCTAssertFalse(try XCTUnwrap(browser.handle(.character(" "), visibleRows: 10)).hasPrefix("warning"))

        // n writes a note; the keys go to it until Enter.
        _ = browser.handle(.character("n"), visibleRows: 10)
        XCTAssertTrue(browser.isCapturingKeys)
        for ch in "lr x10 d" { _ = browser.handle(.character(ch), visibleRows: 10) }
        _ = browser.handle(.backspace, visibleRows: 10)
        _ = browser.handle(.backspace, visibleRows: 10)
        XCTAssertTrue(text(browser).contains("note for \(a.short): lr x10"), text(browser))
        XCTAssertEqual(browser.handle(.enter, visibleRows: 10), "note of \(a) saved")
        XCTAssertEqual(try store.notes(), [a: "lr x10"])
        screen = text(browser)
        XCTAssertTrue(screen.contains("“lr x10”"), screen)

        // d asks; any key but y keeps the run, y deletes it with its directory.
        XCTAssertNil(browser.handle(.character("d"), visibleRows: 10))
        XCTAssertTrue(text(browser).contains("delete run \(a) with its checkpoints? y deletes"), text(browser))
        XCTAssertEqual(browser.handle(.character("q"), visibleRows: 10), "run \(a) kept")
        XCTAssertNotNil(try store.run(a))
        _ = browser.handle(.character("d"), visibleRows: 10)
        XCTAssertEqual(browser.handle(.character("y"), visibleRows: 10), "run \(a) deleted with its checkpoints")
        XCTAssertNil(try store.run(a))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.runDirectory(a).path))
        XCTAssertTrue(try store.notes().isEmpty, "the note went with the run")
        XCTAssertEqual(browser.runs.map(\.id), [b, c])
        XCTAssertFalse(browser.overlays.contains { $0.run == a }, "its overlay went too")

        // A run still being recorded, or the session's own, is not deleted.
        browser.list.selected = 1
        XCTAssertEqual(browser.highlighted?.id, c)
        XCTAssertEqual(browser.handle(.character("d"), visibleRows: 10), "run \(c) is still being recorded by another process")
        browser.currentRun = b
        browser.list.selected = 0
        XCTAssertTrue(browser.handle(.character("d"), visibleRows: 10)?.contains("this session's run") == true)
        XCTAssertThrowsError(try store.deleteRun(c))
    }

    func testRunningRunsAreReReadWhileTheListIsShown() throws {
        let (dir, _, _, _, c, live) = try store()
        var browser = RunsBrowser(directory: dir)
        browser.reload()
        XCTAssertEqual(browser.runs.first { $0.id == c }?.lastStep, 100)
        for step in 101...250 { live.recordLoss(step: step, total: 1) }
        live.recordEval(step: 250, split: "validation_warm", metrics: ["recall@20": 0.33])
        try live.flush()
        XCTAssertFalse(browser.refreshIfDue(now: Date(), listShown: true), "not before the refresh interval")
        XCTAssertFalse(browser.refreshIfDue(now: Date().addingTimeInterval(10), listShown: false), "not while another screen shows")
        XCTAssertTrue(browser.refreshIfDue(now: Date().addingTimeInterval(10), listShown: true))
        XCTAssertEqual(browser.runs.first { $0.id == c }?.lastStep, 250)
        let screen = text(browser)
        XCTAssertTrue(screen.contains("250  0.3300"), screen)
        try live.finish(status: .stopped)
    }
}
