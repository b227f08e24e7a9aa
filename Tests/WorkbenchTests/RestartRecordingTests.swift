import DropoutNet
import Foundation
@testable import Workbench
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
        app.handle(.key(.enter))
        XCTAssertNotNil(session.wait(timeout: 10) { $0.settingChanges.count == 1 })
        session.pause()
        let paused = try XCTUnwrap(session.wait(timeout: 10) { $0.state == .paused })

        app.handle(.key(.character("r")))
        let second = recorder.current.run
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(recorder.abandoned, [first])
        XCTAssertEqual(app.message, "new run \(second.short) with the current settings; run \(first.short) stopped")
        XCTAssertNil(recorder.takeCloseError())
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

    /// What the event line says becomes of the run `r` replaces.
    func testRestartSaysWhetherThePreviousRunIsKeptOrStopped() {
        var s = TrainingSnapshot()
        s.state = .finished
        s.result = TrainingResult(steps: 10)
        s.result?.checkpoint = "runs/x/best.ckpt"
        XCTAssertEqual(WorkbenchApp.fate(of: s), "kept as finished with its best checkpoint")
        s.state = .running; s.epochs = 1; s.stepsPerEpoch = 10; s.step = 10
        XCTAssertEqual(WorkbenchApp.fate(of: s), "is being tested and kept as finished")
        s.step = 4
        XCTAssertEqual(WorkbenchApp.fate(of: s), "stopped")
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
        app.handle(.key(.character("n")))        // any other key stays
        XCTAssertFalse(app.confirmingQuit)
        XCTAssertFalse(app.finished)

        // s saves and quits once the checkpoint is written, naming it.
        app.handle(.key(.character("q")))
        app.handle(.key(.character("s")))
        XCTAssertFalse(app.finished, "quit before the checkpoint was written")
        let deadline = Date().addingTimeInterval(10)
        while !app.finished && Date() < deadline { app.quitIfSaved(); usleep(2_000) }
        XCTAssertTrue(app.finished, "s did not quit")
        let step = session.snapshot.step
        XCTAssertEqual(app.exitNote, "checkpoint of step \(step) saved: memory:\(step)")
        XCTAssertFalse(app.hasUnsavedRun)

        // A saved, paused run quits at once.
        let again = WorkbenchApp(session: session, terminal: HeadlessTerminal(size: Size(width: 120, height: 40)),
                                 themes: ThemeCatalog(directories: []), themeName: "mono")
        again.handle(.key(.character("q")))
        XCTAssertTrue(again.finished, "a saved, paused run quits at once")
    }

    /// Without a checkpoint writer the quit prompt's `s` stays and says why.
    func testSaveAndQuitStaysWhenTheCheckpointCannotBeWritten() throws {
        let session = try WorkbenchAppTests.makeSession()
        defer { session.stop(); _ = session.wait(timeout: 10) }
        let app = WorkbenchApp(session: session, terminal: HeadlessTerminal(size: Size(width: 120, height: 40)),
                               themes: ThemeCatalog(directories: []), themeName: "mono")
        session.start()
        XCTAssertNotNil(session.wait(timeout: 30) { $0.step >= 3 })
        app.handle(.key(.character("q")))
        app.handle(.key(.character("s")))
        let deadline = Date().addingTimeInterval(10)
        while app.message?.hasPrefix("not quitting") != true && Date() < deadline { app.quitIfSaved(); usleep(2_000) }
        XCTAssertFalse(app.finished)
        XCTAssertEqual(app.message, "not quitting: checkpoints are not available in this session")
    }
}

/// Checkpoints that are only names: what quitting needs to know is that one was written.
private final class NamedCheckpoints: CheckpointWriter {
    func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String {
        "memory:\(step)"
    }
}
