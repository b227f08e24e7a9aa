import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

final class TrainingSessionTests: XCTestCase {
    func testLiveDropoutChangeTakesEffectAtTheNextStepAndIsOnTheTimeline() throws {
        var s = TrainingFixture.settings(epochs: 50)
        s.userDropout = 0
        s.itemDropout = 0
        let session = TrainingSession(data: TrainingFixture.data, settings: s)
        session.evaluateOnStop = false
        session.start()
        defer { session.stop(); session.wait(timeout: 10) }
        XCTAssertNotNil(session.wait(timeout: 10) { $0.step >= 5 }, "training should be stepping")

        // Between two steps: with dropout 0 every preference row is kept.
        let before = expectation(description: "before")
        var keptBefore = 0, userRows = 0, itemRows = 0
        session.perform { t in
            try? t.trainStep()
            // The user tower's rows are the step's anchors alone on this data (`AnchorUserRows`).
            userRows = t.model.user.preference.batch
            itemRows = t.model.item.preference.batch
            keptBefore = (0..<userRows).filter { t.model.user.preference.keptScale(row: $0) != 0 }.count
            before.fulfill()
        }
        wait(for: [before], timeout: 10)
        XCTAssertGreaterThan(userRows, 0)
        XCTAssertEqual(itemRows, s.batchSize)
        XCTAssertEqual(keptBefore, userRows)

        try session.update(key: "user_dropout", value: "1")
        try session.update(key: "item_dropout", value: "1")
        let after = expectation(description: "after")
        var zeroedUsers = false, zeroedItems = false, stepRun = -1
        session.perform { t in
            stepRun = t.step
            try? t.trainStep()
            zeroedUsers = (0..<t.model.user.preference.batch).allSatisfy { t.model.user.preference.keptScale(row: $0) == 0 }
            zeroedItems = (0..<t.batchSize).allSatisfy { t.model.item.preference.keptScale(row: $0) == 0 }
            after.fulfill()
        }
        wait(for: [after], timeout: 10)
        XCTAssertTrue(zeroedUsers && zeroedItems, "dropout 1.0 zeroes every preference input from the next step")

        let snap = try XCTUnwrap(session.wait(timeout: 10) { $0.settingChanges.count == 2 && $0.step > stepRun })
        XCTAssertEqual(snap.settingChanges.map(\.key), ["user_dropout", "item_dropout"])
        XCTAssertEqual(snap.settingChanges.map(\.new), ["1", "1"])
        XCTAssertLessThanOrEqual(snap.settingChanges[1].step, stepRun, "stamped with the first step that used it")
        XCTAssertEqual(snap.settings.userDropout, 1)
        XCTAssertTrue(snap.events.contains { $0.message.contains("user_dropout") })
    }

    func testRefusedChangeIsLoggedAndTrainingContinues() throws {
        let session = TrainingSession(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 50))
        session.evaluateOnStop = false
        session.start()
        defer { session.stop(); session.wait(timeout: 10) }
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .running && $0.step > 0 })
        XCTAssertThrowsError(try session.update(key: "negatives.n", value: "32"))
        let snap = try XCTUnwrap(session.wait(timeout: 10) { $0.lastError?.contains("negatives.m") == true })
        XCTAssertEqual(snap.settings.negativesN, 1)
        let step = snap.step
        XCTAssertNotNil(session.wait(timeout: 10) { $0.step > step + 5 && $0.state == .running })
    }

    func testPauseResumeStop() throws {
        let session = TrainingSession(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 50))
        session.evaluateOnStop = false
        XCTAssertEqual(session.snapshot.state, .idle)
        session.start()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .running && $0.step > 3 })
        session.pause()
        let paused = try XCTUnwrap(session.wait(timeout: 10) { $0.state == .paused })
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(session.snapshot.step, paused.step, "no steps while paused")
        session.resume()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .running && $0.step > paused.step })
        session.stop()
        let end = session.wait(timeout: 10)
        XCTAssertEqual(end.state, .stopped)
        XCTAssertFalse(session.isRunning)
        XCTAssertGreaterThan(end.loss.points.count + (end.loss.last == nil ? 0 : 1), 0)
    }

    func testRunToTheEndEvaluatesTestAndBaselines() throws {
        let s = TrainingFixture.settings(epochs: 2)
        let session = TrainingSession(data: TrainingFixture.data, settings: s)
        session.start()
        let end = session.wait(timeout: 60)
        XCTAssertEqual(end.state, .finished, "\(end.events.map(\.message))")
        XCTAssertEqual(end.step, end.totalSteps)
        XCTAssertNotNil(end.test?.report["cold_item"])
        XCTAssertNotNil(end.baselines["popularity"])
        XCTAssertFalse(end.evaluations.isEmpty)
        XCTAssertNotNil(session.trainer, "the finished trainer stays available for the explorer")
    }

    func testNonFiniteWeightIsCaughtReportedAndRolledBack() throws {
        let session = TrainingSession(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 50))
        session.evaluateOnStop = false
        session.start()
        defer { session.stop(); session.wait(timeout: 10) }
        XCTAssertNotNil(session.wait(timeout: 10) { $0.step > 120 && $0.lastGoodStep ?? 0 > 0 })
        var poisoned = ""
        session.perform { t in
            let kernel = t.model.item.mlp.parameters.first { $0.role == .kernel }!
            kernel.value[0, 0] = .nan
            poisoned = kernel.name
        }
        let failed = try XCTUnwrap(session.wait(timeout: 10) { $0.state == .failed })
        let fault = try XCTUnwrap(failed.fault)
        XCTAssertEqual(fault.tensor, poisoned, "the report names the tensor")
        XCTAssertTrue(failed.lastError?.contains("step \(fault.step)") == true)
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(session.snapshot.step, failed.step, "no stepping after a fault")

        session.rollback()
        let rolled = try XCTUnwrap(session.wait(timeout: 10) { $0.state == .paused })
        XCTAssertNil(rolled.fault)
        let finite = expectation(description: "finite")
        session.perform { t in
            XCTAssertNil(firstNonFinite(t.model.parameters))
            finite.fulfill()
        }
        wait(for: [finite], timeout: 10)
        session.resume()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .running && $0.step > failed.step + 5 })
    }

    func testRestartStartsOverWithNewSettings() throws {
        let session = TrainingSession(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 50))
        session.evaluateOnStop = false
        session.start()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.step > 20 })
        var s = TrainingFixture.settings(epochs: 50)
        s.lr = 0.01
        session.restart(with: s)
        let fresh = try XCTUnwrap(session.wait(timeout: 10) { $0.settings.lr == 0.01 && $0.state == .running })
        XCTAssertLessThan(fresh.step, 20)
        session.stop()
        XCTAssertEqual(session.wait(timeout: 10).state, .stopped)
    }

    /// `withModel` runs every body exactly once and never two at a time, whether the run is
    /// stepping, finishing (the race the explorer had: a body queued just as the thread ended
    /// was never run, and its ranking stayed "pending" for good) or over.
    func testWithModelRunsEveryBodyOnceAcrossTheEndOfTheRun() throws {
        let session = TrainingSession(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 2))
        let tally = ModelReadTally()
        session.start()
        var asked = 0
        while session.isRunning && asked < 100_000 {
            session.withModel { tally.read($0) }
            asked += 1
            usleep(50)
        }
        for _ in 0..<50 {
            session.withModel { tally.read($0) }
            asked += 1
        }
        let deadline = Date(timeIntervalSinceNow: 20)
        while tally.count < asked && Date() < deadline { usleep(1000) }
        XCTAssertEqual(tally.count, asked, "some bodies never ran (or one ran twice)")
        XCTAssertEqual(tally.withoutModel, 0, "the run built a model: every body gets it")
        XCTAssertFalse(tally.overlapped, "two bodies read the model at once")
        XCTAssertEqual(session.snapshot.state, .finished)
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(tally.count, asked, "a body ran late, or twice")
    }

    /// After the run has finished, the session trains the content-only baseline on the same
    /// thread: the state stays `finished`, the log says so, and a stop (the workbench's quit)
    /// ends it without a number rather than waiting for it.
    func testTheContentOnlyBaselineTrainsAfterTheRunAndAStopEndsIt() throws {
        var s = TrainingFixture.settings(epochs: 2)
        s.contentOnlyBaseline = .trained
        let whole = TrainingSession(data: TrainingFixture.data, settings: s)
        whole.start()
        let done = whole.wait(timeout: 60)
        XCTAssertEqual(done.state, .finished)
        XCTAssertNotNil(done.baselines["content_only"], "\(done.events.map(\.message))")
        XCTAssertNil(done.baselineTraining)
        XCTAssertTrue(done.events.contains { $0.message == "training the content-only baseline…" })

        let session = TrainingSession(data: TrainingFixture.data, settings: s)
        let stopper = StopAtBaselineStep(10, session)
        session.observer = stopper
        session.start()
        let end = session.wait(timeout: 60)
        XCTAssertEqual(stopper.seenState, .finished, "the run had finished when its baseline started")
        XCTAssertEqual(end.state, .finished, "stopping the baseline does not make the run stopped")
        XCTAssertNotNil(end.test)
        XCTAssertNil(end.baselines["content_only"])
        XCTAssertNil(end.baselineTraining)
        XCTAssertTrue(end.events.contains { $0.message.hasPrefix("content-only baseline stopped at step 10") }, "\(end.events.map(\.message))")
    }
}

/// Counts model reads and notices two at once.
private final class ModelReadTally: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = false
    private(set) var overlapped = false
    private var reads = 0, missing = 0

    var count: Int { lock.lock(); defer { lock.unlock() }; return reads }
    var withoutModel: Int { lock.lock(); defer { lock.unlock() }; return missing }

    func read(_ trainer: Trainer?) {
        lock.lock()
        if inside { overlapped = true }
        inside = true
        lock.unlock()
        _ = trainer?.step
        lock.lock()
        inside = false
        reads += 1
        if trainer == nil { missing += 1 }
        lock.unlock()
    }
}

/// Stops the session from the trainer thread at a given step of the baseline.
private final class StopAtBaselineStep: TrainingRunObserver {
    let step: Int
    unowned let session: TrainingSession
    var seenState: TrainingState?
    init(_ step: Int, _ session: TrainingSession) { self.step = step; self.session = session }
    func trainingRun(_ run: TrainingRun, baseline name: String, didStep trainer: Trainer, loss: LossBreakdown) {
        guard trainer.step == step else { return }
        seenState = session.snapshot.state
        session.stop()
    }
}
