import XCTest
import Foundation

/// Issue 4's crash-safety promise on the real program: `dropoutnet train` killed with SIGKILL at
/// random moments, again and again into one runs directory, leaves a store that opens and lists
/// every run, and every checkpoint a finished run recorded still loads and evaluates.
final class TrainKillTests: XCTestCase {
    func testKilledTrainingNeverCorruptsTheStoreOrACheckpoint() throws {
        #if !os(Linux)
        throw XCTSkip("kill test runs on Linux only")
        #else
        let sample = CLI.packageRoot.appendingPathComponent("sample-data")
        guard FileManager.default.fileExists(atPath: sample.appendingPathComponent("interactions.csv").path) else {
            throw XCTSkip("sample-data/ is not present")
        }
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: runs) }

        // One run that finishes, so there is a checkpoint to protect.
        let done = try CLI.run(["train", "--data", sample.path, "--epochs", "1", "--quiet", "--json", "--runs", runs.path,
                                "--set", "baselines.content_only=off"])
        XCTAssertEqual(done.status, 0, done.stderr)

        var rng = SystemRandomNumberGenerator()
        let kills = 6
        for round in 0..<kills {
            let p = Process()
            p.executableURL = CLI.executable
            p.arguments = ["train", "--data", sample.path, "--epochs", "3", "--quiet", "--runs", runs.path,
                           "--set", "eval_every=20"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            try p.run()
            // Anywhere from loading the data to the middle of training and metric flushes.
            usleep(UInt32.random(in: 300_000...2_500_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "round \(round): train ended before it was killed")
        }

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
