import Foundation
import XCTest

/// `dropoutnet tui --sweep` in a tmux pane, as a user drives it: the Sweep screen opens with
/// the sweep ready (nothing trains, the footer offers `r`), `r` starts it, Space pauses and
/// resumes it, it goes on while other screens are shown, `s` stops it (the running trial ends),
/// `r` goes on with the ended trials kept, `p` promotes a trial to a new run on the Train screen,
/// and `q` leaves with the terminal restored. The same command with `--start` then opens with
/// the recorded trials and starts at once.
final class SweepTmuxTests: XCTestCase {
    static let sweepFile = """
        searcher = "random"
        seed = 3
        parallel = 1
        [budget]
        trials = 100000             # more than can end while the test runs (a trial takes about 60 ms: 200 ended in 12 s): s stops it
        [base]
        epochs = 2
        eval_every = 20
        eval_budget = 0
        batch_size = 128
        embedding_dim = 8
        user_tower = [16, 8]
        item_tower = [16, 8]
        content_dnn = [8]
        preference_dnn = [8]
        preference = "stats"
        [parameters]
        item_dropout = { low = 0.0, high = 1.0 }
        loss = { choices = ["svsoftmax", "pairwise"] }
        """

    func testASweepRunsOnTheSweepScreenAndATrialIsPromoted() throws {
        guard Tmux.isAvailable else { throw XCTSkip("tmux is not installed; the workbench end-to-end test needs it") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbsweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data"), runs = dir.appendingPathComponent("runs")
        let config = dir.appendingPathComponent("sweep.toml")
        try Self.sweepFile.write(to: config, atomically: true, encoding: .utf8)
        let gen = try CLI.run(["data", "generate", "--out", data.path, "--users", "200", "--items", "150", "--interactions", "3000"])
        XCTAssertEqual(gen.status, 0, gen.stderr)

        let tmux = Tmux()
        defer { tmux.kill() }
        let command = "env TERM=xterm-256color LANG=C.UTF-8 '\(CLI.executable.path)' tui --theme mono --sweep '\(config.path)' "
            + "--data '\(data.path)' --runs '\(runs.path)' --no-cache"
        try tmux.start("cd '\(dir.path)' && \(command); echo \"first exited $?\"; read; \(command) --start; echo \"second exited $?\"; sleep 60",
                       width: 120, height: 40)
        tmux.waitForText("[4 Sweep]", timeout: 15)
        // Ready: nothing trains until r.
        let ready = tmux.waitFor("the ready sweep") {
            $0.contains("○ ready │ sweep · 0/100000 trials · 0 running") && $0.contains("r start sweep") && $0.contains("no trial has started yet")
        }
        XCTAssertFalse(ready?.contains("pause sweep") ?? true, ready ?? "")
        try tmux.send(" ")
        tmux.waitForText("the sweep is not running: nothing to pause; r starts it")
        try tmux.send("r")
        tmux.waitFor("the started sweep") { $0.contains("sweep started: Space pauses it") && $0.contains("▶ running │ sweep · ") && $0.contains("s stop sweep") }
        // Space pauses the sweep: the header says so (not the idle Train session), the footer
        // offers to resume; Space again lets it go on.
        try tmux.send(" ")
        let paused = tmux.waitFor("the paused sweep in the header and footer") {
            $0.contains("⏸ paused │ sweep · ") && $0.contains("resume sweep") && $0.contains("sweep paused")
        }
        XCTAssertFalse(paused?.contains("idle") ?? true, paused ?? "")
        try tmux.send(" ")
        tmux.waitFor("the sweep resumed") { $0.contains("sweep resumed") && ($0.contains("▶ running │ sweep · ") || $0.contains("■ finished │ sweep · ")) }
        // Away and back: the sweep goes on while another screen is shown.
        try tmux.send("1")
        tmux.waitForText("[1 Train]")
        try tmux.send("4")
        // The Sweep screen itself, not a capture of the Train screen half redrawn just after "4".
        let board = tmux.waitFor("a finished trial on the leaderboard", timeout: 25) { screen in
            screen.contains("[4 Sweep]") && Self.showsAFinishedTrial(screen)
        }
        XCTAssertTrue(board?.contains("item_dropout=") ?? false, board ?? "")
        XCTAssertTrue(board?.contains("warm recall") ?? false, "the scatter's axis:\n\(board ?? "")")

        // s stops it: the running trial trains to its end, then the footer offers to go on.
        try tmux.send("s")
        tmux.waitForText("sweep stopped")
        let stopped = tmux.waitFor("the stopped sweep", timeout: 30) { $0.contains("■ stopped │ sweep · ") && $0.contains("r continue sweep") }
        let kept = try XCTUnwrap(stopped.flatMap(Self.endedTrials), stopped ?? "")
        XCTAssertFalse(stopped?.contains(" running  ") ?? true, "no trial runs once stopped:\n\(stopped ?? "")")
        // r goes on: the ended trials are kept and the next one trains.
        try tmux.send("r")
        tmux.waitFor("the sweep going on") { $0.contains("sweep started, \(kept) ended trial") && $0.contains("▶ running │ sweep · ") }
        // More trials end than were kept (the new ones can sort below the leaderboard's last row).
        tmux.waitFor("trials beyond the \(kept) kept", timeout: 20) { (Self.endedTrials($0) ?? 0) > kept }
        try tmux.send("s")
        tmux.waitForText("sweep stopped")
        try tmux.send("p")
        tmux.waitFor("the promoted run on the Train screen") { $0.contains("[1 Train]") && $0.contains("promoted: new run") }
        try tmux.send("q")
        let quitting = tmux.waitFor("the run-not-saved prompt or the exit") { $0.contains("Run not saved") || $0.contains("first exited") }
        if quitting?.contains("first exited") == false { try tmux.send("q") }
        let first = try XCTUnwrap(tmux.waitForText("first exited 0", timeout: 15))
        XCTAssertFalse(first.contains("Sweep sweep-"), "the terminal was not restored:\n\(first)")

        // The same command with --start (after Enter: its screen would hide the first's exit):
        // the recorded trials are there, and it runs at once.
        try tmux.send("Enter")
        let again = tmux.waitFor("the sweep started at once with its trials", timeout: 15) {
            $0.contains("[4 Sweep]") && $0.contains("trials recorded: Space pauses it")
                && $0.contains("▶ running │ sweep · ")
        }
        XCTAssertTrue(again.map(Self.showsAFinishedTrial) ?? false, again ?? "")
        try tmux.send("q")
        let end = try XCTUnwrap(tmux.waitForText("second exited 0", timeout: 15))
        XCTAssertTrue(end.contains("left with trials running: the same command resumes it"), "quitting while it runs says how to go on:\n\(end)")
    }

    /// Whether a leaderboard row shows a finished trial ("#7*  finished 0.5747 …"); which
    /// trials sort into view depends on how many ended, so no number is asked for.
    static func showsAFinishedTrial(_ screen: String) -> Bool {
        screen.range(of: #"│[▸ ]#\d+\*? +finished "#, options: .regularExpression) != nil
    }

    /// The trials ended, from the header's "sweep · 3/100000 trials".
    static func endedTrials(_ screen: String) -> Int? {
        guard let r = screen.range(of: #"sweep · (\d+)/100000 trials"#, options: .regularExpression) else { return nil }
        return Int(screen[r].dropFirst("sweep · ".count).prefix { $0.isNumber })
    }
}
