import Foundation
import XCTest

/// The real `dropoutnet tui` in a tmux pane: training starts, knob keys change the run and leave
/// chart markers, the explorer lists a cold user's top-K, resizes redraw, and quitting restores
/// the terminal (main screen, cursor visible).
final class WorkbenchTmuxTests: XCTestCase {
    func testWorkbenchTrainsAdjustsExploresResizesAndRestoresTheTerminal() throws {
        guard Tmux.isAvailable else { throw XCTSkip("tmux is not installed; the workbench end-to-end test needs it") }
        guard FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent("sample-data/interactions.csv").path) else {
            throw XCTSkip("sample-data/ is not in the package")
        }
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start("cd '\(CLI.packageRoot.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(CLI.executable.path)' tui --theme mono; echo \"workbench exited $?\"; sleep 60",
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

        // q asks while training runs; y confirms; the terminal is restored.
        try tmux.send("q")
        tmux.waitForText("press q or y to quit")
        try tmux.send("y")
        // The pane stays alive after the exit (a dead pane always reports a hidden cursor).
        tmux.waitForText("workbench exited 0", timeout: 10)
        XCTAssertEqual(tmux.display("#{alternate_on} #{cursor_flag}"), "0 1")
    }
}
