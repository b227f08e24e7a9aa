import XCTest
@testable import DropoutNet

/// Sweeps on the small in-memory world: trials through the training driver, ASHA pruning,
/// and a sweep stopped midway that resumes with every trial exactly once.
final class SweepRunnerTests: XCTestCase {
    static func definition(trials: Int, parallel: Int = 1) -> SweepDefinition {
        var base = TrainingFixture.settings(epochs: 1)
        base.evalEvery = 20
        // Behaviour statistics as preference: no WMF fit (the sweep is under test, not the model).
        base.userPreference = .stats
        base.itemPreference = .stats
        return SweepDefinition(
            base: base,
            parameters: [
                SweepParameter(key: "item_dropout", domain: .range(low: 0, high: 1, log: false, integer: false)),
                SweepParameter(key: "lr", domain: .range(low: 1e-4, high: 3e-2, log: true, integer: false)),
                SweepParameter(key: "loss", domain: .choices(["svsoftmax", "pairwise"])),
            ],
            trials: trials, searcher: .tpe, tpeStartup: 2, asha: ASHA(minSteps: 20, reductionFactor: 2), seed: 4,
            parallel: parallel, source: "test sweep \(trials)")
    }

    final class StopAfter: SweepObserver {
        let count: Int
        var ended = 0
        init(_ count: Int) { self.count = count }
        func sweep(_ sweep: SweepRunner, didEnd trial: SweepTrial) {
            ended += 1
            if ended == count { sweep.stop() }
        }
    }

    func testAStoppedSweepResumesWithEveryTrialOnceAndTheSameProposals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RunStore(directory: dir)
        let d = Self.definition(trials: 4)
        let first = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        first.observers = [StopAfter(2)]
        XCTAssertEqual(try first.run().trials.map(\.number), [1, 2])

        // Trial 3 as a killed process leaves it: running, its writer gone.
        let killed = try store.createRun(settings: d.base, dataset: DatasetIdentity(dataset: TrainingFixture.data.dataset, path: "fixture"),
                                         split: SplitIdentity(split: TrainingFixture.data.split))
        try store.startTrial(run: killed, sweep: first.id, trial: 3, values: ["item_dropout": "0.5"])
        try store.write { db in try db.execute(sql: "UPDATE runs SET writer_pid = 999999999 WHERE id = ?", arguments: [killed.rawValue]) }

        let second = SweepRunner(definition: d, data: TrainingFixture.data, store: store, datasetPath: "fixture")
        XCTAssertEqual(second.id, first.id, "the same definition and data find the same sweep")
        let resumed = try second.run()
        XCTAssertEqual(resumed.trials.map(\.number), [1, 2, 3, 4])
        XCTAssertTrue(resumed.trials.allSatisfy { $0.status == .finished || $0.status == .pruned }, "\(resumed.trials.map(\.status))")
        XCTAssertEqual(Set(resumed.trials.compactMap(\.run)).count, 4)
        XCTAssertFalse(resumed.trials.contains { $0.run == killed }, "the killed trial was trained again")
        XCTAssertEqual(try store.sweepTrials(first.id).filter { $0.status == .superseded }.map(\.run), [killed])
        XCTAssertEqual(try store.sweepTrials(first.id).filter(\.status.isDone).count, 4)
        XCTAssertTrue(resumed.trials.contains { $0.status == .pruned }, "ASHA stops some trials at a rung: \(resumed.trials.map { ($0.status, $0.result.rungs.map(\.value), $0.result.steps) })")
        let full = try XCTUnwrap(resumed.trials.filter { $0.status == .finished }.map(\.result.steps).max())
        for t in resumed.trials where t.status == .pruned {
            XCTAssertLessThan(t.result.steps, full, "a pruned trial stops early")
            XCTAssertFalse(t.result.rungs.isEmpty)
        }

        // The same sweep uninterrupted in another store proposes the same settings.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-whole-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: other) }
        let whole = try SweepRunner(definition: d, data: TrainingFixture.data, store: try RunStore(directory: other), datasetPath: "fixture").run()
        XCTAssertEqual(whole.trials.map(\.values), resumed.trials.map(\.values))
        XCTAssertEqual(whole.trials.map(\.result.objective), resumed.trials.map(\.result.objective))
    }

    func testTwoTrialsAtATimeRecordEveryTrialTaggedWithItsSweep() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-parallel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RunStore(directory: dir)
        let runner = SweepRunner(definition: Self.definition(trials: 3, parallel: 2), data: TrainingFixture.data, store: store, datasetPath: "fixture")
        let snapshot = try runner.run()
        XCTAssertTrue(snapshot.isFinished)
        XCTAssertEqual(snapshot.trials.map(\.number), [1, 2, 3])
        let stored = try store.sweepTrials(runner.id)
        XCTAssertEqual(stored.map(\.number), [1, 2, 3])
        XCTAssertEqual(stored.map(\.status), snapshot.trials.map(\.status))
        for t in stored {
            let run = try XCTUnwrap(try store.run(XCTUnwrap(t.run)))
            XCTAssertEqual(run.status, t.status == .finished ? .finished : .stopped)
            XCTAssertEqual(run.settingTexts["item_dropout"].flatMap { Double($0) }, Double(t.values["item_dropout"]!))
            XCTAssertNotNil(t.result.objective)
        }
        let report = SweepReport(snapshot, definition: runner.definition, seconds: 1)
        XCTAssertEqual(Set(report.leaderboard), [1, 2, 3])
        XCTAssertFalse(report.paretoFront.isEmpty)
    }
}
