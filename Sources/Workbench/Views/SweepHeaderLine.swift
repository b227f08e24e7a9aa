import DropoutNet
import Foundation

/// The Sweep screen's one-line header while a sweep runs: what the sweep is doing (trials ended
/// of the budget, how many run, paused or not) and its clock — not the Train screen's session,
/// which sits idle while the sweep's trials train on threads of their own.
struct SweepHeaderLine: Widget {
    var snapshot: SweepSnapshot
    var dataset: String
    /// Why the sweep could not run, if so.
    var error: String?
    /// Whether `s` stopped it (it may still be ending its running trials).
    var stopRequested = false
    /// Not started yet in this session: the trials shown are those earlier runs recorded.
    var ready = false
    /// Its run is in progress (nil: as the snapshot says). A sweep started again after `s`
    /// is running, though its last snapshot may still read finished.
    var running: Bool?

    /// "sweep · 3/20 trials · 2 running": trials ended, of the budget, and the running ones.
    static func progress(_ s: SweepSnapshot) -> String {
        let count = "\(s.endedCount)" + (s.trialLimit.map { "/\($0)" } ?? "") + " trial" + (s.endedCount == 1 && s.trialLimit == nil ? "" : "s")
        return "sweep · \(count) · \(s.runningCount) running"
    }

    var state: (String, ThemeRole) {
        if error != nil { return ("✗ failed", .bad) }
        if ready { return ("○ ready", .accent) }
        if running == false || (running == nil && snapshot.isFinished) { return stopRequested ? ("■ stopped", .dim) : ("■ finished", .accent) }
        if snapshot.isPaused { return ("⏸ paused", .warning) }
        if stopRequested || snapshot.isStopping { return ("■ stopping", .warning) }
        return ("▶ running", .good)
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        buffer.fill(area, style: theme.style(.status))
        let state = self.state
        let clock = HeaderLine.clock(snapshot.elapsed)
        // By priority: the state and progress always; then the clock, the dataset and the title.
        var parts: [Span] = []
        for dropped in 0...3 {
            let title = dropped < 1, data = dropped < 2, withClock = dropped < 3
            parts = []
            if title { parts.append(Span(" DropoutNet Workbench ", role: .title)) }
            parts.append(Span((title ? "│ " : " ") + (data ? dataset + " │ " : ""), role: .text))
            parts.append(Span(state.0, role: state.1))
            parts.append(Span(" │ " + SweepHeaderLine.progress(snapshot) + (withClock ? " │ " + clock : ""), role: .text))
            if parts.reduce(0, { $0 + DisplayWidth.of($1.text) }) <= area.width { break }
        }
        _ = buffer.write(parts, x: area.x, y: area.y, theme: theme, maxWidth: area.width)
    }
}
