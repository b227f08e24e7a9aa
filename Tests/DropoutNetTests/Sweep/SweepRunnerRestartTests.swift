import XCTest
@testable import DropoutNet

/// A sweep as the workbench's Sweep screen drives it: shown before it starts (what earlier runs
/// recorded, the store only read), and started again in the same process after a stop, going on
/// to its budget with no trial trained twice.
final class SweepRunnerRestartTests: XCTestCase {
    func store() throws -> (RunStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-restart-\(UUID().uuidString)")
        return (try RunStore(directory: dir), dir)
    }

    func testAStoppedSweepStartedAgainGoesOnToItsBudgetWithEveryTrialOnce() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = SweepRunner(definition: SweepRunnerTests.definition(trials: 3), data: TrainingFixture.data, store: store, datasetPath: "fixture")
        runner.observers = [SweepRunnerTests.StopAfter(1)]
        XCTAssertTrue(runner.hasWorkLeft)
        let stopped = try runner.run()
        XCTAssertEqual(stopped.trials.map(\.number), [1])
        XCTAssertTrue(stopped.isFinished && stopped.isStarted)
        XCTAssertTrue(runner.hasWorkLeft, "two trials of the budget are left")
        let first = try XCTUnwrap(stopped.trials.first?.run)

        let again = try runner.run()
        XCTAssertEqual(again.trials.map(\.number), [1, 2, 3])
        XCTAssertEqual(again.trials.first?.run, first, "trial 1 kept, not trained again")
        XCTAssertTrue(again.trials.allSatisfy(\.status.isDone), "\(again.trials.map(\.status))")
        XCTAssertTrue(again.isFinished)
        XCTAssertFalse(again.isStopping, "the stop was for the first run only")
        XCTAssertFalse(runner.hasWorkLeft, "the budget of 3 trials is spent")
        XCTAssertEqual(try store.sweepTrials(runner.id).map(\.number), [1, 2, 3], "one run per trial, none superseded")
        XCTAssertGreaterThanOrEqual(try store.sweepElapsed(runner.id), stopped.elapsed, "the time goes on from the first run's")
    }

    func testLoadShowsTheRecordedTrialsAndTimeWithoutChangingTheStore() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = SweepRunnerTests.definition(trials: 3)
        let earlier = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        earlier.observers = [SweepRunnerTests.StopAfter(1)]
        let ended = try earlier.run().trials
        // Trial 2 as a killed process leaves it: running, its writer gone.
        let killed = try store.createRun(settings: d.base, dataset: DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture"),
                                         split: SplitIdentity(split: TrainingFixture.data.split))
        try store.startTrial(run: killed, sweep: earlier.id, trial: 2, values: ["item_dropout": "0.5"])
        try store.write { db in try db.execute(sql: "UPDATE runs SET writer_pid = 999999999 WHERE id = ?", arguments: [killed.rawValue]) }

        let shown = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        XCTAssertTrue(shown.snapshot.trials.isEmpty)
        try shown.load()
        let s = shown.snapshot
        XCTAssertEqual(s.trials.map(\.number), [1], "the ended trial; the interrupted one is trained again only once it starts")
        XCTAssertEqual(s.trials.map(\.result.objective), ended.map(\.result.objective))
        XCTAssertFalse(s.isStarted || s.isFinished)
        XCTAssertEqual(s.elapsed, try store.sweepElapsed(earlier.id), accuracy: 1e-9, "the time earlier runs spent, not a clock")
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(shown.snapshot.elapsed, s.elapsed, "a sweep that has not started spends no time")
        XCTAssertEqual(try store.sweepTrials(earlier.id).map(\.status).last, .interrupted, "nothing superseded before it starts")
        XCTAssertTrue(shown.hasWorkLeft)
    }
}
