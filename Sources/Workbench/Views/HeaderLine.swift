import DropoutNet
import Foundation

/// The one-line header: dataset, model, state, step/epoch, samples/s, elapsed.
struct HeaderLine: Widget {
    var snapshot: TrainingSnapshot
    var dataset: String

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let s = snapshot
        buffer.fill(area, style: theme.style(.status))
        let state: (String, ThemeRole)
        switch s.state {
        case .running: state = ("▶ running", .good)
        case .paused: state = ("⏸ paused", .warning)
        case .failed: state = ("✗ failed", .bad)
        case .finished:
            if let b = s.baselineTraining {
                state = ("■ finished · \(b.name.replacingOccurrences(of: "_", with: "-")) \(100 * b.step / max(b.totalSteps, 1))%", .accent)
            } else {
                state = ("■ finished", .accent)
            }
        case .stopped: state = ("■ stopped", .dim)
        case .preparing: state = ("… preparing", .dim)
        case .idle: state = ("idle", .dim)
        }
        let steps = s.totalSteps > 0 ? "step \(s.step)/\(s.totalSteps)" : "step \(s.step)"
        let parts: [Span] = [
            Span(" DropoutNet Workbench ", role: .title),
            Span("│ \(dataset) │ \(s.settings.model.rawValue) │ ", role: .text),
            Span(state.0, role: state.1),
            Span(" │ \(steps) │ epoch \(s.epoch + 1)/\(max(s.epochs, 1)) │ "
                 + String(format: "%.0f samples/s │ %@", s.samplesPerSecond, HeaderLine.clock(s.elapsed)), role: .text),
        ]
        _ = buffer.write(parts, x: area.x, y: area.y, theme: theme, maxWidth: area.width)
    }

    static func clock(_ seconds: Double) -> String {
        let t = Int(max(0, seconds))
        return String(format: "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
    }
}
