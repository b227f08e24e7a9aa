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

        // The rebuilt model embeds users exactly as the paused trainer does.
        let c = try Checkpoint.read(from: URL(fileURLWithPath: path))
        let rebuilt = try ModelCheckpoint.model(from: c, data: data, file: path)
        let done = expectation(description: "compare")
        var same = false
        session.perform { t in
            same = t.model.embedAllUsers().toArray() == rebuilt.embedAllUsers().toArray()
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        XCTAssertTrue(same, "the checkpoint must hold the weights (and BN statistics) of the step it names")
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
