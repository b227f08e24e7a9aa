import Foundation
import XCTest
@testable import DropoutNet
#if canImport(Glibc)
import Glibc
#endif

/// Faults on the write side: a runs directory that cannot be created, a store that fills up
/// mid-run, checkpoint files that cannot be written. The user is told, training goes on
/// unrecorded (or the command stops before training), and nothing already stored is damaged.
///
/// A full disk is simulated without root: SQLite's `max_page_count` caps the store's size (its
/// writes then fail with SQLITE_FULL, as on a full disk), and checkpoint files are written
/// through a descriptor of `/dev/full` (every write fails with ENOSPC).
final class WriteFaultTests: XCTestCase {
    private func tempDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writefault-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Creates the temp file where it belongs, then points its descriptor at `/dev/full`: the
    /// temp file exists, and every write to it fails as on a full disk.
    static let fullDisk = AtomicWriter(openTemp: { path in
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return fd }
        let full = open("/dev/full", O_WRONLY)
        guard full >= 0 else { close(fd); return -1 }
        dup2(full, fd)
        close(full)
        return fd
    })

    /// Stops the store from growing past its current size (as if the disk were full now).
    static func fill(_ store: RunStore) throws {
        try store.pool.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    /// Trains and records one complete run: the run a fault later must not damage.
    private func recordEarlierRun(in store: RunStore) throws -> (RunID, StoredRun) {
        let settings = TrainingFixture.settings(epochs: 1)
        let recording = try RunRecording(store: store, data: TrainingFixture.data, settings: settings, datasetPath: "fixture")
        let run = try TrainingRun(data: TrainingFixture.data, settings: settings)
        run.observers = [recording]
        run.checkpoints = recording
        _ = try run.trainToEnd()
        try recording.finish(status: .finished)
        return (recording.run, try StoredRun(store, recording.run))
    }

    // MARK: The runs directory

    func testARunsDirectoryThatCannotBeCreatedStopsBeforeTrainingNamingIt() throws {
        // A regular file where the runs directory's parent should be: not even root can create it.
        let dir = tempDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("not-a-directory")
        try Data("x".utf8).write(to: file)
        let runs = file.appendingPathComponent("runs")
        XCTAssertThrowsError(try RunStore(directory: runs)) { error in
            guard case .cannotOpen(let path, let reason)? = error as? RunStoreError else {
                return XCTFail("expected cannotOpen, got \(error)")
            }
            XCTAssertEqual(path, runs.appendingPathComponent(RunStore.fileName).path)
            XCTAssertTrue(reason.contains(runs.path), reason)
            XCTAssertTrue(reason.contains("Not a directory"), "the system's reason, not a generic one: \(reason)")
        }
    }

    // MARK: The store fills up mid-run

    func testAFullStoreStopsTheRecordingWhileTrainingGoesOnAndEarlierRunsStayIntact() throws {
        let dir = tempDirectory()
        let store = try RunStore(directory: dir)
        let (earlier, before) = try recordEarlierRun(in: store)

        let settings = TrainingFixture.settings(epochs: 2)
        // No timer flushes: the test flushes itself, so the fault comes at a known moment.
        let recording = try RunRecording(store: store, data: TrainingFixture.data, settings: settings,
                                         datasetPath: "fixture", flushInterval: 3600)
        let run = try TrainingRun(data: TrainingFixture.data, settings: settings)
        let filler = StoreFiller(store: store, recording: recording, fullFrom: 20)
        let heard = Heard()
        run.observers = [filler, recording, heard]
        run.checkpoints = recording
        let result = try run.trainToEnd()

        let faultStep = try XCTUnwrap(filler.faultStep, "the store never reported being full")
        XCTAssertLessThan(faultStep, result.steps, "the fault should come mid-run")
        XCTAssertEqual(result.steps, run.trainer.totalSteps, "training goes on to its end")
        XCTAssertNotNil(result.test, "and is tested")
        XCTAssertNotNil(result.checkpoint, "checkpoint files are not in the store: the best one is written")
        XCTAssertEqual(heard.stoppedRecording.count, 1, "told once")
        XCTAssertTrue(heard.stoppedRecording[0].contains("database or disk is full"), heard.stoppedRecording[0])
        let warning = try XCTUnwrap(heard.warnings.first { $0.contains("no longer recorded") })
        XCTAssertTrue(warning.contains("training continues without recording"), warning)
        XCTAssertThrowsError(try recording.finish(status: .finished)) { error in
            XCTAssertTrue(error is RecordingFault, "\(error)")
        }

        // Reopened from disk: intact, the earlier run exactly as it was, the faulted run's curve
        // a gap-free prefix of its steps.
        let reopened = try RunStore(directory: dir, create: false)
        try reopened.read { db in XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok") }
        XCTAssertEqual(try StoredRun(reopened, earlier), before)
        let steps = try reopened.lossSeries(recording.run).map(\.step)
        XCTAssertFalse(steps.isEmpty, "the losses written before the fault are kept")
        XCTAssertEqual(steps, Array(1..<(steps.count + 1)))
        XCTAssertGreaterThanOrEqual(steps.count, 19, "every step before the store filled up")
        XCTAssertLessThan(steps.count, faultStep)
        XCTAssertEqual(try reopened.checkpoints(recording.run), [], "the best checkpoint came after the fault")
    }

    /// The workbench's session: the snapshot says the run is no longer recorded, and it trains on.
    func testTheSessionSnapshotSaysWhenTheRunIsNoLongerRecorded() throws {
        let dir = tempDirectory()
        let store = try RunStore(directory: dir)
        let (earlier, before) = try recordEarlierRun(in: store)
        let settings = TrainingFixture.settings(epochs: 3)
        let session = TrainingSession(data: TrainingFixture.data, settings: settings)
        session.evaluateOnStop = false
        defer { session.stop(); session.wait(timeout: 10) }
        let recorder = try SessionRecorder(store: store, data: session.data, settings: settings, datasetPath: "fixture", flushInterval: 0.01)
        recorder.attach(to: session)
        try Self.fill(store)
        session.start()

        let faulted = try XCTUnwrap(session.wait(timeout: 60) { $0.recordingFault != nil || $0.state == .finished })
        let reason = try XCTUnwrap(faulted.recordingFault, "the run finished without the store filling up")
        XCTAssertTrue(reason.contains("database or disk is full"), reason)
        XCTAssertTrue(faulted.lastError?.contains("training continues without recording") ?? false, "\(faulted.lastError ?? "no error")")
        XCTAssertNotNil(session.wait(timeout: 60) { $0.step > faulted.step || $0.state == .finished }, "training goes on")
        XCTAssertThrowsError(try recorder.close(session))
        XCTAssertEqual(try StoredRun(store, earlier), before)
    }

    // MARK: Checkpoint files

    func testAFailedWriteLeavesTheOldFileAndNoTempFile() throws {
        let dir = tempDirectory()
        let url = dir.appendingPathComponent("model.dnckpt")
        try AtomicWriter.write("old contents", to: url)
        XCTAssertThrowsError(try Self.fullDisk.write(Data(repeating: 7, count: 1 << 16), to: url)) { error in
            let e = error as? AtomicWriteError
            XCTAssertEqual(e?.path, url.path)
            XCTAssertEqual(e?.reason, String(cString: strerror(ENOSPC)), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old contents")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.dnckpt"], "the temp file is removed")
    }

    func testACheckpointThatCannotBeWrittenIsLoggedAndTheRunStillReportsItsResult() throws {
        let dir = tempDirectory()
        let store = try RunStore(directory: dir)
        let settings = TrainingFixture.settings(epochs: 1)
        let recording = try RunRecording(store: store, data: TrainingFixture.data, settings: settings,
                                         datasetPath: "fixture", flushInterval: 0.05)
        let run = try TrainingRun(data: TrainingFixture.data, settings: settings)
        let heard = Heard()
        let saver = CheckpointSaver(recording: recording, atStep: 30)
        run.observers = [recording, heard, saver]
        run.checkpoints = recording

        XCTAssertThrowsError(try run.trainToEnd(), "the best checkpoint could not be written") { error in
            XCTAssertTrue("\(error)".contains(String(cString: strerror(ENOSPC))), "\(error)")
        }
        let result = try XCTUnwrap(run.result, "a tested run keeps its result")
        XCTAssertEqual(result.steps, run.trainer.totalSteps)
        XCTAssertNotNil(result.test)
        XCTAssertNil(result.checkpoint)
        XCTAssertEqual(saver.paths.count, 2, "the checkpoint at step 30 was asked for twice")
        XCTAssertNotNil(saver.paths[0])
        XCTAssertNil(saver.paths[1], "the second write failed")
        XCTAssertTrue(heard.errors.contains { $0.hasPrefix("checkpoint failed:") && $0.contains(String(cString: strerror(ENOSPC))) },
                      "\(heard.errors)")

        // The file of the first write is intact, and no temp file is left beside it.
        let url = try XCTUnwrap(saver.paths[0].map(URL.init(fileURLWithPath:)))
        XCTAssertEqual(try Checkpoint.read(from: url).header.step, 30)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), [url.lastPathComponent])
        try recording.finish(status: .failed)
        XCTAssertEqual(try store.checkpoints(recording.run).map(\.step), [30], "only the checkpoint that was written is listed")
    }
}

/// What a test compares of a stored run before and after a fault.
private struct StoredRun: Equatable {
    var record: RunRecord?
    var losses: [LossPoint]
    var evals: [EvalPoint]
    var checkpoints: [CheckpointRecord]
    var baselines: Int

    init(_ store: RunStore, _ run: RunID) throws {
        record = try store.run(run)
        losses = try store.lossSeries(run)
        evals = try store.evalSeries(run)
        checkpoints = try store.checkpoints(run)
        baselines = try store.baselines(run).count
    }
}

/// Flushes the recording after every step; from step `fullFrom` on, the store cannot grow, and
/// the flushes go on until the recording reports the fault.
private final class StoreFiller: TrainingRunObserver {
    let store: RunStore
    let recording: RunRecording
    let fullFrom: Int
    var faultStep: Int?

    init(store: RunStore, recording: RunRecording, fullFrom: Int) {
        self.store = store; self.recording = recording; self.fullFrom = fullFrom
    }

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        let step = run.trainer.step
        guard faultStep == nil else { return }
        if step == fullFrom { try! WriteFaultTests.fill(store) }
        // This step's loss is recorded after this observer: flush what came before it.
        if (try? recording.recorder.flush()) == nil { faultStep = step }
    }
}

/// At `atStep`, writes a checkpoint, then the same one again on a full disk.
private final class CheckpointSaver: TrainingRunObserver {
    let recording: RunRecording
    let atStep: Int
    var paths: [String?] = []

    init(recording: RunRecording, atStep: Int) { self.recording = recording; self.atStep = atStep }

    func trainingRun(_ run: TrainingRun, didStep loss: LossBreakdown) {
        guard run.trainer.step == atStep else { return }
        paths.append(run.saveCheckpoint())
        recording.fileWriter = WriteFaultTests.fullDisk
        paths.append(run.saveCheckpoint())
    }
}

/// Everything a run said.
private final class Heard: TrainingRunObserver {
    var warnings: [String] = []
    var errors: [String] = []
    var stoppedRecording: [String] = []

    func trainingRun(_ run: TrainingRun, didLog level: TrainingEvent.Level, _ message: String) {
        if level == .warning { warnings.append(message) }
        if level == .error { errors.append(message) }
    }

    func trainingRun(_ run: TrainingRun, didStopRecording reason: String) { stoppedRecording.append(reason) }
}
