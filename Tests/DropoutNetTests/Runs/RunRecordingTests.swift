import Foundation
import NeuralNet
import Numerics
import XCTest
@testable import DropoutNet

/// A session attached to a `RunRecording` (what the TUI does): losses, live changes and a
/// checkpoint requested mid-run land in the store, and the checkpoint rebuilds the same model.
final class RunRecordingTests: XCTestCase {
    func testSessionRecordsLossesChangesAndALoadableCheckpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runrecording-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RunStore(directory: dir)
        let data = TrainingFixture.data
        let session = TrainingSession(data: data, settings: TrainingFixture.settings(epochs: 50))
        session.evaluateOnStop = false
        let recording = try RunRecording(store: store, data: data, settings: TrainingFixture.settings(epochs: 50),
                                         datasetPath: "fixture", flushInterval: 0.05)
        recording.attach(to: session)
        session.start()
        defer { session.stop(); session.wait(timeout: 10) }
        XCTAssertNotNil(session.wait(timeout: 10) { $0.step >= 3 })
        try session.update(key: "item_dropout", value: "0.7")
        XCTAssertNotNil(session.wait(timeout: 10) { $0.settingChanges.count == 1 })
        session.pause()
        XCTAssertNotNil(session.wait(timeout: 10) { $0.state == .paused })
        session.requestCheckpoint()
        let saved = try XCTUnwrap(session.wait(timeout: 10) { $0.events.contains { $0.message.hasPrefix("checkpoint at step") } })
        let message = try XCTUnwrap(saved.events.last { $0.message.hasPrefix("checkpoint at step") }?.message)
        let path = String(try XCTUnwrap(message.split(separator: ":", maxSplits: 1).last)).trimmingCharacters(in: .whitespaces)

        // The rebuilt model embeds users exactly as the paused trainer's evaluations do: with the
        // moving average of its weights (`weight_average`), not the last step's.
        let c = try Checkpoint.read(from: URL(fileURLWithPath: path))
        let rebuilt = try ModelCheckpoint.model(from: c, data: data, file: path)
        let done = expectation(description: "compare")
        var same = false, sameAsRaw = true
        session.perform { t in
            let saved = rebuilt.embedAllUsers().toArray()
            same = t.withAveragedWeights { t.model.embedAllUsers().toArray() } == saved
            sameAsRaw = t.model.embedAllUsers().toArray() == saved
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        XCTAssertTrue(same, "the checkpoint must hold the weights (and BN statistics) of the step it names")
        XCTAssertFalse(sameAsRaw, "the averaged weights, not the last step's")
        XCTAssertEqual(try ModelCheckpoint.split(of: c, file: path), data.split)

        session.stop()
        session.wait(timeout: 10)
        try recording.finish(status: .stopped)
        XCTAssertGreaterThanOrEqual(try store.lossSeries(recording.run).count, 3)
        XCTAssertEqual(try store.settingChanges(recording.run).map(\.key), ["item_dropout"])
        XCTAssertEqual(try store.checkpoints(recording.run).map(\.path), [path])
        XCTAssertEqual(try store.run(recording.run)?.status, .stopped)
    }
}

/// Throughput is recorded when a run ends, and stores from before it (schema v2) still open.
final class RunThroughputTests: XCTestCase {
    func testHeadlessRecordingStoresStepsSecondsAndSamplesPerSecond() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runthroughput-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RunStore(directory: dir)
        let settings = TrainingFixture.settings(epochs: 1)
        let trainer = try Trainer(data: TrainingFixture.data, settings: settings)
        let recording = try RunRecording(store: store, data: TrainingFixture.data, settings: settings, datasetPath: "fixture")
        for _ in 0..<5 { recording.stepDone(trainer, try trainer.trainStep()) }
        XCTAssertNil(try store.run(recording.run)?.throughput, "nothing before the run ends")
        try recording.finish(status: .finished)
        let t = try XCTUnwrap(try store.run(recording.run)?.throughput)
        XCTAssertEqual(t.steps, 5)
        XCTAssertEqual(t.trainingSeconds, trainer.trainingSeconds, accuracy: 1e-9)
        XCTAssertEqual(t.samplesPerSecond, Double(5 * trainer.batchSize) / trainer.trainingSeconds, accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(t.wallSeconds, t.trainingSeconds * 0.999)
    }

    func testAStoreWithoutTheThroughputColumnsIsMigratedAndStillReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runthroughput-old-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let id: RunID
        do {
            // Make a current store look like one written before v3: no columns, migration not applied.
            let store = try RunStore(directory: dir)
            id = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
            try store.write { db in
                for column in ["train_steps", "train_seconds", "samples_per_s", "wall_seconds"] {
                    try db.execute(sql: "ALTER TABLE runs DROP COLUMN \(column)")
                }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-throughput'")
            }
        }
        let reopened = try RunStore(directory: dir)
        let run = try XCTUnwrap(try reopened.run(id))
        XCTAssertNil(run.throughput)
        XCTAssertEqual(try reopened.listRuns().map(\.id), [id])
    }
}
