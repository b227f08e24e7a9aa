import DropoutNet
import Foundation
import Workbench
import XCTest

/// The app wired to a real session trained briefly on the bundled sample-data, rendered into a
/// headless terminal: what the user sees must be the session's own numbers.
final class WorkbenchAppTests: XCTestCase {
    static func makeSession(epochs: Int = 2, batchSize: Int = 512, evalEvery: Int = 40,
                            contentOnly: Settings.BaselineTraining = .trained) throws -> TrainingSession {
        let dir = URL(fileURLWithPath: packageRoot).appendingPathComponent("sample-data").path
        // sample-data/ is tracked in the repository: without it the package is broken (a failure, not a skip).
        guard FileManager.default.fileExists(atPath: dir + "/interactions.csv") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: dir + "/interactions.csv"])
        }
        let dataset = try DatasetLoader.load(directory: dir, format: .auto)
        let data = try TrainingData.prepare(dataset: dataset, split: try Splitter.make(dataset, SplitOptions()))
        var settings = Settings()
        try settings.set("user_tower", "64")
        try settings.set("item_tower", "64")
        try settings.set("embedding_dim", "32")
        settings.evalEvery = evalEvery
        settings.batchSize = batchSize
        settings.epochs = epochs
        settings.contentOnlyBaseline = contentOnly
        let session = TrainingSession(data: data, settings: settings)
        session.evaluateOnStop = false
        return session
    }

    func testTrainScreenShowsTheSessionsNumbersAndKnobChangesReachTheSession() throws {
        let session = try Self.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        session.start()
        guard session.wait(timeout: 30, until: { $0.evaluations.count >= 2 }) != nil else { return XCTFail("no evaluation within 30 s") }
        session.pause()
        guard let snap = session.wait(timeout: 10, until: { $0.state == .paused }) else { return XCTFail("did not pause") }

        app.draw()
        let screen = terminal.screen
        let text = screen.textLines().joined(separator: "\n")
        XCTAssertNotNil(screen.findText("step \(snap.step)/\(snap.totalSteps)"), text)
        XCTAssertNotNil(screen.findText("paused"), text)
        let last = try XCTUnwrap(snap.evaluations.last)
        XCTAssertNotNil(screen.findText("Inspector — validation @ step \(last.step)"), text)
        let warm = try XCTUnwrap(last.report["validation_warm"]?.recall(at: 20))
        XCTAssertNotNil(screen.findText(String(format: "%.4f", warm)), "warm recall@20 \(warm) not shown:\n\(text)")
        XCTAssertNotNil(screen.findText("0.50"), "item dropout 0.50 not shown:\n\(text)")

        // Down to item dropout, Right three times: the panel shows 0.65 at once, the session gets
        // one change, 0.50 → 0.65, once the user settles.
        app.handle(.key(.down))
        for _ in 0..<3 { app.handle(.key(.right)) }
        XCTAssertEqual(session.live.current.itemDropout, 0.5, accuracy: 1e-9, "applied before the user settled")
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("0.65"), terminal.screen.textLines().joined(separator: "\n"))
        XCTAssertNotNil(terminal.screen.findText("item drop 0.5 → 0.65: applied when you"), terminal.screen.textLines().joined(separator: "\n"))
        XCTAssertFalse(app.settleEdits(now: Date()), "applied before the settle delay")
        XCTAssertTrue(app.settleEdits(now: Date().addingTimeInterval(KnobEdit.settleDelay)))
        XCTAssertEqual(session.live.current.itemDropout, 0.65, accuracy: 1e-9)
        XCTAssertEqual(session.live.timeline.map(\.new), ["0.65"], "one change for one edit")
        app.handle(.key(.left))                       // and back to 0.55 with Enter: applied at once
        app.handle(.key(.enter))
        XCTAssertEqual(session.live.current.itemDropout, 0.6, accuracy: 1e-9)
        for _ in 0..<1 { app.handle(.key(.left)) }
        app.handle(.key(.enter))
        XCTAssertEqual(session.live.current.itemDropout, 0.55, accuracy: 1e-9)
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("0.55"), terminal.screen.textLines().joined(separator: "\n"))
        XCTAssertNotNil(terminal.screen.findText("item_dropout 0.6 → 0.55"), terminal.screen.textLines().joined(separator: "\n"))

        // M only offers values valid for N and the batch: with N = 256 and batch 512, M = 2 is refused.
        _ = try session.live.update(key: "negatives.m", value: "1")
        _ = try session.live.update(key: "negatives.n", value: "256")
        for _ in 0..<2 { app.handle(.key(.down)) }   // item dropout → N → M
        app.handle(.key(.right))
        app.handle(.key(.enter))
        XCTAssertEqual(session.live.current.negativesM, 1, "M moved onto a value that makes a row its own negative")
    }

    /// The loss picker applies only the option chosen with Enter: passing over `softmax` on the
    /// way to `pairwise` never trains on it, and leaving the knob without Enter applies nothing.
    func testPickersApplyOnEnterOnly() throws {
        let session = try Self.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        let lossKnob = try XCTUnwrap(Knob.all.firstIndex { $0.key == "loss" })
        for _ in 0..<lossKnob { app.handle(.key(.down)) }
        let options = Knob.all[lossKnob].options(session.live.current).filter { $0.refused == nil }.map(\.value)
        let start = try XCTUnwrap(options.firstIndex(of: Knob.all[lossKnob].current(session.live.current)))
        XCTAssertGreaterThan(options.count, start + 2, "\(options)")
        app.handle(.key(.right))
        app.handle(.key(.right))
        XCTAssertFalse(app.settleEdits(now: Date().addingTimeInterval(60)), "a picker waits for Enter")
        XCTAssertTrue(session.live.timeline.isEmpty, "the picker applied an option it passed")
        app.draw()
        XCTAssertNotNil(terminal.screen.findText("loss \(options[start]) → \(options[start + 2]): Enter"),
                        terminal.screen.textLines().joined(separator: "\n"))
        app.handle(.key(.down))                        // leaving without Enter drops it
        XCTAssertTrue(session.live.timeline.isEmpty)
        XCTAssertEqual(app.message, "loss: \(options[start + 2]) not applied (Enter applies a picker)")
        app.handle(.key(.up))
        app.handle(.key(.right))
        app.handle(.key(.right))
        app.handle(.key(.enter))
        XCTAssertEqual(session.live.timeline.filter { $0.key == "loss" }.map(\.new), ["[\(options[start + 2])]"])
        XCTAssertEqual(TrainView.markers(session.live.timeline).map(\.label), ["loss=\(options[start + 2])"])
    }

    /// Chart markers: one per step with each knob's final value there; keys a change adjusts
    /// (`loss` resets `loss_weights`) stay off the chart.
    func testMarkersShowTheFinalValueOfEachKnobPerStep() {
        let t = Date()
        let changes = [SettingChange(step: 40, key: "item_dropout", old: "0.5", new: "0.45", time: t),
                       SettingChange(step: 40, key: "item_dropout", old: "0.45", new: "0.25", time: t),
                       SettingChange(step: 40, key: "loss", old: "[svsoftmax]", new: "[pairwise]", time: t),
                       SettingChange(step: 40, key: "loss_weights", old: "[1]", new: "[1]", time: t),
                       SettingChange(step: 90, key: "lr", old: "0.001", new: "0.003", time: t)]
        let markers = TrainView.markers(changes)
        XCTAssertEqual(markers.map(\.x), [40, 90])
        XCTAssertEqual(markers.map(\.label), ["idrop=0.25 loss=pairwise", "lr=0.003"])
    }

    func testSmallTerminalAsksToEnlargeAndHelpListsKeys() throws {
        let session = try Self.makeSession()
        let small = HeadlessTerminal(size: Size(width: 60, height: 20))
        let app = WorkbenchApp(session: session, terminal: small, themes: ThemeCatalog(directories: []), themeName: "default")
        app.draw()
        XCTAssertNotNil(small.screen.findText("enlarge the terminal"), small.screen.textLines().joined(separator: "\n"))
        small.resize(to: Size(width: 120, height: 40))
        app.handle(.key(.character("?")))
        app.draw()
        let text = small.screen.textLines().joined(separator: "\n")
        for key in ["Space", "evaluate now", "save a checkpoint", "next theme"] {
            XCTAssertTrue(text.contains(key), "help lacks \(key):\n\(text)")
        }
    }

    func testExplorerShowsTopKForAColdUser() throws {
        let session = try Self.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        session.start()
        _ = session.wait(timeout: 30, until: { $0.step >= 20 })
        app.handle(.key(.character("2")))
        let user = try XCTUnwrap(app.explorer.selectedUser)
        XCTAssertTrue(session.data.split.coldUsers.contains(Int32(user)), "the default filter lists cold users")
        app.explorer.request(session: session, step: session.snapshot.step)
        let deadline = Date().addingTimeInterval(20)
        while app.explorer.userResult?.user != user && Date() < deadline { usleep(20_000) }
        let result = try XCTUnwrap(app.explorer.userResult)
        XCTAssertEqual(result.items.count, Explorer.topK)
        XCTAssertEqual(result.items.map(\.score), result.items.map(\.score).sorted(by: >))
        app.draw()
        let text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("Top-\(Explorer.topK) at step"), text)
        XCTAssertTrue(text.contains(session.data.dataset.itemIDs[result.items[0].item]), text)
    }
}

/// The Explore screen's item side and few-shot filter, on a session trained briefly.
final class ExplorerItemTests: XCTestCase {
    func testItemExplorerListsColdItemsAndRanksUsersWithHeldOutHits() throws {
        let session = try WorkbenchAppTests.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        session.start()
        _ = session.wait(timeout: 30, until: { $0.step >= 20 })
        session.pause()
        _ = session.wait(timeout: 10, until: { $0.state == .paused })
        let data = session.data
        app.handle(.key(.character("2")))
        app.handle(.key(.character("i")))
        XCTAssertEqual(app.explorer.mode, .items)
        XCTAssertFalse(app.explorer.items.isEmpty)
        XCTAssertTrue(app.explorer.items.allSatisfy { !data.isKnownItem[Int($0)] }, "the default item filter lists cold items")
        // Pick a cold item some held-out user took, so hits are possible.
        let target = try XCTUnwrap(app.explorer.items.first { !ExplorerQueries.heldOutUsers(ofItem: Int($0), data: data).isEmpty })
        let position = try XCTUnwrap(app.explorer.items.firstIndex(of: target))
        for _ in 0..<position { app.handle(.key(.down)) }
        XCTAssertEqual(app.explorer.selectedItem, Int(target))

        app.explorer.request(session: session, step: session.snapshot.step)
        let deadline = Date().addingTimeInterval(20)
        while app.explorer.itemResult?.item != Int(target) && Date() < deadline { usleep(20_000) }
        let result = try XCTUnwrap(app.explorer.itemResult)
        XCTAssertEqual(result.users.count, Explorer.topK)
        XCTAssertEqual(result.users.map(\.score), result.users.map(\.score).sorted(by: >))
        let held = Set(ExplorerQueries.heldOutUsers(ofItem: Int(target), data: data))
        XCTAssertEqual(result.users.map(\.hit), result.users.map { held.contains(Int32($0.user)) })
        app.draw()
        let text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("Items (cold)"), text)
        XCTAssertTrue(text.contains("Top-\(Explorer.topK) users at step \(result.step)"), text)
        XCTAssertTrue(text.contains("Item \(data.dataset.itemIDs[Int(target)])"), text)
        XCTAssertTrue(text.contains(data.dataset.userIDs[result.users[0].user]), text)

        // `/` searches titles: typing an item's title (letters like i, u, f included) finds it.
        let other = Int(app.explorer.items.last!)
        let title = try XCTUnwrap(data.dataset.itemContent.title(other))
        app.handle(.key(.character("/")))
        for ch in title { app.handle(.key(.character(ch))) }
        app.handle(.key(.enter))
        XCTAssertEqual(app.explorer.mode, .items, "letters typed into the search are not commands")
        XCTAssertNotNil(app.explorer.selectedItem)
        XCTAssertEqual(data.dataset.itemContent.title(app.explorer.selectedItem!), title)

        app.handle(.key(.character("u")))
        XCTAssertEqual(app.explorer.mode, .users)
    }

    func testFewShotFilterListsWarmUsersWithAtMostFiveTrainingPositives() throws {
        let session = try WorkbenchAppTests.makeSession()
        let terminal = HeadlessTerminal(size: Size(width: 120, height: 40))
        let app = WorkbenchApp(session: session, terminal: terminal, themes: ThemeCatalog(directories: []), themeName: "mono")
        let data = session.data
        app.handle(.key(.character("2")))
        app.handle(.key(.character("f")))
        app.handle(.key(.character("f")))
        XCTAssertEqual(app.explorer.userFilter, .fewShot)
        // Worked out from the raw interactions of the training split, not with the explorer's
        // own helpers: users in training with 1 to 5 distinct liked items there.
        var trained = Set<Int32>(), liked: [Int32: Set<Int32>] = [:]
        for k in data.split.train.map(Int.init) {
            let u = data.dataset.users[k]
            trained.insert(u)
            if data.dataset.labels[k] == 1 { liked[u, default: []].insert(data.dataset.items[k]) }
        }
        let expected = (0..<Int32(data.userCount)).filter { trained.contains($0) && (1...5).contains(liked[$0]?.count ?? 0) }
        XCTAssertFalse(expected.isEmpty, "sample-data has few-shot users")
        XCTAssertEqual(app.explorer.users, expected)
        app.draw()
        let text = terminal.screen.textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains("Users (few-shot: 1–5 train)"), text)
        let first = expected[0]
        XCTAssertTrue(text.contains("\(data.dataset.userIDs[Int(first)])  warm  \(liked[first]!.count) train"), text)
    }
}
