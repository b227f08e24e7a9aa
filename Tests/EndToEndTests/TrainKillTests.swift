import XCTest
import Foundation

/// Issue 4's crash-safety promise on the real program: `dropoutnet train` killed with SIGKILL at
/// different moments of training, again and again into one runs directory, leaves a store that
/// opens and lists every run, and every checkpoint a finished run recorded still loads and
/// evaluates.
final class TrainKillTests: XCTestCase {
    /// Seconds between a run's first recorded loss and its kill, one round each.
    static let killDelays: [Double] = [0.0, 0.05, 0.15, 0.3, 0.5, 0.7]

    /// Polls `runs list` until it shows `runCount` runs, one of them running with a recorded
    /// loss (false when the process exits first or nothing comes within 60 s).
    static func waitUntilRecording(_ runs: URL, runCount: Int, while process: Process) throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            let list = try CLI.run(["runs", "list", "--runs", runs.path, "--json"])
            if list.status == 0, let rows = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]],
               rows.count == runCount,
               rows.contains(where: { $0["status"] as? String == "running" && $0["last_step"] as? Int != nil }) {
                return true
            }
            usleep(50_000)
        }
        return false
    }

    func testKilledTrainingNeverCorruptsTheStoreOrACheckpoint() throws {
        #if !os(Linux)
        throw XCTSkip("kill test runs on Linux only")
        #else
        let sample = try CLI.sampleData()
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: runs) }

        // One run that finishes, so there is a checkpoint to protect.
        let done = try CLI.run(["train", "--data", sample.path, "--epochs", "1", "--quiet", "--json", "--runs", runs.path,
                                "--set", "baselines.content_only=off"])
        XCTAssertEqual(done.status, 0, done.stderr)

        for (round, delay) in Self.killDelays.enumerated() {
            let p = Process()
            p.executableURL = CLI.executable
            // Stats preference: no WMF fit before training starts (the store is under test, not the model).
            p.arguments = ["train", "--data", sample.path, "--epochs", "3", "--quiet", "--runs", runs.path,
                           "--set", "eval_every=20", "--set", "preference=stats"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            try p.run()
            // Ready: this run is listed with a flushed loss, so the process is past loading and
            // recording; the delay then puts the kill at a different point of training, metric
            // flushes and evaluations each round.
            XCTAssertTrue(try Self.waitUntilRecording(runs, runCount: round + 2, while: p), "round \(round): no loss recorded")
            usleep(UInt32(delay * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "round \(round): train ended before it was killed")
        }
        let kills = Self.killDelays.count

        let list = try CLI.run(["runs", "list", "--runs", runs.path, "--json"])
        XCTAssertEqual(list.status, 0, "the store must open after \(kills) kills: \(list.stderr)")
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8))
        let runCount = (listed as? [Any])?.count ?? ((listed as? [String: Any])?["runs"] as? [Any])?.count ?? -1
        XCTAssertEqual(runCount, kills + 1, "every started run is listed: \(list.stdout.prefix(400))")
        let rows = (listed as? [[String: Any]]) ?? ((listed as? [String: Any])?["runs"] as? [[String: Any]]) ?? []
        let statuses = rows.compactMap { $0["status"] as? String }.sorted()
        XCTAssertEqual(statuses, ["finished"] + Array(repeating: "interrupted", count: kills),
                       "killed runs read as interrupted, not running")

        let checkpoints = (FileManager.default.enumerator(at: runs, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "dnckpt" }) ?? []
        XCTAssertFalse(checkpoints.isEmpty, "the finished run wrote a checkpoint")
        for checkpoint in checkpoints {
            let eval = try CLI.run(["eval", "--checkpoint", checkpoint.path, "--json", "--quiet"])
            XCTAssertEqual(eval.status, 0, "\(checkpoint.lastPathComponent) must load: \(eval.stderr)")
        }
        #endif
    }
}
