import XCTest
@testable import DropoutNet
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at many moments while a process records a run and writes checkpoints: the store
/// must open, pass SQLite's integrity check, hold gap-free loss series, and every checkpoint it
/// lists must load. The writer is this test binary itself, re-launched on this same test with
/// `DROPOUTNET_CRASH_CHILD_DIR` set: then the test is the child (it writes until it is killed),
/// so there is no second, separately listed test that would have to skip in a normal run.
final class CrashSafetyTests: XCTestCase {
    static let childDirKey = "DROPOUTNET_CRASH_CHILD_DIR"
    /// Seconds between the child's first flushed loss and the kill, one per child: spread over
    /// its recording, flushes and checkpoint writes (a checkpoint every 50 steps of ≥ 1 ms).
    static let killDelays: [Double] = [0.0, 0.03, 0.08, 0.15, 0.25, 0.35, 0.5, 0.7]

    func testKilledWritersNeverCorruptTheStoreOrACheckpoint() throws {
        if let dir = ProcessInfo.processInfo.environment[Self.childDirKey] {
            return try Self.writeUntilKilled(into: URL(fileURLWithPath: dir))
        }
        #if os(Linux)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        XCTAssertTrue(binary.lastPathComponent.hasSuffix(".xctest"),
                      "the test re-launches its own xctest runner binary, got \(binary.lastPathComponent)")
        for (child, delay) in Self.killDelays.enumerated() {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["DropoutNetTests.CrashSafetyTests/testKilledWritersNeverCorruptTheStoreOrACheckpoint"]
            p.environment = ProcessInfo.processInfo.environment.merging([Self.childDirKey: dir.path]) { $1 }
            // The child's own output goes to a file, so a child that fails says why.
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("crash-child-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: log) }
            let logHandle = try FileHandle(forWritingTo: log)
            defer { try? logHandle.close() }
            p.standardOutput = logHandle
            p.standardError = logHandle
            try p.run()
            // Ready: the child's run is in the store with a flushed loss, so it is mid-recording.
            let recording = Self.waitUntilRecording(dir, child: p)
            if !recording {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                XCTFail("child \(child) never recorded a loss; its output ends:\n\(text.suffix(2000))")
            }
            usleep(UInt32(delay * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the child must die by the signal, not finish")
        }

        let store = try RunStore(directory: dir, create: false)
        try store.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
        }
        let runs = try store.listRuns()
        XCTAssertEqual(runs.count, Self.killDelays.count)
        var loaded = 0
        for run in runs {
            XCTAssertEqual(run.status, .interrupted, "a killed run's writer is gone: it reads as interrupted")
            let steps = try store.lossSeries(run.id).map(\.step)
            XCTAssertEqual(steps, Array(0..<steps.count), "each flush is all-or-nothing")
            for c in try store.checkpoints(run.id) {
                let checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: c.path))
                XCTAssertEqual(checkpoint.header.step, c.step)
                XCTAssertEqual(checkpoint.header.run, run.id)
                loaded += 1
            }
        }
        XCTAssertGreaterThan(loaded, 0, "the children should have finished some checkpoints")
        #else
        throw XCTSkip("the re-launch of the test binary is implemented for Linux's xctest runner")
        #endif
    }

    /// Polls the store until the child's own run (the one its pid writes) has a flushed loss;
    /// false when the child exits first or nothing comes within 30 s. Keyed to the pid, not to
    /// a count of runs, so one child that fails to start does not fail every later one.
    static func waitUntilRecording(_ dir: URL, child: Process) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while child.isRunning && Date() < deadline {
            if let store = try? RunStore(directory: dir, create: false),
               let losses = try? store.read({ db in
                   try Int.fetchOne(db, sql: """
                       SELECT COUNT(*) FROM losses WHERE run IN (SELECT id FROM runs WHERE writer_pid = ?)
                       """, arguments: [Int(child.processIdentifier)])
               }), (losses ?? 0) > 0 {
                return true
            }
            usleep(10_000)
        }
        return false
    }

    /// The child: records a run as fast as a small model trains until it is killed.
    static func writeUntilKilled(into dir: URL) throws {
        let store = try RunStore(directory: dir)
        let run = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
        let recorder = store.recorder(for: run, flushInterval: 0.05)
        let weights = (0..<262_144).map { Float($0 % 977) * 0.001 }  // 1 MiB: a write takes a while
        // 20 s is far beyond any kill delay; it only bounds a child the parent failed to kill
        // (and the 1 MiB checkpoints such a child would otherwise keep writing).
        let deadline = Date().addingTimeInterval(20)
        var step = 0
        while Date() < deadline {
            recorder.recordLoss(step: step, total: 1 / Double(step + 1), parts: ["svsoftmax": 1])
            if step % 20 == 0 { recorder.recordEval(step: step, split: "warm", metrics: ["recall@20": 0.1]) }
            if step % 50 == 49 && step < 2_000 {
                var c = Checkpoint(header: CheckpointHeader(settings: Settings(), dataset: RunStoreTests.dataset,
                                                            split: RunStoreTests.split, step: step, run: run))
                c.setTensor("w", shape: [512, 512], values: weights)
                let url = store.checkpointURL(run: run, step: step)
                try c.write(to: url)
                recorder.recordCheckpoint(step: step, path: url.path, isBest: true)
            }
            step += 1
            usleep(1_000)
        }
    }
}
