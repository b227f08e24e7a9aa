import XCTest
@testable import DropoutNet

/// What a sweep keeps across its processes besides its trials: the time it has run (its
/// `minutes` budget is spent once), its refused trials, and a pause that holds new work.
final class SweepRunnerBudgetTests: XCTestCase {
    func store() throws -> (RunStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-budget-\(UUID().uuidString)")
        return (try RunStore(directory: dir), dir)
    }

    final class Log: SweepObserver {
        var lines: [String] = []
        func sweep(_ sweep: SweepRunner, didLog message: String) { lines.append(message) }
    }

    func testTheTimeBudgetCountsTheTimeOfEarlierProcesses() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        var d = SweepRunnerTests.definition(trials: 3)
        d.minutes = 0.5
        let first = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        first.observers = [SweepRunnerTests.StopAfter(1)]
        XCTAssertEqual(try first.run().trials.count, 1)
        let spent = try store.sweepElapsed(first.id)
        XCTAssertGreaterThan(spent, 0, "the first process's time is recorded")
        XCTAssertLessThan(spent, 30)

        // As if earlier processes had run the 30 seconds: the next one starts no trial.
        try store.setSweepElapsed(first.id, seconds: 30)
        let second = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        let log = Log()
        second.observers = [log]
        let resumed = try second.run()
        XCTAssertEqual(resumed.trials.count, 1, "the budget was spent before this process began: \(resumed.trials.map(\.number))")
        XCTAssertTrue(log.lines.contains { $0.contains("time budget of 0.5 min spent") }, "\(log.lines)")
        XCTAssertGreaterThanOrEqual(try store.sweepElapsed(first.id), 30, "the total goes on from what was recorded")
    }

    func testARefusedTrialIsRecordedAndNotProposedAgain() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        var d = SweepRunnerTests.definition(trials: 2)
        d.searcher = .grid
        d.asha = nil
        // M = 100 is refused with a batch of 64 (negatives come from the batch).
        d.parameters = [SweepParameter(key: "negatives.m", domain: .choices(["4", "100"]))]
        let first = try SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture").run()
        let refused = try XCTUnwrap(first.trials.first { $0.number == 2 })
        XCTAssertEqual(refused.status, .failed)
        XCTAssertNil(refused.run)
        let reason = try XCTUnwrap(refused.result.message)
        XCTAssertEqual(try store.refusedTrials(first.id).map(\.number), [2])
        XCTAssertEqual(try store.refusedTrials(first.id).first?.result.message, reason)
        let runs = try store.listRuns().count

        let log = Log()
        let again = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        again.observers = [log]
        let second = try again.run()
        XCTAssertEqual(second.trials.map(\.number), [1, 2])
        XCTAssertEqual(second.trials[1].result.message, reason, "kept with its reason")
        XCTAssertEqual(second.trials[1].values, ["negatives.m": "100"])
        XCTAssertEqual(try store.listRuns().count, runs, "nothing trained or proposed again")
        XCTAssertTrue(log.lines.contains { $0.contains("2 trials kept") }, "\(log.lines)")
    }

    /// Pauses the sweep when trial 1 starts; the test thread watches, then resumes it.
    final class PauseAtStart: SweepObserver {
        let lock = NSLock()
        var started: [Int] = []
        func sweep(_ sweep: SweepRunner, didStart trial: SweepTrial) {
            lock.lock(); started.append(trial.number); lock.unlock()
            if trial.number == 1 { sweep.setPaused(true) }
        }
        var startedNow: [Int] { lock.lock(); defer { lock.unlock() }; return started }
    }

    func testAPausedSweepHoldsItsTrialsUntilResumed() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = SweepRunner(definition: SweepRunnerTests.definition(trials: 2), data: TrainingFixture.data, store: store, datasetPath: "fixture")
        let watch = PauseAtStart()
        runner.observers = [watch]
        let done = DispatchSemaphore(value: 0)
        Thread { _ = try? runner.run(); done.signal() }.start()
        while watch.startedNow.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.3)
        let a = runner.snapshot
        Thread.sleep(forTimeInterval: 0.3)
        let b = runner.snapshot
        XCTAssertTrue(b.isPaused)
        XCTAssertEqual(watch.startedNow, [1], "no trial starts while paused")
        XCTAssertEqual(a.trials.first?.latestStep, b.trials.first?.latestStep, "the running trial waits")
        XCTAssertEqual(b.trials.first?.status, .running)
        runner.setPaused(false)
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(runner.snapshot.trials.map(\.number), [1, 2])
        XCTAssertFalse(runner.snapshot.isPaused)
    }
}
