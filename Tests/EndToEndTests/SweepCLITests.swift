import XCTest
import Foundation

/// `dropoutnet sweep` on the real program: killed with SIGKILL in the middle of a trial and run
/// again, it keeps the trials that ended, trains the interrupted one again, and lists every
/// trial exactly once; a bad sweep file exits 2 naming its line.
final class SweepCLITests: XCTestCase {
    static let sweepFile = """
        searcher = "tpe"
        seed = 2
        parallel = 1
        [budget]
        trials = 3
        [asha]
        min_steps = 300
        reduction_factor = 2
        [tpe]
        startup = 2
        [base]
        epochs = 30
        eval_every = 100
        eval_budget = 0
        batch_size = 128
        embedding_dim = 16
        user_tower = [32, 16]
        item_tower = [32, 16]
        content_dnn = [16]
        preference_dnn = [8]
        preference = "stats"
        [parameters]
        item_dropout = { low = 0.0, high = 1.0 }
        lr = { low = 1e-4, high = 1e-2, log = true }
        loss = { choices = ["svsoftmax", "pairwise"] }
        """

    /// Trials recorded so far (`runs list` rows).
    static func runRows(_ runs: URL) throws -> [[String: Any]] {
        let list = try CLI.run(["runs", "list", "--runs", runs.path, "--json"])
        guard list.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) else { return [] }
        return (object as? [[String: Any]]) ?? ((object as? [String: Any])?["runs"] as? [[String: Any]]) ?? []
    }

    func testAKilledSweepResumesWithEveryTrialOnce() throws {
        #if !os(Linux)
        throw XCTSkip("kill test runs on Linux only")
        #else
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("data"), runs = dir.appendingPathComponent("runs")
        let config = dir.appendingPathComponent("sweep.toml")
        try Self.sweepFile.write(to: config, atomically: true, encoding: .utf8)
        let gen = try CLI.run(["data", "generate", "--out", data.path, "--users", "300", "--items", "200", "--interactions", "6000"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let args = ["sweep", "--config", config.path, "--data", data.path, "--runs", runs.path, "--no-cache"]

        let p = Process()
        p.executableURL = CLI.executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = CLI.cacheHome
        p.environment = env
        let errPipe = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errPipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Kill as soon as the second trial has started (its run is created before the line is
        // printed): trial 1 has ended, trial 2 has hundreds of steps to go.
        var progress = ""
        while !progress.contains("trial 2/3 started") {
            let chunk = errPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            progress += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(progress.contains("trial 2/3 started"), "the sweep never reached its second trial: \(progress)")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the sweep ended before it was killed")

        let again = try CLI.run(args + ["--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("trial 2 was interrupted"), again.stderr)
        XCTAssertTrue(again.stderr.contains("1 trial kept"), again.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let trials = try XCTUnwrap(report["trials"] as? [[String: Any]])
        XCTAssertEqual(trials.compactMap { $0["trial"] as? Int }, [1, 2, 3])
        XCTAssertEqual((report["leaderboard"] as? [Int])?.sorted(), [1, 2, 3])
        XCTAssertTrue(trials.allSatisfy { ["finished", "pruned"].contains($0["status"] as? String ?? "") }, "\(trials)")
        XCTAssertEqual(Set(trials.compactMap { $0["run"] as? String }).count, 3)
        for key in ["sweep", "objective", "best", "pareto_front", "importance", "parameters", "asha", "seconds"] {
            XCTAssertNotNil(report[key], "--json has \(key)")
        }
        // Four runs: three trials and the killed one, kept as stopped.
        let rows = try Self.runRows(runs)
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows.filter { $0["status"] as? String == "stopped" }.count,
                       trials.filter { $0["status"] as? String == "pruned" }.count + 1)

        // A third run has nothing left to do and prints the same leaderboard.
        let third = try CLI.run(args)
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stdout.contains("3 trials"), third.stdout)
        XCTAssertEqual(try Self.runRows(runs).count, 4, "no trial is trained twice")
        #endif
    }

    func testABadSweepFileExitsTwoNamingItsLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dropoutnet-badsweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("sweep.toml")
        try "[budget]\ntrials = 2\n[parameters]\nitem_dropout = { low = 0.0, high = 1.5 }\n".write(to: config, atomically: true, encoding: .utf8)
        let out = try CLI.run(["sweep", "--config", config.path, "--runs", dir.appendingPathComponent("runs").path])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("sweep.toml:4:1: setting 'item_dropout'"), out.stderr)
    }

    func testTuiStartWithoutASweepIsAUsageError() throws {
        let out = try CLI.run(["tui", "--start"])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("--start starts a sweep: it needs --sweep FILE"), out.stderr)
    }
}
