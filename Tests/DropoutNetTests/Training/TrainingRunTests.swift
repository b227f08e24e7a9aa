import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// `TrainingRun` is the one training loop: the headless `train` runs it to the end on its own
/// thread, the workbench's `TrainingSession` runs it on the trainer thread with its commands.
final class TrainingRunTests: XCTestCase {
    /// Both clients of the driver report the same run for the same seed: the same validation
    /// history and best step, test metrics, baselines (the trained content-only one too) and
    /// few-shot curve.
    func testHeadlessAndSessionClientsGiveTheSameResult() throws {
        var s = TrainingFixture.settings(epochs: 2, seed: 7)
        s.contentOnlyBaseline = .trained
        let headless = try TrainingRun(data: TrainingFixture.data, settings: s)
        let expected = try headless.trainToEnd()

        let session = TrainingSession(data: TrainingFixture.data, settings: s)
        session.start()
        let end = session.wait(timeout: 60)
        XCTAssertEqual(end.state, .finished, "\(end.events.map(\.message))")
        let got = try XCTUnwrap(end.result, "a finished session publishes its result")

        XCTAssertEqual(got.steps, expected.steps)
        XCTAssertEqual(end.evaluations.map(\.step), headless.trainer.evaluations.map(\.step))
        XCTAssertEqual(try XCTUnwrap(got.best?.score), try XCTUnwrap(expected.best?.score), accuracy: 1e-12)
        XCTAssertEqual(got.best?.step, expected.best?.step)
        assertSame(got.test?.report, expected.test?.report, "test")
        XCTAssertEqual(Set(got.baselines.keys), Set(expected.baselines.keys))
        XCTAssertNotNil(got.baselines["content_only"], "the session trains the content-only baseline after the run")
        for (name, report) in expected.baselines { assertSame(got.baselines[name], report, name) }
        let curve = try XCTUnwrap(got.fewShot, "the session gets the few-shot curve too")
        let expectedCurve = try XCTUnwrap(expected.fewShot)
        XCTAssertEqual(curve.counts, expectedCurve.counts)
        XCTAssertNotNil(curve[0], "the fixture has few-shot users: the comparison is not vacuous")
        for k in curve.counts { assertSame(curve[k], expectedCurve[k], "few-shot \(k)") }
        XCTAssertNotNil(expected.test?.report["warm"], "the fixture's warm split has users: the comparison is not vacuous")
    }

    /// Scheduled validations are over the seeded `eval_users` sample (the same users each time);
    /// the final one is over every user, but its score — the one model selection compares —
    /// is the sample's, so it competes for best on equal terms.
    func testLiveValidationIsOverTheSampleAndTheFinalOneOverEveryUser() throws {
        var s = TrainingFixture.settings(epochs: 1)
        s.evalEvery = 40
        s.evalUsers = 25
        let run = try TrainingRun(data: TrainingFixture.data, settings: s)
        try run.trainToEnd()
        let evaluations = run.trainer.evaluations
        let scheduled = evaluations.dropLast(), final = try XCTUnwrap(evaluations.last)
        XCTAssertFalse(scheduled.isEmpty)
        let warm = EvaluationSplit.validation.first!.rawValue
        let full = TrainingFixture.data.evaluatedUserCount(EvaluationSplit.validation.first!)
        XCTAssertGreaterThan(full, 25, "the fixture's split is larger than the sample: the test is not vacuous")
        for e in scheduled {
            XCTAssertEqual(e.scope, .sample)
            XCTAssertEqual(e.report[warm]?.users, 25)
        }
        XCTAssertEqual(final.scope, .full)
        XCTAssertEqual(final.report[warm]?.users, full)
        XCTAssertEqual(final.scoreUsers, scheduled.last!.scoreUsers, "the score is over the sample in both")

        // The same weights scored both ways give the same selection score.
        let sample = run.trainer.evaluateValidation(scope: .sample)
        let every = run.trainer.evaluateValidation(scope: .full)
        XCTAssertEqual(try XCTUnwrap(sample.score), try XCTUnwrap(every.score), accuracy: 1e-12)
        XCTAssertNotEqual(sample.report[warm], every.report[warm], "the figures shown differ: over 25 users, over all")
    }

    /// Observers hear every step, every validation (scheduled and final), the best checkpoint
    /// and the end; the result names the checkpoint.
    func testObserversHearStepsEvaluationsTheBestCheckpointAndTheEnd() throws {
        var s = TrainingFixture.settings(epochs: 1)
        s.evalEvery = 40
        let run = try TrainingRun(data: TrainingFixture.data, settings: s)
        let log = RunLog()
        run.observers = [log]
        run.checkpoints = log
        let result = try run.trainToEnd()

        let steps = run.trainer.totalSteps
        XCTAssertEqual(log.steps, Array(1...steps))
        let scheduled = Array(stride(from: 40, through: steps, by: 40))
        XCTAssertEqual(log.evaluations, scheduled.last == steps ? scheduled : scheduled + [steps], "every 40 steps, then a final one")
        XCTAssertTrue(log.events.contains { $0.hasPrefix("validation at step \(steps) (final): mean recall@20") }, "\(log.events)")
        let best = try XCTUnwrap(result.best)
        XCTAssertEqual(log.checkpoints.map(\.step), [best.step], "one checkpoint: the best weights")
        XCTAssertEqual(log.checkpoints.first?.isBest, true)
        XCTAssertEqual(result.checkpoint, "checkpoint-\(best.step)")
        XCTAssertEqual(log.finished, [result])
        XCTAssertNotNil(result.test)
        XCTAssertNotNil(result.fewShot)
        XCTAssertEqual(result.samplesPerSecond ?? 0, Double(steps * s.batchSize) / run.trainer.trainingSeconds, accuracy: 1e-6)
    }

    /// Without a control, a non-finite weight ends the run with the fault that names it.
    func testANonFiniteWeightEndsAHeadlessRunWithItsFault() throws {
        let run = try TrainingRun(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 3))
        let log = RunLog()
        log.poisonAt = 5
        run.observers = [log]
        XCTAssertThrowsError(try run.trainToEnd()) { error in
            let fault = error as? NumericFault
            XCTAssertNotNil(fault, "\(error)")
            XCTAssertEqual(fault?.step, 5, "the first step after the poison")
        }
        XCTAssertEqual(log.failures, 1)
        XCTAssertNil(run.result)
        XCTAssertTrue(log.finished.isEmpty)
    }

    /// A stop ends the run there: tested only when `evaluateOnStop`, and without a test there is
    /// no best checkpoint to write.
    func testAStopTestsOnlyWhenAskedTo() throws {
        for evaluate in [false, true] {
            let run = try TrainingRun(data: TrainingFixture.data, settings: TrainingFixture.settings(epochs: 3))
            let log = RunLog()
            run.observers = [log]
            run.checkpoints = log
            run.evaluateOnStop = evaluate
            let control = StopAfter(steps: 60)
            let result = try XCTUnwrap(try run.train(control: control))
            XCTAssertTrue(result.stopped)
            XCTAssertEqual(result.steps, 60)
            XCTAssertEqual(result.test != nil, evaluate)
            XCTAssertEqual(result.checkpoint != nil, evaluate)
            XCTAssertEqual(log.finished.count, 1)
        }
    }

    private func assertSame(_ a: EvaluationReport?, _ b: EvaluationReport?, _ what: String, line: UInt = #line) {
        XCTAssertEqual(a?.order, b?.order, what, line: line)
        for split in b?.order ?? [] { assertSame(a?[split], b?[split], "\(what) \(split)", line: line) }
    }

    private func assertSame(_ a: SplitMetrics?, _ b: SplitMetrics?, _ what: String, line: UInt = #line) {
        XCTAssertEqual(a == nil, b == nil, what, line: line)
        guard let a, let b else { return }
        XCTAssertEqual(a.users, b.users, what, line: line)
        XCTAssertEqual(a.ks, b.ks, what, line: line)
        for (x, y) in zip(a.flat, b.flat) {
            XCTAssertEqual(x.0, y.0, what, line: line)
            // Equal up to the order of summing per-thread partial metrics.
            XCTAssertEqual(x.1, y.1, accuracy: 1e-12, "\(what) \(x.0)", line: line)
        }
    }
}

/// Everything a run tells its observers, and checkpoints that are only names.
private final class RunLog: TrainingRunObserver, CheckpointWriter {
    var steps: [Int] = []
    var evaluations: [Int] = []
    var events: [String] = []
    var failures = 0
    var checkpoints: [(step: Int, isBest: Bool)] = []
    var finished: [TrainingResult] = []
    /// After this step, a kernel weight becomes NaN.
    var poisonAt: Int?

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        steps.append(run.trainer.step)
        if run.trainer.step == poisonAt {
            run.trainer.model.item.mlp.parameters.first { $0.role == .kernel }!.value[0, 0] = .nan
        }
    }

    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) { evaluations.append(record.step) }
    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) { events.append(message) }
    func trainingRun(_ run: TrainingRun, didFail error: Error) { failures += 1 }
    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) { finished.append(result) }

    func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String {
        checkpoints.append((step, isBest))
        return "checkpoint-\(step)"
    }
}

/// A control that lets the run take `steps` steps, then stops it.
private final class StopAfter: TrainingRunControl {
    let steps: Int
    init(steps: Int) { self.steps = steps }
    func nextDecision(for run: TrainingRun) -> TrainingRunDecision { run.trainer.step < steps ? .proceed : .stop }
}
