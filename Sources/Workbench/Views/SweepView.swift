import DropoutNet
import Foundation

/// The Sweep screen: the leaderboard (best first, the highlighted trial marked), the
/// warm-versus-cold scatter with its Pareto front (or, `v`, the settings in parallel
/// coordinates), and each swept setting's importance. Drawn
/// from one `SweepSnapshot`; a pure function of what it is given.
struct SweepView: Widget {
    /// Nil: no sweep in this session.
    var snapshot: SweepSnapshot?
    var definition: SweepDefinition?
    /// The highlighted trial's number (nil: the leaderboard's first).
    var selectedTrial: Int?
    /// "running", "stopping (2 trials running)", "finished", or why it failed.
    var state: String = ""
    /// `v`: the parallel coordinates (settings → objective) in place of the scatter.
    var showsParallelCoordinates = false

    static let noSweep = "no sweep — start one with dropoutnet tui --sweep FILE"

    /// Height of the scatter and importance panels under the leaderboard.
    static func bottomHeight(_ area: Rect) -> Int { max(8, area.height / 2) }

    /// One row per trial: number, status, objective, validation recall per split, the settings
    /// that differ from the base. A running trial shows its latest objective.
    func rows(_ ranked: [SweepTrial]) -> [ListItem] {
        guard let definition else { return [] }
        let front = Set(SweepAnalysis.paretoFront(ranked))
        return ranked.map { t in
            let objective = t.result.objective ?? (t.status == .running ? t.latest : nil)
            let recalls = ["warm", "cold_user", "cold_item"].map { SweepView.number(t.result.validation[$0]) }.joined(separator: " ")
            let differing = SweepAnalysis.differing(t, base: definition.base)
            let settings = definition.parameters.compactMap { p in differing[p.key].map { "\(p.key)=\($0)" } }.joined(separator: " ")
            let text = SweepView.pad("#\(t.number)\(front.contains(t.number) ? "*" : "")", 6) + SweepView.pad(t.status.rawValue, 9)
                + SweepView.pad(SweepView.number(objective), 11) + recalls + "  " + settings
            let role: ThemeRole = t.status == .failed ? .bad : t.status == .running ? .accent : t.status == .pruned ? .dim : .text
            return ListItem(text, role: role)
        }
    }

    static let header = SweepView.pad("trial", 6) + SweepView.pad("status", 9) + SweepView.pad("objective", 11) + "warm   cold-u cold-i  settings that differ"

    func render(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard let snapshot, let definition else {
            Block(title: "Sweep").render(into: &buffer, area: area, theme: theme)
            Paragraph(SweepView.noSweep, role: .dim).render(into: &buffer, area: Block.inner(area), theme: theme)
            return
        }
        let parts = area.split(rows: [.fill(1), .fixed(SweepView.bottomHeight(area))])
        let ranked = SweepAnalysis.ranked(snapshot.trials)
        let count = "\(snapshot.trials.count)" + (snapshot.trialLimit.map { "/\($0)" } ?? "") + " trials"
        Block(title: "Sweep \(snapshot.id)" + (area.width >= 120 ? " · \(definition.objective.description)" : ""), focused: true, trailing: "\(count) · \(state)")
            .render(into: &buffer, area: parts[0], theme: theme)
        let inner = Block.inner(parts[0])
        if inner.height >= 2 {
            buffer.write(" " + SweepView.header, x: inner.x, y: inner.y, style: theme.style(.header), maxWidth: inner.width)
            let list = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
            if ranked.isEmpty {
                buffer.write(" no trial has started yet", x: list.x, y: list.y, style: theme.style(.dim), maxWidth: list.width)
            } else {
                var state = ListState(selected: ranked.firstIndex { $0.number == selectedTrial } ?? 0)
                ListView(items: rows(ranked), focused: true).render(into: &buffer, area: list, theme: theme, state: &state)
            }
        }
        let bottom = parts[1].split(columns: [.fill(3), .fill(2)])
        let selected = ranked.first { $0.number == selectedTrial } ?? ranked.first
        if showsParallelCoordinates {
            SweepParallelCoordinates(trials: snapshot.trials, parameters: definition.parameters, selected: selected?.number)
                .render(into: &buffer, area: bottom[0], theme: theme)
        } else {
            SweepScatter(trials: snapshot.trials, front: SweepAnalysis.paretoFront(snapshot.trials), selected: selected?.number)
                .render(into: &buffer, area: bottom[0], theme: theme)
        }
        renderImportance(into: &buffer, area: bottom[1], theme: theme, trials: snapshot.trials, definition: definition)
    }

    /// One bar per swept setting, the most important first.
    private func renderImportance(into buffer: inout ScreenBuffer, area: Rect, theme: Theme, trials: [SweepTrial], definition: SweepDefinition) {
        Block(title: "Importance", trailing: "share of the objective's spread").render(into: &buffer, area: area, theme: theme)
        let inner = Block.inner(area)
        let ended = trials.filter { ($0.status == .finished || $0.status == .pruned) && $0.result.objective != nil }.count
        guard ended >= 3 else {
            Paragraph("needs 3 ended (\(ended) so far)", role: .dim).render(into: &buffer, area: inner, theme: theme)
            return
        }
        let shares = SweepAnalysis.importance(trials, parameters: definition.parameters).sorted { $0.share > $1.share }
        let labelWidth = min(max(6, inner.width / 2), (shares.map(\.key.count).max() ?? 0) + 1)
        for (i, s) in shares.enumerated() where i < inner.height {
            let row = inner.row(i)
            buffer.write(String(s.key.prefix(labelWidth - 1)), x: row.x, y: row.y, style: theme.style(.text), maxWidth: labelWidth)
            let bar = Rect(x: row.x + labelWidth, y: row.y, width: max(0, row.width - labelWidth), height: 1)
            Gauge(ratio: s.share, label: "\(Int((s.share * 100).rounded()))%").render(into: &buffer, area: bar, theme: theme)
        }
    }

    static func number(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "     –" }

    static func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
}
