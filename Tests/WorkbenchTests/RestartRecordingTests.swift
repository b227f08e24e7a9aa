import DropoutNet
import Foundation
import Workbench
import XCTest

/// `r` in the workbench starts a new run in the run store: a new id with the settings in force,
/// its own losses from step 1 and its own evaluations; the abandoned run keeps what it recorded,
/// is closed as stopped, and gets nothing after the restart.
final class RestartRecordingTests: XCTestCase {
    func testRestartRecordsANewRunAndStopsThePreviousOne() throws {
        let dir = try temporaryDirectory(self)
        let store = try RunStore(directory: URL(fileURLWithPath: dir))
        let session = try WorkbenchAppTests.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let recorder = try SessionRecorder(store: store, data: session.data, settings: session.live.current,
                                           datasetPath: "sample-data", flushInterval: 0.05)
        recorder.attach(to: session)
        let app = WorkbenchApp(session: session, terminal: HeadlessTerminal(size: Size(width: 120, height: 40)),
                               themes: ThemeCatalog(directories: []), themeName: "mono")
        app.recorder = recorder
        let first = recorder.current.run
        session.start()
        XCTAssertNotNil(session.wait(timeout: 30) { $0.step >= 5 }, "the first run did not train")
        app.handle(.key(.down))                      // item dropout 0.5 → 0.55: a live change of the first run
        app.handle(.key(.right))
        XCTAssertNotNil(session.wait(timeout: 10) { $0.settingChanges.count == 1 })
        session.pause()
        let paused = try XCTUnwrap(session.wait(timeout: 10) { $0.state == .paused })

        app.handle(.key(.character("r")))
        let second = recorder.current.run
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(recorder.abandoned, [first])
        XCTAssertEqual(app.message, "restarted as run \(second) with the current settings; run \(first) stopped")
        // The new run's snapshot has no setting changes yet; evaluate it once it has trained a little.
        XCTAssertNotNil(session.wait(timeout: 30) { $0.settingChanges.isEmpty && $0.state == .running && $0.step >= 5 },
                        "the restarted run did not train")
        app.handle(.key(.character("e")))
        XCTAssertNotNil(session.wait(timeout: 30) { !$0.evaluations.isEmpty && $0.settingChanges.isEmpty })
        try recorder.close(session)

        let ids = try store.listRuns().map(\.id)
        XCTAssertEqual(Set(ids), [first, second])
        let old = try XCTUnwrap(try store.run(first))
        let new = try XCTUnwrap(try store.run(second))
        XCTAssertEqual(old.status, .stopped)
        XCTAssertEqual(new.status, .stopped)
        XCTAssertEqual(old.settingTexts["item_dropout"], "0.5")
        XCTAssertEqual(new.settingTexts["item_dropout"], "0.55", "the new run starts with the settings in force")

        // Each run has its own curve: steps 1, 2, … once each; the first stops where it was paused.
        let oldSteps = try store.lossSeries(first).map(\.step)
        let newSteps = try store.lossSeries(second).map(\.step)
        XCTAssertEqual(oldSteps, Array(1...paused.step), "the first run's losses were overwritten or extended")
        XCTAssertEqual(newSteps.first, 1)
        XCTAssertEqual(newSteps, Array(1...(newSteps.last ?? 0)))
        XCTAssertGreaterThanOrEqual(newSteps.count, 5)
        XCTAssertEqual(try store.settingChanges(first).map(\.key), ["item_dropout"])
        XCTAssertEqual(try store.settingChanges(second).map(\.key), [])
        XCTAssertTrue(try store.evalSeries(first).isEmpty, "the new run's evaluation went to the old run")
        XCTAssertFalse(try store.evalSeries(second).isEmpty)
    }

    func testQuitAsksOnlyWhileTheRunsWeightsAreNotSaved() throws {
        let session = try WorkbenchAppTests.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        session.checkpoints = NamedCheckpoints()
        let app = WorkbenchApp(session: session, terminal: HeadlessTerminal(size: Size(width: 120, height: 40)),
                               themes: ThemeCatalog(directories: []), themeName: "mono")
        // Before training has taken a step there is nothing to lose.
        XCTAssertFalse(app.hasUnsavedRun)
        session.start()
        XCTAssertNotNil(session.wait(timeout: 30) { $0.step >= 3 })
        session.pause()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .paused })
        app.handle(.key(.character("q")))
        XCTAssertTrue(app.confirmingQuit)
        XCTAssertFalse(app.finished)
        app.handle(.key(.character("s")))        // answers "stay" and saves
        XCTAssertFalse(app.confirmingQuit)
        XCTAssertNotNil(session.wait(timeout: 10) { $0.checkpointStep == $0.step })
        XCTAssertFalse(app.hasUnsavedRun)
        app.handle(.key(.character("q")))
        XCTAssertTrue(app.finished, "a saved, paused run quits at once")
    }
}

/// Checkpoints that are only names: what quitting needs to know is that one was written.
private final class NamedCheckpoints: CheckpointWriter {
    func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String {
        "memory:\(step)"
    }
}
