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
        try tmux.start("cd '\(CLI.packageRoot.path)' && sh -c 'echo $$ > \"$0\"; exec env TERM=xterm-256color LANG=C.UTF-8 \"$1\" tui --theme mono --runs \"$2\"' "
                       + "'\(pidFile)' '\(CLI.executable.path)' '\(dir.appendingPathComponent("runs").path)'; echo \"workbench exited $?\"; sleep 60",
                       width: 120, height: 40)

        // Training shows a step count above zero.
        tmux.waitFor("a running step count", timeout: 20) { screen in
            guard let r = screen.range(of: #"step (\d+)/\d+"#, options: .regularExpression) else { return false }
            let n = Int(screen[r].dropFirst(5).prefix { $0.isNumber }) ?? 0
            return n > 0 && screen.contains("running")
        }

        // Item dropout 0.50 → 0.55, then M 16 → 32 (the picker's next value); both show as values and as chart markers.
        try tmux.send("j", "l")
        tmux.waitForText("item_dropout 0.5 → 0.55")
        tmux.waitForText("idrop=0.55")
        try tmux.send("j", "j", "l")
        tmux.waitForText("negatives.m 16 → 32")
        tmux.waitForText("M=32")
        let knobs = tmux.capture()
        XCTAssertTrue(knobs.contains("[32]"), "M picker does not show 32 selected:\n\(knobs)")
        XCTAssertTrue(knobs.contains("0.55"), "item dropout slider does not show 0.55:\n\(knobs)")

        // A mouse press on the right end of the item-dropout track (an SGR mouse report, 1-based) sets it to 1.
        let lines = knobs.components(separatedBy: "\n")
        let row = try XCTUnwrap(lines.firstIndex { $0.contains("item drop") }, knobs)
        let panel = Array(lines[row].prefix(40))
        let end = try XCTUnwrap(panel.lastIndex { $0 == "─" || $0 == "●" }, lines[row])
        try tmux.sendLiteral("\u{1b}[<0;\(end + 1);\(row + 1)M")
        try tmux.sendLiteral("\u{1b}[<0;\(end + 1);\(row + 1)m")
        tmux.waitForText("item_dropout 0.55 → 1")
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

        // q asks while the run is unsaved; n stays.
        try tmux.send("q")
        tmux.waitForText("press q or y to quit")
        try tmux.send("n")
        tmux.waitFor("the question to go") { !$0.contains("press q or y to quit") }

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
