import Foundation
import XCTest

/// The workbench never loses or misdescribes a run (issue 15's trust items), in a real tmux pane
/// on a small generated dataset: a run trains to its end, `r` starts a new one beside it, `q`
/// then `s` saves the new run's weights and quits naming the checkpoint; the store then has the
/// first run `finished` with its best checkpoint and test metrics, and `runs show` finds runs by
/// the short ids the workbench prints. The saved model then opens with `tui --checkpoint`.
final class WorkbenchTrustTmuxTests: XCTestCase {
    func testAFinishedRunSurvivesRestartAndSaveAndQuitWritesTheCheckpoint() throws {
        guard Tmux.isAvailable else { throw XCTSkip("tmux is not installed; the workbench end-to-end test needs it") }
        let tmux = Tmux()
        defer { tmux.kill() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbtrust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path, runs = dir.appendingPathComponent("runs").path
        let gen = try CLI.run(["data", "generate", "--out", data, "--users", "300", "--items", "250", "--interactions", "9000", "--oracle-top", "0"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let settings = ["epochs=12", "batch_size=64", "user_tower=[32]", "item_tower=[32]", "embedding_dim=16", "eval_every=0",
                        "baselines.content_only=off"].map { "--set \($0)" }.joined(separator: " ")
        try tmux.start("cd '\(dir.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(CLI.executable.path)' tui --theme mono --data '\(data)' "
                       + "--runs '\(runs)' \(settings); echo \"workbench exited $?\"; sleep 60", width: 120, height: 40)

        // The first run: item dropout moved live 0.5 → 0.6 (two presses, one change), then it
        // trains to its end; `r` starts a second one and keeps the first as finished.
        tmux.waitForText("▶ running", timeout: 30)
        try tmux.send("j", "l", "l", "Enter")
        tmux.waitForText("item_dropout 0.5 → 0.6")
        tmux.waitForText("■ finished", timeout: 60)
        try tmux.send("r")
        let restarted = try XCTUnwrap(tmux.waitForText("kept as finished with its best checkpoint"))
        let ids = try XCTUnwrap(restarted.range(of: #"new run \S+ with the current settings; run \S+"#, options: .regularExpression))
        let words = restarted[ids].split(separator: " ")
        let second = String(words[2]), first = String(words[8])

        // The second run, paused with unsaved weights: q asks, s saves and quits, naming the file.
        tmux.waitFor("the second run to train") { $0.contains("▶ running") && !$0.contains("step 0/") }
        try tmux.send("Space")
        tmux.waitForText("⏸ paused")
        try tmux.send("l", "Enter")                   // and moved live in the second run: 0.6 → 0.65
        tmux.waitForText("item_dropout 0.6 → 0.65")
        try tmux.send("q")
        tmux.waitForText("s saves a checkpoint and quits")
        try tmux.send("s")
        tmux.waitForText("workbench exited 0", timeout: 20)
        let exit = tmux.captureJoined()
        let saved = try XCTUnwrap(exit.range(of: #"checkpoint of step \d+ saved: \S+"#, options: .regularExpression), exit)
        let path = String(exit[saved].split(separator: " ").last!)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the checkpoint named on exit is missing: \(path)")

        // In the store: the first run finished with its best checkpoint and test metrics.
        let show = try CLI.run(["runs", "show", first.split(separator: "-").last.map(String.init)!, "--runs", runs, "--json"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let detail = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(detail["status"] as? String, "finished", show.stdout)
        let checkpoints = try XCTUnwrap(detail["checkpoints"] as? [[String: Any]], show.stdout)
        XCTAssertTrue(checkpoints.contains { $0["is_best"] as? Bool == true && FileManager.default.fileExists(atPath: $0["path"] as? String ?? "") },
                      "no best checkpoint on disk: \(checkpoints)")
        let evals = try XCTUnwrap(detail["evals"] as? [[String: Any]], show.stdout)
        XCTAssertTrue(evals.contains { $0["split"] as? String == "cold_item" }, "no test metrics recorded")
        // The second run, by the id as printed (time-hex): stopped, with the checkpoint the quit prompt saved.
        let shown = try CLI.run(["runs", "show", second, "--runs", runs])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("(stopped)") && shown.stdout.contains(path), shown.stdout)

        // Compared, the runs show the item dropout each trained with, marked as changed live
        // (by starting settings the first run would read 0.5).
        let compare = try CLI.run(["runs", "compare", first, second, "--runs", runs])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let row = try XCTUnwrap(compare.stdout.split(separator: "\n").first { $0.hasPrefix("item_dropout") }, compare.stdout)
        XCTAssertEqual(row.split(separator: " ", omittingEmptySubsequences: true), ["item_dropout", "0.6", "(live)", "0.65", "(live)"], compare.stdout)
        XCTAssertTrue(compare.stdout.contains("changed live"), compare.stdout)
        let list = try CLI.run(["runs", "list", "--runs", runs])
        XCTAssertTrue(list.stdout.contains("idrop"), list.stdout)

        // Reuse: the saved model opens for exploring without training, with its few-shot curve;
        // `y` gives the train line, `t` is remembered; Enter on a top-K row opens that item.
        let reuse = Tmux()
        defer { reuse.kill() }
        let config = dir.appendingPathComponent("config").path
        try reuse.start("cd '\(dir.path)' && env XDG_CONFIG_HOME='\(config)' TERM=xterm-256color LANG=C.UTF-8 '\(CLI.executable.path)' tui "
                        + "--checkpoint '\(path)' --runs '\(runs)'; echo \"workbench exited $?\"; sleep 60", width: 120, height: 40)
        reuse.waitForText("nothing trains", timeout: 30)
        reuse.waitForText("few-shot test cold users")
        XCTAssertTrue(reuse.capture().contains("■ finished"), reuse.capture())
        try reuse.send("t")
        reuse.waitForText("remembered in")
        let remembered = try String(contentsOfFile: config + "/dropoutnet/config.toml", encoding: .utf8)
        XCTAssertTrue(remembered.hasPrefix("theme = \""), remembered)
        try reuse.send("y")
        reuse.waitForText("dropoutnet train line (any key closes)")
        let box = reuse.capture().split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) }.joined(separator: " ")
        XCTAssertTrue(box.contains("dropoutnet train --data") && box.contains("--set epochs=12"), box)
        try reuse.send("Escape")
        reuse.waitFor("the line to close") { !$0.contains("any key closes") }
        try reuse.send("2")
        reuse.waitForText("Top-20 at step", timeout: 15)
        try reuse.send("Enter", "Enter")
        reuse.waitForText("[Items]")
        // The Runs screen lists both runs with their dataset, sorted by o.
        try reuse.send("3")
        reuse.waitForText("dataset")
        try reuse.send("o")
        reuse.waitForText("status▲")
        try reuse.send("q")
        reuse.waitForText("workbench exited 0", timeout: 10)
    }
}
