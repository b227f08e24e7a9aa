import Foundation
import XCTest

/// `dropoutnet tui --sweep` in a tmux pane: a sweep on tiny generated data runs while
/// the other screens are shown, its first finished trial appears on the Sweep screen's
/// leaderboard, Space pauses and resumes it, `s` stops it, `p` promotes a trial to a new run on the Train screen, and `q`
/// leaves with the terminal restored and exit status 0.
final class SweepTmuxTests: XCTestCase {
    static let sweepFile = """
        searcher = "random"
        seed = 3
        parallel = 1
        [budget]
        trials = 12                 # more than the test waits for: s stops it
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
        try tmux.start("cd '\(dir.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(CLI.executable.path)' tui --theme mono --sweep '\(config.path)' "
                       + "--data '\(data.path)' --runs '\(runs.path)' --no-cache; echo \"workbench exited $?\"; sleep 60",
                       width: 120, height: 40)
        tmux.waitForText("[4 Sweep]", timeout: 15)
        tmux.waitForText("Sweep sweep-")
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
        let board = tmux.waitFor("a finished trial on the leaderboard", timeout: 25) { screen in
            screen.components(separatedBy: "\n").contains { $0.contains("#1") && $0.contains("finished") }
        }
        XCTAssertTrue(board?.contains("item_dropout=") ?? false, board ?? "")
        XCTAssertTrue(board?.contains("warm recall") ?? false, "the scatter's axis:\n\(board ?? "")")

        try tmux.send("s")
        tmux.waitForText("sweep stopped")
        try tmux.send("p")
        tmux.waitFor("the promoted run on the Train screen") { $0.contains("[1 Train]") && $0.contains("promoted: new run") }
        try tmux.send("q")
        usleep(200_000)
        if !tmux.capture().contains("workbench exited") { try tmux.send("q") }   // the run-not-saved prompt
        let end = try XCTUnwrap(tmux.waitForText("workbench exited 0", timeout: 15))
        XCTAssertFalse(end.contains("Sweep sweep-"), "the terminal was not restored:\n\(end)")
    }
}
