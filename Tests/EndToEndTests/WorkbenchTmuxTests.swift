import Foundation
import XCTest

/// The real `dropoutnet tui` in a tmux pane: training starts, knob keys and a mouse click change
/// the run and leave chart markers, the explorer lists a cold user's top-K, resizes redraw, `q`
/// asks while the run is unsaved, and SIGTERM leaves through the normal clean-up: the terminal is
/// restored (main screen, cursor visible), the run is closed in the store, the exit status is 143.
final class WorkbenchTmuxTests: XCTestCase {
    func testWorkbenchTrainsAdjustsExploresResizesAndRestoresTheTerminal() throws {
        guard Tmux.isAvailable else { throw XCTSkip("tmux is not installed; the workbench end-to-end test needs it") }
        _ = try CLI.sampleData()
        let tmux = Tmux()
        defer { tmux.kill() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wbtmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid").path
        // The inner shell writes its pid and execs the workbench, so that pid is the workbench's.
        // TERM=xterm-256color: its kmous is the SGR prefix `\e[<`, which the mouse bytes below use.
        try tmux.start("cd '\(CLI.packageRoot.path)' && sh -c 'echo $$ > \"$0\"; exec env TERM=xterm-256color LANG=C.UTF-8 \"$1\" tui --theme mono --set epochs=200 --runs \"$2\"' "
                       + "'\(pidFile)' '\(CLI.executable.path)' '\(dir.appendingPathComponent("runs").path)'; echo \"workbench exited $?\"; sleep 60",
                       width: 120, height: 40)

        // Training shows a step count above zero.
        tmux.waitFor("a running step count", timeout: 20) { screen in
            guard let r = screen.range(of: #"step (\d+)/\d+"#, options: .regularExpression) else { return false }
            let n = Int(screen[r].dropFirst(5).prefix { $0.isNumber }) ?? 0
            return n > 0 && screen.contains("running")
        }

        // Item dropout 0.50 → 0.65 in three presses: one change once the user settles, its
        // marker labelled with the final value. M 16 → 32 → 64 is only shown until Enter.
        try tmux.send("j", "l", "l", "l")
        tmux.waitForText("item_dropout 0.5 → 0.65")
        let burst = try XCTUnwrap(tmux.waitForText("idrop=0.65"))
        XCTAssertFalse(burst.contains("idrop=0.55") || burst.contains("idrop=0.6 "), "a marker per key press:\n\(burst)")
        try tmux.send("j", "j", "l", "l")
        tmux.waitForText("M 16 → 64: Enter")
        XCTAssertFalse(tmux.capture().contains("negatives.m 16 →"), "the picker applied before Enter")
        try tmux.send("Enter")
        tmux.waitForText("negatives.m 16 → 64")
        tmux.waitForText("M=64")
        let knobs = tmux.capture()
        XCTAssertTrue(knobs.contains("[64]"), "M picker does not show 64 selected:\n\(knobs)")
        XCTAssertTrue(knobs.contains("0.65"), "item dropout slider does not show 0.65:\n\(knobs)")

        // A mouse press on the right end of the item-dropout track (an SGR mouse report, 1-based) sets it to 1.
        let lines = knobs.components(separatedBy: "\n")
        let row = try XCTUnwrap(lines.firstIndex { $0.contains("item drop") }, knobs)
        let panel = Array(lines[row].prefix(40))
        let end = try XCTUnwrap(panel.lastIndex { $0 == "─" || $0 == "●" }, lines[row])
        try tmux.sendLiteral("\u{1b}[<0;\(end + 1);\(row + 1)M")
        try tmux.sendLiteral("\u{1b}[<0;\(end + 1);\(row + 1)m")
        tmux.waitForText("item_dropout 0.65 → 1")
        tmux.waitForText("idrop=1")

        // Explorer: the first cold user and its top-K.
        try tmux.send("2")
        tmux.waitForText("Users (cold)")
        tmux.waitForText("Top-20 at step", timeout: 15)

        // Below the minimum size a clear message; at 80×24 and back at 120×40 the screen again.
        try tmux.resize(width: 70, height: 20)
        tmux.waitForText("enlarge the terminal")
        try tmux.resize(width: 80, height: 24)
        tmux.waitForText("Users (cold)")
        try tmux.resize(width: 120, height: 40)
        tmux.waitForText("Top-20 at step")

        // The Train screen at 80×24, 100×30, 140×45 and 200×60 (the run is long enough to still be
        // training, so quitting below asks first): the header keeps its epoch, every
        // knob, both charts and the whole inspector show.
        try tmux.send("1")
        for (width, height) in [(80, 24), (100, 30), (140, 45), (200, 60)] {
            try tmux.resize(width: width, height: height)
            tmux.waitFor("the Train screen laid out at \(width)×\(height)") { screen in
                let lines = screen.components(separatedBy: "\n")
                return lines.first?.range(of: #"epoch \d+/200"#, options: .regularExpression) != nil && lines.count >= height - 1
                    && screen.contains("┌ Loss") && screen.contains("┌ Recall@20") && screen.contains("│ lr ")
                    && screen.contains("│cold item") && screen.contains("Inspector — validation")
            }
        }
        try tmux.resize(width: 120, height: 40)
        // The chart cursor: c gives ←/→ to the charts, whose titles read out the step and values.
        try tmux.send("c")
        tmux.waitForText("chart cursor: ←→ move")
        try tmux.send("Left")
        tmux.waitFor("the loss read out at the cursor") { $0.range(of: #"@\d+ loss \d"#, options: .regularExpression) != nil }
        try tmux.send("c")
        tmux.waitForText("charts left")
        try tmux.send("2")
        tmux.waitForText("Top-20 at step")

        // q asks while the run is unsaved; n stays.
        try tmux.send("q")
        tmux.waitForText("q or y quits, s saves a checkpoint and quits")
        try tmux.send("n")
        tmux.waitFor("the question to go") { !$0.contains("q or y quits") }

        // SIGTERM: the handler only sets a flag; the loop leaves through endwin, closes the run, exits 128 + 15.
        let pid = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(Foundation.kill(pid, SIGTERM), 0)
        // The pane stays alive after the exit (a dead pane always reports a hidden cursor).
        tmux.waitForText("workbench exited 143", timeout: 10)
        XCTAssertEqual(tmux.display("#{alternate_on} #{cursor_flag}"), "0 1", "the terminal was not restored")
        // A default kill would leave the run `running`; the clean-up after endwin closed it.
        let runs = try CLI.run(["runs", "list", "--runs", dir.appendingPathComponent("runs").path, "--json"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertTrue(runs.stdout.contains("\"stopped\""), runs.stdout)
        XCTAssertFalse(runs.stdout.contains("\"running\""), runs.stdout)
    }
}
