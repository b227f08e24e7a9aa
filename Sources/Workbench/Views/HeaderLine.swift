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
        // By priority: the state, step and epoch always; then the clock, the rate, the dataset,
        // the model and the title, each dropped (lowest first) when the line would not fit.
        let rateText = String(format: "%.0f samples/s", s.samplesPerSecond), clockText = HeaderLine.clock(s.elapsed)
        var dropped = 0                              // how many of title, model, dataset, rate, clock are left out
        var parts: [Span] = []
        while true {
            let title = dropped < 1, model = dropped < 2, data = dropped < 3, rate = dropped < 4, clock = dropped < 5
            parts = []
            if title { parts.append(Span(" DropoutNet Workbench ", role: .title)) }
            let lead = (data ? [dataset] : []) + (model ? [s.settings.model.rawValue] : [])
            parts.append(Span((title ? "│ " : " ") + lead.map { $0 + " │ " }.joined(), role: .text))
            parts.append(Span(state.0, role: state.1))
            let tail = [steps, "epoch \(s.epoch + 1)/\(max(s.epochs, 1))"] + (rate ? [rateText] : []) + (clock ? [clockText] : [])
            parts.append(Span(" │ " + tail.joined(separator: " │ "), role: .text))
            if parts.reduce(0, { $0 + DisplayWidth.of($1.text) }) <= area.width || dropped >= 5 { break }
            dropped += 1
        }
        _ = buffer.write(parts, x: area.x, y: area.y, theme: theme, maxWidth: area.width)
    }

    static func clock(_ seconds: Double) -> String {
        let t = Int(max(0, seconds))
        return String(format: "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
    }
}
