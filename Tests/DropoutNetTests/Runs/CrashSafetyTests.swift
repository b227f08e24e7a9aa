import XCTest
@testable import DropoutNet
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at random moments while a process records a run and writes checkpoints: the store
/// must open, pass SQLite's integrity check, hold gap-free loss series, and every checkpoint it
/// lists must load. The writer is this test binary itself, re-launched on `testChildWriter`.
final class CrashSafetyTests: XCTestCase {
    static let childDirKey = "DROPOUTNET_CRASH_CHILD_DIR"

    func testKilledWritersNeverCorruptTheStoreOrACheckpoint() throws {
        #if os(Linux)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        guard binary.lastPathComponent.hasSuffix(".xctest") else {
            throw XCTSkip("needs the xctest runner binary to re-launch itself (got \(binary.lastPathComponent))")
        }
        var rng = SystemRandomNumberGenerator()
        let kills = 8
        for _ in 0..<kills {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["DropoutNetTests.CrashSafetyTests/testChildWriter"]
            p.environment = ProcessInfo.processInfo.environment.merging([Self.childDirKey: dir.path]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait until the child has started writing, then kill it at a random moment.
            let started = Date()
            while !FileManager.default.fileExists(atPath: dir.appendingPathComponent(RunStore.fileName).path),
                  Date().timeIntervalSince(started) < 10 { usleep(10_000) }
            usleep(UInt32.random(in: 150_000...900_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the child must die by the signal, not finish")
        }

        let store = try RunStore(directory: dir, create: false)
        try store.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
        }
        let runs = try store.listRuns()
        XCTAssertEqual(runs.count, kills)
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

    /// The child side: records a run as fast as a small model trains until it is killed.
    func testChildWriter() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childDirKey] else {
            throw XCTSkip("runs only as the child of testKilledWritersNeverCorruptTheStoreOrACheckpoint")
        }
        let store = try RunStore(directory: URL(fileURLWithPath: path))
        let run = try store.createRun(settings: Settings(), dataset: RunStoreTests.dataset, split: RunStoreTests.split)
        let recorder = store.recorder(for: run, flushInterval: 0.05)
        let weights = (0..<262_144).map { Float($0 % 977) * 0.001 }  // 1 MiB: a write takes a while
        let deadline = Date().addingTimeInterval(30)
        var step = 0
        while Date() < deadline {
            recorder.recordLoss(step: step, total: 1 / Double(step + 1), parts: ["svsoftmax": 1])
            if step % 20 == 0 { recorder.recordEval(step: step, split: "warm", metrics: ["recall@20": 0.1]) }
            if step % 50 == 49 {
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
