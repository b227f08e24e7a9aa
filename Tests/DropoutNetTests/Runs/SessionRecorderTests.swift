import Foundation
import XCTest
@testable import DropoutNet

/// A restart (the workbench's `r`) never takes anything from the run it replaces: a run that
/// trained to its end stays `finished` with its best checkpoint and test metrics, also when its
/// content-only baseline was still training or its test was still running at the restart.
final class SessionRecorderTests: XCTestCase {
    private func makeStore() throws -> (RunStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sessionrecorder-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return (try RunStore(directory: dir), dir)
    }

    private func assertKeptFinished(_ store: RunStore, _ run: RunID, file: StaticString = #filePath, line: UInt = #line) throws {
        let record = try XCTUnwrap(try store.run(run), file: file, line: line)
        XCTAssertEqual(record.status, .finished, file: file, line: line)
        let best = try XCTUnwrap(try store.checkpoints(run).first { $0.isBest }, "no best checkpoint recorded", file: file, line: line)
        XCTAssertTrue(FileManager.default.fileExists(atPath: best.path), "the best checkpoint file is missing", file: file, line: line)
        let testSplits = Set(try store.evalSeries(run).map(\.split).filter { !$0.hasPrefix("validation") })
        XCTAssertFalse(testSplits.isEmpty, "no test metrics recorded", file: file, line: line)
        XCTAssertFalse(try store.baselines(run).isEmpty, "no baselines recorded", file: file, line: line)
    }

    func testRestartAfterTheRunFinishedKeepsItFinished() throws {
        let (store, _) = try makeStore()
        var settings = TrainingFixture.settings(epochs: 1)
        settings.contentOnlyBaseline = .trained            // still training when `r` comes
        let session = TrainingSession(data: TrainingFixture.data, settings: settings)
        session.evaluateOnStop = false
        defer { session.stop(); session.wait(timeout: 10) }
        let recorder = try SessionRecorder(store: store, data: session.data, settings: settings, datasetPath: "fixture", flushInterval: 0.05)
        recorder.attach(to: session)
        let first = recorder.current.run
        session.start()
        let done = try XCTUnwrap(session.wait(timeout: 30) { $0.state == .finished }, "the run did not finish")
        XCTAssertNotNil(done.result?.checkpoint)

        let second = try recorder.restart(session, with: settings)
        XCTAssertNotNil(session.wait(timeout: 30) { $0.state == .running && $0.step >= 3 }, "the new run did not train")
        try recorder.close(session)

        try assertKeptFinished(store, first)
        XCTAssertEqual(try store.run(second)?.status, .stopped)
        XCTAssertEqual(recorder.abandoned, [first])
    }

    /// The same with the run's thread long gone (no baseline to train after it).
    func testRestartAfterTheRunsThreadEndedKeepsItFinished() throws {
        let (store, _) = try makeStore()
        let settings = TrainingFixture.settings(epochs: 1)
        let session = TrainingSession(data: TrainingFixture.data, settings: settings)
        session.evaluateOnStop = false
        defer { session.stop(); session.wait(timeout: 10) }
        let recorder = try SessionRecorder(store: store, data: session.data, settings: settings, datasetPath: "fixture", flushInterval: 0.05)
        recorder.attach(to: session)
        let first = recorder.current.run
        session.start()
        XCTAssertEqual(session.wait(timeout: 30).state, .finished)
        try recorder.restart(session, with: settings)
        XCTAssertNotNil(session.wait(timeout: 30) { $0.state == .running && $0.step >= 3 }, "the new run did not train: \(session.snapshot.state)")
        try recorder.close(session)
        try assertKeptFinished(store, first)
    }

    /// `r` pressed while the last step's test runs (the progress bar is full, the state still
    /// "running"): the run finishes its test and checkpoint and is kept as finished.
    func testRestartWhileTheRunIsBeingTestedKeepsItFinished() throws {
        let (store, _) = try makeStore()
        let settings = TrainingFixture.settings(epochs: 1)
        let session = TrainingSession(data: TrainingFixture.data, settings: settings)
        session.evaluateOnStop = false
        defer { session.stop(); session.wait(timeout: 10) }
        let recorder = try SessionRecorder(store: store, data: session.data, settings: settings, datasetPath: "fixture", flushInterval: 0.05)
        let gate = RestartAtTheFinalEvaluation(recorder: recorder, session: session, settings: settings)
        recorder.attach(to: session)
        session.observer = RecordingAndGate(recording: recorder.current, gate: gate)
        let first = recorder.current.run
        session.start()
        XCTAssertNotNil(session.wait(timeout: 30) { _ in gate.restarted != nil }, "the final evaluation never came")
        XCTAssertNotNil(session.wait(timeout: 30) { $0.state == .running && $0.step >= 3 }, "the new run did not train")
        try recorder.close(session)
        try assertKeptFinished(store, first)
    }
}

/// Restarts the session from inside the run's final validation evaluation (on the trainer
/// thread, as if `r` came in from the UI at that moment), then lets the run carry on.
private final class RestartAtTheFinalEvaluation: @unchecked Sendable {
    let recorder: SessionRecorder
    let session: TrainingSession
    let settings: Settings
    private let lock = NSLock()
    private var _restarted: RunID?
    var restarted: RunID? { lock.lock(); defer { lock.unlock() }; return _restarted }

    init(recorder: SessionRecorder, session: TrainingSession, settings: Settings) {
        self.recorder = recorder; self.session = session; self.settings = settings
    }

    func evaluated(_ run: TrainingRun) {
        guard run.trainer.isFinished, restarted == nil else { return }
        // The UI thread restarts; this (trainer) thread waits until it has, then finishes the run.
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let id = try? self.recorder.restart(self.session, with: self.settings)
            self.lock.lock(); self._restarted = id; self.lock.unlock()
            done.signal()
        }
        done.wait()
    }
}

private final class RecordingAndGate: TrainingRunObserver, CheckpointWriter {
    let recording: RunRecording
    let gate: RestartAtTheFinalEvaluation
    init(recording: RunRecording, gate: RestartAtTheFinalEvaluation) { self.recording = recording; self.gate = gate }
    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) { recording.trainingRun(run, didStep: loss) }
    func trainingRun(_ run: TrainingRun, didEvaluate record: EvaluationRecord) {
        recording.trainingRun(run, didEvaluate: record)
        gate.evaluated(run)
    }
    func trainingRun(_ run: TrainingRun, didFinish result: TrainingResult) { recording.trainingRun(run, didFinish: result) }
    func trainingRun(_ run: TrainingRun, didAddBaseline name: String, result: TrainingResult) {
        recording.trainingRun(run, didAddBaseline: name, result: result)
    }
    func writeCheckpoint(of trainer: Trainer, step: Int, isBest: Bool, metrics: [String: Double]) throws -> String {
        try recording.writeCheckpoint(of: trainer, step: step, isBest: isBest, metrics: metrics)
    }
}
